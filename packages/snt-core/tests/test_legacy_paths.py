"""Sonnet 1 import paths (sonnet.python.*): core's own, and the ones plugins declare.

These run with snt-core alone: plugin paths are declared by in-memory plugins in
an isolated registry; the real plugins are checked in tests/integration.
"""

import importlib
import os
import subprocess
import sys

import pytest

import sonnet as snt
from sonnet.plugins import Export, LegacyPath, PluginWarning, Retired
from sonnet.testing import isolated_registry

#: The Sonnet 1 files snt-core keeps itself, and those the hint table knows.
CORE = "base base_errors util clip_gradient scale_gradient".split()
HINTED = "basic sequential conv embed layer_norm batch_norm batch_norm_v2 rnn_core "
HINTED += "basic_rnn gated_rnn nets nets.mlp nets.convnet"


def _legacy(name):
    return importlib.import_module(f"sonnet.python.modules.{name}")


def test_importing_every_known_legacy_module_loads_and_scans_nothing():
    names = ", ".join(f"sonnet.python.modules.{m}" for m in CORE + HINTED.split())
    code = (
        "import importlib.metadata as md\n"
        "calls = []\n"
        "orig = md.entry_points\n"
        "md.entry_points = lambda *a, **k: calls.append(1) or orig(*a, **k)\n"
        f"import sys, {names}, sonnet.python.ops.nest, sonnet.python.ops.initializers, "
        "sonnet.python.custom_getters\n"
        "from sonnet.python.modules import basic, gated_rnn\n"
        "from sonnet.python.modules.util import reuse_variables\n"
        "assert not calls, 'entry points scanned'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('snt_nets', 'snt_rnn', 'snt_transpose')))"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_core_files_re_export_core_names():
    base, base_errors, util = _legacy("base"), _legacy("base_errors"), _legacy("util")
    assert base.AbstractModule is snt.AbstractModule and base.Module is snt.Module
    assert base.Transposable is snt.Transposable and base.Error is snt.Error
    assert base_errors.NotConnectedError is snt.NotConnectedError
    assert util.SUPPORTED == "supported" and util.NOT_SUPPORTED == "not_supported"
    assert util.reuse_variables is snt.reuse_variables and util.get_saver is snt.get_saver
    assert _legacy("clip_gradient").clip_gradient is snt.clip_gradient
    assert _legacy("scale_gradient").scale_gradient is snt.scale_gradient
    from sonnet.python import custom_getters
    from sonnet.python.ops import initializers, nest

    assert nest.flatten is snt.nest.flatten and nest.pack_iterable_as is snt.nest.pack_iterable_as
    assert nest.map is snt.nest.map_structure
    assert initializers.restore_initializer is snt.restore_initializer
    assert custom_getters.bayes_by_backprop is snt.custom_getters.bayes_by_backprop


@pytest.mark.parametrize(
    "num_bytes, text",
    [(5, "5 B"), (1023, "1023 B"), (1024, "1.000 KB"), (1536, "1.500 KB"), (2**21, "2.000 MB")]
    + [(2**30, "1.000 GB"), (3 * 2**30 + 2**28, "3.250 GB")],
)
def test_util_internal_num_bytes_to_human_readable(num_bytes, text):
    # A Sonnet 1 internal declared by core at its old path only (not snt.<name>).
    assert _legacy("util")._num_bytes_to_human_readable(num_bytes) == text
    with isolated_registry():
        assert "_num_bytes_to_human_readable" not in _legacy("util").__all__
        assert "reuse_variables" in _legacy("util").__all__


@pytest.mark.parametrize(
    "scope, prefix, expected",
    [("a/b/c", "", True), ("a/b/c", "a/b/c", True), ("a/b/c", "a/b", True)]
    + [("a/b/c", "a/", True), ("a/b/c", "b", False), ("ab/c", "a", False)],
)
def test_util_internal_is_scope_prefix(scope, prefix, expected):
    assert _legacy("util")._is_scope_prefix(scope, prefix) is expected


def test_whole_legacy_tree_is_reachable_as_attributes():
    import sonnet

    assert sonnet.python.modules.util.reuse_variables is snt.reuse_variables
    assert snt.python.ops.nest.flatten is snt.nest.flatten


class FakeNets:
    """Stands in for snt-nets: a few exports and their Sonnet 1 paths."""

    linear = type("Linear", (snt.AbstractModule,), {"_build": lambda self: None})
    mlp = type("MLP", (snt.AbstractModule,), {"_build": lambda self: None})

    @snt.hookimpl
    def snt_exports(self):
        return [
            Export("Linear", self.linear),
            Export("SUPPORTED_2D_DATA_FORMATS", frozenset({"NHWC", "NCHW"}), kind="constant"),
            Export("MLP", self.mlp, namespace="nets"),
        ]

    @snt.hookimpl
    def snt_legacy_paths(self):
        return [
            LegacyPath("sonnet.python.modules.basic", "Linear"),
            LegacyPath("sonnet.python.modules.conv", "SUPPORTED_2D_DATA_FORMATS"),
            LegacyPath("sonnet.python.modules.conv", {"_fill_shape": "builtins:tuple"}),
            LegacyPath("sonnet.python.modules.nets", "nets.MLP"),
            LegacyPath("sonnet.python.modules.nets.mlp", "nets.MLP"),
            LegacyPath("sonnet.python.modules.nets.convnet", "SUPPORTED_2D_DATA_FORMATS"),
        ]


def test_declared_names_resolve_to_the_snt_objects():
    fake = FakeNets()
    with isolated_registry(plugins=[(fake, "snt-nets")]):
        assert _legacy("basic").Linear is fake.linear
        assert _legacy("conv").SUPPORTED_2D_DATA_FORMATS == {"NHWC", "NCHW"}
        assert _legacy("conv")._fill_shape is tuple
        assert _legacy("nets.convnet").SUPPORTED_2D_DATA_FORMATS == {"NHWC", "NCHW"}
        assert _legacy("nets").MLP is fake.mlp and _legacy("nets.mlp").MLP is fake.mlp
        from sonnet.python.modules.basic import Linear

        assert Linear is fake.linear
        assert _legacy("nets").mlp is _legacy("nets.mlp")  # submodules as attributes
        assert _legacy("conv").__all__ == ["SUPPORTED_2D_DATA_FORMATS"]  # public names only
        assert {"SUPPORTED_2D_DATA_FORMATS", "__path__"} <= set(dir(_legacy("conv")))
        namespace = {}
        exec("from sonnet.python.modules.nets import *", namespace)
        assert namespace["MLP"] is fake.mlp


def test_names_are_not_cached_on_the_legacy_module():
    # The same module object serves whichever registry is current.
    fake = FakeNets()
    with isolated_registry(plugins=[(fake, "snt-nets")]):
        assert _legacy("basic").Linear is fake.linear
    with isolated_registry():
        with pytest.raises(AttributeError, match="provided by snt-nets"):
            _legacy("basic").Linear  # noqa: B018


def test_missing_plugin_fails_on_use_with_the_install_hint():
    gated_rnn = _legacy("gated_rnn")  # importing works without snt-rnn
    with isolated_registry():
        with pytest.raises(AttributeError) as info:
            gated_rnn.LSTM  # noqa: B018
        assert str(info.value) == (
            "sonnet.python.modules.gated_rnn.LSTM: snt.LSTM is provided by snt-rnn, which is "
            "not installed (pip install snt-rnn)"
        )
        assert gated_rnn.__all__ == []
        with pytest.raises(ImportError, match=r"snt.nets.MLP is provided by snt-nets"):
            from sonnet.python.modules.nets import MLP  # noqa: F401
        with pytest.raises(ImportError, match=r"snt.LSTM is provided by snt-rnn"):
            from sonnet.python.modules.gated_rnn import LSTM  # noqa: F401
        with pytest.raises(AttributeError, match=r"gated_rnn' has no attribute 'Foo': .*snt-rnn"):
            gated_rnn.Foo  # noqa: B018


def test_unknown_legacy_name_suggests_close_matches():
    with isolated_registry(plugins=[(FakeNets(), "snt-nets")]):
        with pytest.raises(
            AttributeError,
            match=r"module 'sonnet.python.modules.basic' has no attribute 'Lienar'\. "
            r"Did you mean: 'Linear'",
        ):
            _legacy("basic").Lienar  # noqa: B018
    with isolated_registry(), pytest.raises(ModuleNotFoundError):
        importlib.import_module("sonnet.python.modules.no_such_file")


class NewPath:
    """A third-party plugin with a Sonnet 1 path core has never heard of."""

    @snt.hookimpl
    def snt_exports(self):
        return [Export("Thing", 1, kind="constant"), Export("Gone", 2, kind="constant")]

    @snt.hookimpl
    def snt_legacy_paths(self):
        return [
            LegacyPath("sonnet.python.modules.contrib.things", "Thing Gone Old Missing"),
            LegacyPath("sonnet.python.modules.contrib.things", {"helper": "os.path:join"}),
        ]

    @snt.hookimpl
    def snt_retired_names(self):
        return [Retired("Old", "use snt.Thing")]


def test_a_new_path_with_names_from_a_plugin():
    with isolated_registry(plugins=[(NewPath(), "snt-things")]):
        things = importlib.import_module("sonnet.python.modules.contrib.things")
        assert things.Thing == 1 and things.helper is os.path.join
        # Only names that resolve are listed: not the retired one, not the missing one.
        assert things.__all__ == ["Gone", "Thing", "helper"]
        with pytest.raises(AttributeError, match="snt.Old was retired by snt-things"):
            things.Old  # noqa: B018
        with pytest.raises(AttributeError, match="has no attribute 'Missing'"):
            things.Missing  # noqa: B018
        assert "sonnet.python.modules.contrib" in snt.plugins.legacy_paths()
        [row] = snt.plugins.status()
        assert row.legacy == ["sonnet.python.modules.contrib.things"]


class Squatter:
    @snt.hookimpl
    def snt_legacy_paths(self):
        return [
            LegacyPath("sonnet.python.modules.basic", {"Linear": "builtins:len"}),
            LegacyPath("sonnet.python.modules.util", {"reuse_variables": "builtins:len"}),
            LegacyPath("sonnet.python.modules.mine", {"ok": "builtins:len"}),
        ]


def test_third_parties_cannot_take_sonnet_1_paths():
    with pytest.warns(PluginWarning) as caught:
        with isolated_registry(plugins=[(Squatter(), "snt-squatter")]) as reg:
            assert importlib.import_module("sonnet.python.modules.mine").ok is len
            with pytest.raises(AttributeError, match="provided by snt-nets"):
                _legacy("basic").Linear  # noqa: B018
            assert _legacy("util").reuse_variables is snt.reuse_variables
            [row] = reg.status()
            assert len(row.conflicts) == 2
    messages = " ".join(str(w.message) for w in caught)
    assert "basic.Linear, a name reserved for snt-nets" in messages
    assert "util.reuse_variables, which snt-core defines itself" in messages


class Other:
    @snt.hookimpl
    def snt_legacy_paths(self):
        return [LegacyPath("sonnet.python.modules.mine", {"ok": "builtins:abs"})]


def test_same_legacy_name_from_two_third_parties_neither_wins():
    with pytest.warns(PluginWarning) as caught:
        with isolated_registry(plugins=[(Squatter(), "snt-a"), (Other(), "snt-b")]):
            with pytest.raises(snt.PluginConflictError, match="snt-a .* and snt-b"):
                importlib.import_module("sonnet.python.modules.mine").ok  # noqa: B018
    assert any("mine.ok is declared by both" in str(w.message) for w in caught)


def test_a_first_party_release_adds_a_sonnet_1_name_to_an_existing_path():
    # What snt-rnn does to provide LSTMBlockCell: one Export, one name in its row.
    cell = type("LSTMBlockCell", (snt.AbstractModule,), {"_build": lambda self: None})

    class NextRnn:
        @snt.hookimpl
        def snt_exports(self):
            return [Export("LSTMBlockCell", cell)]

        @snt.hookimpl
        def snt_legacy_paths(self):
            return [LegacyPath("sonnet.python.modules.gated_rnn", "LSTMBlockCell")]

    with isolated_registry(plugins=[(NextRnn(), "snt-rnn")], strict=True):
        gated_rnn = _legacy("gated_rnn")
        assert snt.LSTMBlockCell is cell and gated_rnn.LSTMBlockCell is cell
        assert gated_rnn.__all__ == ["LSTMBlockCell"]
        from sonnet.python.modules.gated_rnn import LSTMBlockCell

        assert LSTMBlockCell is cell


def test_another_finder_for_sonnet_python_does_not_take_over(monkeypatch):
    # Tools that alias missing sonnet.python.* modules append a finder like this.
    class Greedy:
        def find_spec(self, fullname, path=None, target=None):
            if fullname.startswith("sonnet.python."):
                raise AssertionError(f"asked for {fullname}")
            return None

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Greedy()])
    for name in [m for m in sys.modules if m.startswith("sonnet.python.modules.embed")]:
        monkeypatch.delitem(sys.modules, name)
    assert importlib.import_module("sonnet.python.modules.embed").__name__.endswith("embed")


class AliasesAModule:
    """A plugin whose Sonnet 1 path is one of its own modules, internals and all."""

    @snt.hookimpl
    def snt_legacy_paths(self):
        return [LegacyPath("sonnet.python.modules.made_up_constraints", module="json.decoder")]


def test_a_legacy_path_can_be_an_implementation_module():
    import json.decoder
    from unittest import mock

    with isolated_registry(plugins=[(AliasesAModule(), "snt-made-up")]):
        module = importlib.import_module("sonnet.python.modules.made_up_constraints")
        try:
            assert module is json.decoder
            # Patching the legacy path patches the code that uses it (Sonnet 1 tests do this).
            with mock.patch.object(module, "scanstring", lambda *a: ("patched", 0)):
                assert json.decoder.scanstring("x", 0) == ("patched", 0)
        finally:
            sys.modules.pop("sonnet.python.modules.made_up_constraints", None)


def test_a_module_alias_takes_no_names():
    with pytest.raises(ValueError, match="module must be an importable module name given without"):
        LegacyPath("sonnet.python.modules.x", "Linear", module="json.decoder")
    with pytest.raises(ValueError, match="module must be an importable module name"):
        LegacyPath("sonnet.python.modules.x", module="not a module")
