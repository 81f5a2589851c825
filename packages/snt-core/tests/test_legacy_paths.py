"""Sonnet 1 import paths (sonnet.python.*): core re-exports and registry look-ups.

These run with snt-core alone: plugin names are checked with an isolated
registry; the real plugins are checked in tests/integration.
"""

import importlib
import importlib.util
import os
import subprocess
import sys

import pytest

import sonnet as snt
from sonnet.plugins import Export
from sonnet.testing import isolated_registry

MODULES = (
    "base base_errors util basic sequential conv embed layer_norm batch_norm batch_norm_v2 "
    "rnn_core basic_rnn gated_rnn clip_gradient scale_gradient nets nets.mlp nets.convnet"
).split()


def _legacy(name):
    return importlib.import_module(f"sonnet.python.modules.{name}")


def test_importing_every_legacy_module_loads_no_plugin():
    names = ", ".join(f"sonnet.python.modules.{m}" for m in MODULES)
    code = (
        f"import sys, {names}, sonnet.python.ops.nest, sonnet.python.ops.initializers, "
        "sonnet.python.custom_getters\n"
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
    from sonnet.python.ops import nest

    assert nest.flatten is snt.nest.flatten and nest.pack_iterable_as is snt.nest.pack_iterable_as


class FakeNets:
    """Stands in for snt-nets: a few exports under their reserved names."""

    linear = type("Linear", (snt.AbstractModule,), {"_build": lambda self: None})
    mlp = type("MLP", (snt.AbstractModule,), {"_build": lambda self: None})

    @snt.hookimpl
    def snt_exports(self):
        return [
            Export("Linear", self.linear),
            Export("SUPPORTED_2D_DATA_FORMATS", frozenset({"NHWC", "NCHW"}), kind="constant"),
            Export("MLP", self.mlp, namespace="nets"),
        ]


def test_plugin_names_resolve_through_the_registry():
    fake = FakeNets()
    with isolated_registry(plugins=[(fake, "snt-nets")]):
        assert _legacy("basic").Linear is fake.linear
        assert _legacy("conv").SUPPORTED_2D_DATA_FORMATS == {"NHWC", "NCHW"}
        assert _legacy("nets.convnet").SUPPORTED_2D_DATA_FORMATS == {"NHWC", "NCHW"}
        assert _legacy("nets").MLP is fake.mlp and _legacy("nets.mlp").MLP is fake.mlp
        from sonnet.python.modules.basic import Linear

        assert Linear is fake.linear


def test_missing_plugin_fails_on_use_with_the_install_hint():
    gated_rnn = _legacy("gated_rnn")  # importing works without snt-rnn
    with isolated_registry():
        with pytest.raises(AttributeError) as info:
            gated_rnn.LSTM  # noqa: B018
        assert str(info.value) == (
            "sonnet.python.modules.gated_rnn.LSTM (Sonnet 1 gated_rnn.py) is snt.LSTM: "
            "snt.LSTM is provided by snt-rnn, which is not installed (pip install snt-rnn)"
        )
        with pytest.raises(ImportError, match=r"snt.MLP is provided by snt-nets|nets.MLP is"):
            from sonnet.python.modules.nets import MLP  # noqa: F401


@pytest.mark.skipif(
    importlib.util.find_spec("snt_nets") is not None, reason="needs snt-nets absent"
)
def test_basic_linear_without_snt_nets_installed():
    with pytest.raises(AttributeError, match=r"provided by snt-nets, which is not installed"):
        _legacy("basic").Linear  # noqa: B018


def test_unknown_legacy_name_suggests_close_matches():
    with pytest.raises(
        AttributeError,
        match=r"module 'sonnet.python.modules.basic' has no attribute 'Lienar' "
        r"\(Sonnet 1's basic.py has no such name; did you mean 'Linear'\?\)",
    ):
        _legacy("basic").Lienar  # noqa: B018


def test_dir_and_all_list_the_sonnet_1_names():
    conv = _legacy("conv")
    assert {"SAME", "Conv2D", "SUPPORTED_2D_DATA_FORMATS", "Conv2DTranspose"} <= set(conv.__all__)
    assert "Conv2D" in dir(conv)
    assert set(_legacy("nets").__all__) == {"MLP", "ConvNet2D", "ConvNet2DTranspose"}
    assert "LSTMState" in _legacy("gated_rnn").__all__
