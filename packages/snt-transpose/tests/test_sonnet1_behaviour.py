"""Sonnet 1 behaviours of the transposed convolutions and of the conv nets' transposes."""

import logging

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


@pytest.mark.parametrize(
    "output_shape",
    [tf.compat.v1.Dimension(10), np.int64(10), [tf.compat.v1.Dimension(10)] * 2, (10, 10)],
)
def test_output_shape_accepts_dimensions(mode, output_shape):
    up = snt.Conv2DTranspose(3, output_shape=output_shape, kernel_shape=5, stride=2)
    y = up(tf.zeros([2, 5, 5, 2]))
    assert up.output_shape == (10, 10) and all(type(d) is int for d in up.output_shape)
    assert y.shape.as_list() == [2, 10, 10, 3]
    assert mode.evaluate(y).shape == (2, 10, 10, 3)


@pytest.mark.parametrize("channels", [tf.compat.v1.Dimension(3), np.int32(3)])
def test_output_channels_may_be_dimensions(mode, channels):
    for up in (
        snt.Conv2DTranspose(channels, kernel_shape=2, name="fixed"),
        snt.Conv2DTranspose(lambda: channels, kernel_shape=2, name="deferred"),
    ):
        y = up(tf.zeros([1, 2, 2, 1]))
        assert up.output_channels == 3 and type(up.output_channels) is int
        assert mode.evaluate(y).shape == (1, 2, 2, 3)


def test_output_shape_accepts_a_tensor_shape(mode):
    up = snt.Conv2DTranspose(3, output_shape=tf.TensorShape([4, 5]), kernel_shape=3)
    assert up.output_shape == (4, 5)
    assert up(tf.zeros([1, 4, 5, 2])).shape.as_list() == [1, 4, 5, 3]


def test_callable_output_shape_may_return_dimensions(mode):
    shape = tf.TensorShape([None, 7, 9, 3])
    up = snt.Conv2DTranspose(2, output_shape=lambda: shape[1:3], kernel_shape=3, stride=2)
    assert up(tf.zeros([1, 4, 5, 1])).shape.as_list() == [1, 7, 9, 2]


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: snt.Conv1DTranspose(2, kernel_shape=3, stride=2), (1, 2, 1)),
        (lambda: snt.Conv1DTranspose(2, kernel_shape=3, stride=2, data_format="NCW"), (1, 1, 2)),
        (lambda: snt.Conv2DTranspose(2, kernel_shape=3, stride=(1, 2, 3, 1)), (1, 2, 3, 1)),
        (lambda: snt.Conv3DTranspose(2, kernel_shape=3, stride=2), (1, 2, 2, 2, 1)),
    ],
)
def test_stride_is_full_rank(eager, make, expected):
    up = make()
    assert up.stride == expected
    down = up.transpose()
    assert down.stride == expected and down.kernel_shape == up.kernel_shape


def test_conv1d_transpose_kernel_is_two_dimensional(mode):
    up = snt.Conv1DTranspose(
        2, kernel_shape=3, stride=2, initializers={"w": tf.compat.v1.ones_initializer()}
    )
    x = np.arange(3, dtype=np.float32).reshape(1, 3, 1)
    y = up(tf.constant(x))
    assert up.w.shape.as_list() == [1, 3, 2, 1]
    # SAME, stride 2, output size 6: input i scatters into outputs 2i .. 2i + 2; the
    # forward SAME convolution pads (3 - 1) * 2 + 3 - 6 = 1 element, after the end.
    ref = np.zeros(8)
    for i, v in enumerate(x[0, :, 0]):
        ref[2 * i : 2 * i + 3] += v
    out = mode.evaluate(y)
    np.testing.assert_allclose(out[0, :, 0], ref[:6])
    np.testing.assert_allclose(out[0, :, 1], ref[:6])


def test_transpose_of_unconnected_conv_defers(mode):
    conv = snt.Conv2D(4, kernel_shape=3, stride=2, name="enc")
    up = conv.transpose()  # nothing is known yet: no error
    assert up.kernel_shape == (3, 3) and up.stride == (1, 2, 2, 1)
    with pytest.raises(snt.NotConnectedError, match="enc"):
        _ = up.output_channels
    x = tf.zeros([1, 9, 9, 3])
    y = up(conv(x))
    assert up.output_channels == 3 and up.output_shape == (9, 9)
    assert mode.evaluate(y).shape == (1, 9, 9, 3)


