"""The snt-nets plugin: its entry point is installed and its exports resolve."""

import pytest

import sonnet as snt
from snt_nets import _plugin
from sonnet import plugin_checks
from sonnet.testing import isolated_registry


def test_entry_point_is_installed():
    plugin_checks.check_entry_point("nets", _plugin, "snt-nets")


def test_plugin_module_imports_only_sonnet():
    plugin_checks.check_plugin_module_is_light(_plugin, "snt_nets")


def test_exports_are_records_with_lazy_targets_in_this_package():
    plugin_checks.check_exports_are_lazy(_plugin, "snt_nets")


def test_sonnet_1_paths_import_and_resolve():
    plugin_checks.check_legacy_paths(_plugin, "snt-nets")


@pytest.mark.parametrize("export", _plugin.snt_exports(), ids=lambda e: e.qualname)
def test_every_export_resolves_without_warnings(export, recwarn):
    assert plugin_checks.resolve_export(_plugin, "snt-nets", export) is not None


def test_conv_constants_match_sonnet_1():
    with isolated_registry(plugins=[(_plugin, "snt-nets")]):
        assert (snt.SAME, snt.VALID, snt.FULL) == ("SAME", "VALID", "FULL")
        assert snt.CONV_OP_ALLOWED_PADDINGS == {"SAME", "VALID"}
        assert snt.ALLOWED_PADDINGS == {"SAME", "VALID", "FULL", "CAUSAL", "REVERSE_CAUSAL"}
        assert snt.ALLOWED_PADDING_VALUES == {"CONSTANT", "REFLECT", "SYMMETRIC"}
        assert snt.SUPPORTED_1D_DATA_FORMATS == {"NCW", "NWC"}
        assert snt.SUPPORTED_2D_DATA_FORMATS == {"NCHW", "NHWC"}
        assert snt.SUPPORTED_3D_DATA_FORMATS == {"NDHWC", "NCDHW"}
