"""Sonnet 1 import paths with every first-party plugin installed."""

from __future__ import annotations

import importlib

import pytest

import sonnet as snt

#: Every legacy module known now: snt-core's, the hinted ones, those plugins declare.
PATHS = sorted(snt.plugins.legacy_paths())


def test_the_sonnet_1_files_are_all_there():
    files = "base base_errors util basic sequential conv embed layer_norm batch_norm "
    files += "batch_norm_v2 rnn_core basic_rnn gated_rnn nets nets.mlp nets.convnet"
    expected = {f"sonnet.python.modules.{f}" for f in files.split()}
    expected |= {"sonnet.python.ops.nest", "sonnet.python.custom_getters"}
    assert expected <= set(PATHS)


@pytest.mark.parametrize("path", PATHS)
def test_star_import_gives_every_listed_name(path):
    module = importlib.import_module(path)
    namespace: dict = {}
    exec(f"from {path} import *", namespace)  # raises if a listed name does not resolve
    listed = set(module.__all__)
    assert listed == set(namespace) - {"__builtins__"}
    for name in listed:
        assert namespace[name] is getattr(module, name)


@pytest.mark.parametrize("path", PATHS)
def test_listed_names_are_the_snt_objects(path):
    module = importlib.import_module(path)
    for attr, target in snt.plugins.legacy_paths()[path].items():
        if ":" in target:  # a "module:attr" reference, not an snt name
            continue
        expected = snt
        for part in target.split("."):
            expected = getattr(expected, part)
        assert getattr(module, attr) is expected, (path, attr, target)


def test_legacy_constants_and_classes():
    from sonnet.python.modules import basic, conv, gated_rnn, nets, util
    from sonnet.python.modules.nets import convnet

    assert basic.Linear is snt.Linear and gated_rnn.LSTM is snt.LSTM
    assert conv.SAME == "SAME" and conv.SUPPORTED_2D_DATA_FORMATS == {"NHWC", "NCHW"}
    assert convnet.DATA_FORMAT_NHWC == "NHWC" and util.SUPPORTED == "supported"
    assert nets.MLP is snt.nets.MLP and nets.ConvNet2DTranspose is snt.nets.ConvNet2DTranspose
    assert conv.Conv2DTranspose is snt.Conv2DTranspose  # conv.py is filled by two plugins


def test_sonnet_1_internal_fill_shape():
    from sonnet.python.modules import conv

    assert conv._fill_shape(3, 2) == (3, 3) and conv._fill_shape([1, 2, 3], 3) == (1, 2, 3)
    with pytest.raises(TypeError, match="n must be a positive integer"):
        conv._fill_shape(3, 0)
    for bad in ([], [3], [3, 3], ["b"]):
        with pytest.raises(TypeError, match="positive integer or an iterable of positive"):
            conv._fill_shape(bad, 4)
    assert "_fill_shape" not in conv.__all__


def test_names_nobody_declares_are_absent_not_broken():
    # Sonnet 1 names the installed plugins do not provide (yet) are simply not listed.
    from sonnet.python.modules import gated_rnn

    for name in ("LSTMBlockCell",):
        if name in snt.plugins.legacy_paths()[gated_rnn.__name__]:
            continue  # provided by the installed snt-rnn
        assert name not in gated_rnn.__all__
        with pytest.raises(AttributeError, match=rf"gated_rnn.{name}: .*reserved for snt-rnn"):
            getattr(gated_rnn, name)


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
    assert "snt.LSTM is provided by snt-rnn, which is installed but disabled" in proc.stdout


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
