"""The snt-rnn plugin: its entry point is installed and its exports resolve."""

import pytest

import sonnet as snt
from snt_rnn import _plugin
from sonnet import plugin_checks
from sonnet.testing import isolated_registry


def test_entry_point_is_installed():
    plugin_checks.check_entry_point("rnn", _plugin, "snt-rnn")


def test_plugin_module_imports_only_sonnet():
    plugin_checks.check_plugin_module_is_light(_plugin, "snt_rnn")


def test_exports_are_records_with_lazy_targets_in_this_package():
    plugin_checks.check_exports_are_lazy(_plugin, "snt_rnn")


def test_sonnet_1_paths_import_and_resolve():
    plugin_checks.check_legacy_paths(_plugin, "snt-rnn")


@pytest.mark.parametrize("export", _plugin.snt_exports(), ids=lambda e: e.qualname)
def test_every_export_resolves_without_warnings(export, recwarn):
    assert plugin_checks.resolve_export(_plugin, "snt-rnn", export) is not None


def test_lstm_state_is_a_named_pair():
    with isolated_registry(plugins=[(_plugin, "snt-rnn")]):
        state = snt.LSTMState(hidden=1, cell=2)
        assert state == (1, 2) and state.hidden == 1 and state.cell == 2
