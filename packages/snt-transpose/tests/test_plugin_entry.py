"""The snt-transpose plugin: its entry point is installed and its exports resolve."""

import pytest

import sonnet as snt
from snt_transpose import _plugin
from sonnet import plugin_checks
from sonnet.testing import isolated_registry


def test_entry_point_is_installed():
    plugin_checks.check_entry_point("transpose", _plugin, "snt-transpose")


def test_plugin_module_imports_only_sonnet():
    plugin_checks.check_plugin_module_is_light(_plugin, "snt_transpose")


def test_exports_are_records_with_lazy_targets_in_this_package():
    plugin_checks.check_exports_are_lazy(_plugin, "snt_transpose")


def test_sonnet_1_paths_import_and_resolve():
    plugin_checks.check_legacy_paths(_plugin, "snt-transpose")


@pytest.mark.parametrize("export", _plugin.snt_exports(), ids=lambda e: e.qualname)
def test_every_export_resolves_without_warnings(export, recwarn):
    assert plugin_checks.resolve_export(_plugin, "snt-transpose", export) is not None


def test_reserved_transpose_names_point_at_this_distribution():
    with isolated_registry(plugins=[(_plugin, "snt-transpose")]):
        exported = {e.qualname for e in _plugin.snt_exports()}
        for name in ("Conv2DTranspose", "nets.ConvNet2DTranspose"):
            if name in exported:
                continue
            with pytest.raises(AttributeError, match="reserved for snt-transpose"):
                obj = snt
                for part in name.split("."):
                    obj = getattr(obj, part)
