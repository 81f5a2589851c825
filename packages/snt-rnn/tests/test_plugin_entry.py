"""The snt-rnn plugin: its entry point is installed and its exports resolve."""

import ast
import importlib.metadata
import pathlib

import pytest

import sonnet as snt
from snt_rnn import _plugin
from sonnet.plugins import Export
from sonnet.testing import isolated_registry


def test_entry_point_is_installed():
    [ep] = [e for e in importlib.metadata.entry_points(group="sonnet") if e.name == "rnn"]
    assert ep.value == "snt_rnn._plugin" and ep.dist.metadata["Name"] == "snt-rnn"


def _imported(nodes):
    return {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in nodes
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }


def test_plugin_module_imports_only_sonnet():
    tree = ast.parse(pathlib.Path(_plugin.__file__).read_text())
    # Module level: only sonnet. Inside hooks (run when core asks): only this package.
    top = _imported(tree.body)
    assert {name.split(".")[0] for name in top} <= {"__future__", "sonnet"}
    lazy = _imported(ast.walk(tree)) - top
    assert {name.split(".")[0] for name in lazy} <= {"snt_rnn"}


def test_exports_are_records_with_lazy_targets_in_this_package():
    for export in _plugin.snt_exports():
        assert isinstance(export, Export)
        assert isinstance(export.target, str) and export.target.startswith("snt_rnn.")


@pytest.mark.parametrize("export", _plugin.snt_exports(), ids=lambda e: e.qualname)
def test_every_export_resolves_without_warnings(export, recwarn):
    with isolated_registry(plugins=[(_plugin, "snt-rnn")], strict=True):
        obj = snt
        for part in export.qualname.split("."):
            obj = getattr(obj, part)
        assert obj is not None


def test_lstm_state_is_a_named_pair():
    with isolated_registry(plugins=[(_plugin, "snt-rnn")]):
        state = snt.LSTMState(hidden=1, cell=2)
        assert state == (1, 2) and state.hidden == 1 and state.cell == 2
