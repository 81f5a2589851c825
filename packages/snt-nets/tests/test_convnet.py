import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets import _plugin
from snt_nets.batch_norm import BatchNorm
from snt_nets.layer_norm import LayerNorm
from snt_nets.nets import convnet
from snt_nets.nets.convnet import ConvNet2D
from sonnet.testing import isolated_registry


def test_names_numerics_and_trains(mode, check_trains):
    net = ConvNet2D([4, 2], kernel_shapes=[3], strides=[1], paddings=["SAME"])
    x = tf.constant(np.random.RandomState(0).randn(2, 5, 5, 3).astype(np.float32))
    y = net(x)
    assert [(v.name, v.shape.as_list()) for v in net.get_variables()] == [
        ("conv_net_2d/conv_2d_0/b:0", [4]),
        ("conv_net_2d/conv_2d_0/w:0", [3, 3, 3, 4]),
        ("conv_net_2d/conv_2d_1/b:0", [2]),
        ("conv_net_2d/conv_2d_1/w:0", [3, 3, 4, 2]),
    ]
    first, second = net.layers
    ref = second(tf.nn.relu(first(x)))
    out, expected = mode.evaluate([y, ref])
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    assert net.output_channels == (4, 2) and net.input_shape == (2, 5, 5, 3)
    check_trains(mode, lambda: tf.reduce_mean(tf.square(net(x) - 1)), lambda: net.variables)


def test_normalization(mode):
    net = ConvNet2D(
        [4, 2],
        [3],
        [2],
        ["VALID"],
        normalization_ctor=BatchNorm,
        normalization_kwargs={"scale": True},
        activate_final=True,
    )
    x = tf.ones([2, 9, 9, 1])
    out = net(x, is_training=True)
    net(x, is_training=False, test_local_stats=False)
    assert out.shape.as_list() == [2, 1, 1, 2]
    names = [v.name for v in net.get_variables(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)]
    assert "conv_net_2d/batch_norm_0/moving_mean:0" in names
    assert "conv_net_2d/batch_norm_1/gamma:0" in names  # normalize_final follows activate_final
    legacy = ConvNet2D([2], [3], [1], ["SAME"], use_batch_norm=True, name="legacy")
    legacy(x, is_training=True)
    assert legacy.use_batch_norm and legacy.normalize_final is False
    string = ConvNet2D(
        [2, 2],
        [3],
        [1],
        ["SAME"],
        normalization_ctor="snt_nets.layer_norm.LayerNorm",
        name="with_ln",
    )
    string(x, is_training=True)  # is_training is dropped for LayerNorm
    assert string.normalization_ctor is LayerNorm


def test_nchw(mode):
    net = ConvNet2D([3], [3], [1], ["SAME"], data_format="NCHW")
    assert net(tf.ones([1, 2, 4, 4])).shape.as_list() == [1, 3, 4, 4]


def test_errors(eager):
    with pytest.raises(ValueError, match="conv_net_2d: output_channels must not be empty"):
        ConvNet2D([], [3], [1], ["SAME"])
    with pytest.raises(
        ValueError,
        match=r"conv_net_2d_1: kernel_shapes must be of length 1 or len\(output_channels\) "
        r"\(2\); got 3",
    ):
        ConvNet2D([2, 2], [3, 3, 3], [1], ["SAME"])
    with pytest.raises(ValueError, match="conv_net_2d_2: Invalid data_format 'NWC'"):
        ConvNet2D([2], [3], [1], ["SAME"], data_format="NWC")
    with pytest.raises(
        ValueError, match="conv_net_2d_3: if use_batch_norm is specified, normalization_ctor"
    ):
        ConvNet2D([2], [3], [1], ["SAME"], use_batch_norm=True, normalization_ctor=BatchNorm)
    with pytest.raises(KeyError, match="conv_net_2d_4: Invalid initializer keys"):
        ConvNet2D([2], [3], [1], ["SAME"], initializers={"gamma": tf.zeros_initializer()})
    with pytest.raises(snt.NotConnectedError, match="conv_net_2d_5"):
        _ = ConvNet2D([2], [3], [1], ["SAME"]).input_shape
    with pytest.raises(TypeError, match=r"conv_net_2d_6: paddings must be iterable .*<function"):
        ConvNet2D([2], [3], [1], lambda x: x)
    with pytest.raises(TypeError, match="conv_net_2d_7: use_batch_norm must be a boolean"):
        ConvNet2D([2], [3], [1], ["SAME"], use_batch_norm=[True])
    with pytest.raises(ValueError, match="conv_net_2d_8: rates must be of length 1 or len"):
        ConvNet2D([2, 2, 2], [3], [1], ["SAME"], rates=[1, 2])
    with pytest.raises(ValueError, match="conv_net_2d_9: normalization_ctor must be a callable"):
        ConvNet2D([2], [3], [1], ["SAME"], normalization_ctor=3)


def test_transpose_needs_snt_transpose(eager):
    with isolated_registry(plugins=[(_plugin, "snt-nets")]):
        with pytest.raises(
            snt.NotSupportedError,
            match=r"conv_net_2d: transpose\(\) needs snt.nets.ConvNet2DTranspose from the "
            r"snt-transpose package: .*is provided by snt-transpose, which is not installed "
            r"\(pip install snt-transpose\)",
        ):
            ConvNet2D([2], [3], [1], ["SAME"]).transpose()


def test_transpose_arguments(eager, monkeypatch):
    seen = {}
    monkeypatch.setattr(
        convnet, "lookup_plugin_class", lambda *a, **k: lambda **kw: seen.update(kw) or "built"
    )
    net = ConvNet2D([4, 2], [3, 5], [2, 1], ["SAME", "VALID"])
    assert net.transpose() == "built"
    net(tf.ones([1, 12, 12, 3]))
    assert [f() for f in seen["output_channels"]] == [4, 3]
    assert [f() for f in seen["output_shapes"]] == [(6, 6), (12, 12)]
    assert seen["kernel_shapes"] == (5, 3) and seen["strides"] == (1, 2)
    assert seen["paddings"] == ("VALID", "SAME") and seen["name"] == "conv_net_2d_transpose"
    with pytest.raises(snt.NotSupportedError, match="dilated"):
        ConvNet2D([2], [3], [1], ["SAME"], rates=[2]).transpose()