# -- conv nets ------------------------------------------------------------------


def _net(**kwargs):
    args = dict(
        output_channels=[2, 3, 4],
        kernel_shapes=[[3, 3], [5, 5], [7, 7]],
        strides=[[1, 1], [2, 2], [3, 3]],
        paddings=[snt.SAME, snt.SAME, snt.VALID],
        use_bias=[True, True, False],
    )
    args.update(kwargs)
    return snt.nets.ConvNet2D(**args)


def test_per_layer_use_bias_round_trip(mode):
    net = _net()
    assert net.use_bias == (True, True, False)
    assert tuple(layer.has_bias for layer in net.layers) == (True, True, False)
    up = net.transpose()
    assert up.use_bias == (False, True, True)
    assert tuple(layer.has_bias for layer in up.layers) == (False, True, True)
    y = up(net(tf.zeros([1, 24, 24, 1])))
    assert y.shape.as_list() == [1, 24, 24, 1]
    assert sum(v.name.endswith("/b:0") for v in up.variables) == 2
    mode.evaluate(y)


def test_transpose_output_shapes_length_one_is_repeated(mode):
    up = snt.nets.ConvNet2DTranspose([2, 3, 4], [[100, 100]], [[3, 3]], [1], [snt.SAME])
    assert up.output_shapes == ([100, 100],) * 3
    assert [layer.output_shape for layer in up.layers] == [(100, 100)] * 3
    assert up(tf.zeros([1, 100, 100, 3])).shape.as_list() == [1, 100, 100, 4]


def test_transpose_does_not_pass_the_custom_getter_on(mode, caplog):
    net = _net(custom_getter=snt.custom_getters.stop_gradient, name="enc")
    with caplog.at_level(logging.WARNING):
        up = net.transpose()
    assert up.custom_getter is None
    assert "enc was constructed with a custom getter" in caplog.text
    given = net.transpose(custom_getter=snt.custom_getters.stop_gradient, name="given")
    assert given.custom_getter is snt.custom_getters.stop_gradient
    back = up.transpose()
    assert back.custom_getter is None


def test_transpose_legacy_batch_norm_flag(eager):
    net = _net()
    up = net.transpose(use_batch_norm=True, batch_norm_config={"scale": True})
    assert up.normalization_ctor is snt.BatchNorm and up.use_batch_norm
    assert up.batch_norm_config == {"scale": True} == up.normalization_kwargs
    assert net.transpose(use_batch_norm=False).normalization_ctor is None
    with pytest.raises(ValueError, match="enc: If use_batch_norm is specified, normalization_ctor"):
        _net(name="enc").transpose(use_batch_norm=True, normalization_ctor=snt.LayerNorm)
    with pytest.raises(
        ValueError,
        match=r"Iterable output_channels length must match the number of layers \(3\), but is 18",
    ):
        net.transpose(output_channels=[42] * 18)
    with pytest.raises(
        ValueError, match="Iterable output_channels length must match the number of layers"
    ):
        net.transpose().transpose(output_channels=[1])


def test_transpose_of_dilated_net_is_not_implemented(eager):
    net = snt.nets.ConvNet2D([2, 3], [3], [1], [snt.SAME], rates=[1, 2], name="dil")
    with pytest.raises(NotImplementedError, match="dil: Transpose dilated convolutions"):
        net.transpose()
    with pytest.raises(snt.NotSupportedError):
        net.transpose()


def test_batch_norm_needs_is_training(mode):
    for net in (_net(use_batch_norm=True, name="a"), _net(use_batch_norm=True).transpose()):
        with pytest.raises(ValueError, match="is_training flag must be explicitly specified"):
            net(tf.zeros([1, 24, 24, 1]))
    plain = _net(normalization_ctor=snt.LayerNorm, name="ln")
    assert plain(tf.zeros([1, 24, 24, 1]), is_training=True).shape.as_list()[-1] == 4
