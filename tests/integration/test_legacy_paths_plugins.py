"""Sonnet 1 import paths with every first-party plugin installed."""

from __future__ import annotations

import importlib

import pytest

import sonnet as snt

MODULES = (
    "basic sequential conv embed layer_norm batch_norm batch_norm_v2 rnn_core basic_rnn "
    "gated_rnn nets nets.mlp nets.convnet"
).split()

#: Sonnet 1 file-level names no first-party plugin exports yet (see docs/migration.md).
# Sonnet 1 names no first-party plugin provides (see docs/migrating-from-sonnet-1.md).
NOT_EXPORTED = {
    "gated_rnn": {"LSTMBlockCell"},
}


@pytest.mark.parametrize("name", MODULES)
def test_every_exported_name_is_the_snt_object(name):
    module = importlib.import_module(f"sonnet.python.modules.{name}")
    missing = set()
    for attr in module.__all__:
        try:
            value = getattr(module, attr)
        except AttributeError as error:
            assert f"sonnet.python.modules.{name}.{attr}" in str(error)
            missing.add(attr)
            continue
        expected = snt.nets if name.startswith("nets") and attr.startswith("ConvNet") else snt
        if attr == "MLP":
            expected = snt.nets
        assert value is getattr(expected, attr) or value == getattr(expected, attr)
    assert missing == NOT_EXPORTED.get(name, set())


def test_legacy_constants_and_classes():
    from sonnet.python.modules import basic, conv, gated_rnn, nets, util
    from sonnet.python.modules.nets import convnet

    assert basic.Linear is snt.Linear and gated_rnn.LSTM is snt.LSTM
    assert conv.SAME == "SAME" and conv.SUPPORTED_2D_DATA_FORMATS == {"NHWC", "NCHW"}
    assert convnet.DATA_FORMAT_NHWC == "NHWC" and util.SUPPORTED == "supported"
    assert nets.MLP is snt.nets.MLP and nets.ConvNet2DTranspose is snt.nets.ConvNet2DTranspose
    assert conv.Conv2DTranspose is snt.Conv2DTranspose


def test_missing_export_names_the_plugin():
    from sonnet.python.modules import gated_rnn

    with pytest.raises(AttributeError, match=r"gated_rnn.LSTMBlockCell .* reserved for snt-rnn"):
        gated_rnn.LSTMBlockCell  # noqa: B018


def test_disabled_plugin_fails_on_use_not_on_import(run_python):
    code = (
        "from sonnet.python.modules import gated_rnn, basic\n"
        "print(basic.Linear.__name__)\n"
        "try:\n    gated_rnn.LSTM\nexcept AttributeError as e:\n    print('ERR', e)\n"
    )
    proc = run_python(code, SNT_DISABLE_PLUGINS="snt-rnn")
    assert proc.returncode == 0, proc.stderr
    assert "Linear" in proc.stdout
    assert "ERR sonnet.python.modules.gated_rnn.LSTM" in proc.stdout
    assert "snt.LSTM is provided by snt-rnn" in proc.stdout


def test_initializer_helpers_of_sonnet1_files():
    import numpy as np

    from sonnet.python.modules import basic, batch_norm, batch_norm_v2, conv, layer_norm

    assert basic.create_linear_initializer is snt.create_linear_initializer
    assert conv.create_bias_initializer is basic.create_bias_initializer
    assert basic.calculate_bias_shape is snt.calculate_bias_shape
    for module in (layer_norm, batch_norm, batch_norm_v2):
        np.testing.assert_array_equal(module.create_gamma_initializer()([2]), [1.0, 1.0])
        np.testing.assert_array_equal(module.create_beta_initializer()([2]), [0.0, 0.0])
    np.testing.assert_array_equal(batch_norm.create_mean_initializer()([1]), [0.0])
    np.testing.assert_array_equal(batch_norm_v2.create_variance_initializer()([1]), [1.0])
    stddev = np.std(conv.create_weight_initializer([3, 3, 4])([2000]).numpy())
    assert 0.8 / 6 < stddev < 1.0 / 6  # truncated normal, stddev 1/sqrt(36) before truncation
