"""Every module exported by a first-party plugin has valid and invalid property strategies."""

from __future__ import annotations

from property_support import all_invalid, all_valid

import sonnet as snt

FIRST_PARTY = {"snt-nets", "snt-rnn", "snt-transpose"}


def _module_exports() -> set[str]:
    return {
        (f"{export.namespace}.{export.name}" if export.namespace else export.name)
        for export, info in snt.plugins.exports()
        if export.kind == "module" and info.distribution in FIRST_PARTY
    }


def _covered(keys) -> set[str]:
    return {name for key in keys for name in key.split("/")}


def test_every_exported_module_has_a_valid_strategy():
    assert sorted(_module_exports() - _covered(all_valid())) == []


def test_every_exported_module_has_an_invalid_strategy():
    assert sorted(_module_exports() - _covered(all_invalid())) == []


def test_strategies_name_real_exports():
    exports = _module_exports() | {"Module"}
    assert sorted((_covered(all_valid()) | _covered(all_invalid())) - exports) == []
