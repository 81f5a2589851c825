"""Every module exported by an installed first-party plugin passes core's conformance suite."""

import pytest

import sonnet as snt
from sonnet.conformance import check_case, missing_cases

FIRST_PARTY = {"snt-nets", "snt-rnn", "snt-transpose"}


def _cases():
    return [
        case for case, info in snt.plugins.conformance_cases() if info.distribution in FIRST_PARTY
    ]


def _module_exports():
    return [
        (f"{export.namespace}.{export.name}" if export.namespace else export.name)
        for export, info in snt.plugins.exports()
        if export.kind == "module" and info.distribution in FIRST_PARTY
    ]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.name)
def test_module_conforms(case, tmp_path):
    check_case(case, tmp_path)


def test_every_exported_module_has_a_case():
    assert missing_cases(_module_exports(), _cases()) == []
