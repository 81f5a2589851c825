"""ConvND.transpose() <-> ConvNDTranspose.transpose(), found through the plugin registry."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}
FIRST = {1: "NCW", 2: "NCHW", 3: "NCDHW"}


def spec(mod):
    return (
        type(mod).__name__.replace("Transpose", ""),
        mod.output_channels,
        mod.kernel_shape,
        mod.stride,
        mod.padding,
        mod.data_format,
        mod.has_bias,
    )


def batch(n, spatial, channels, fmt):
    shape = [2, channels, *[spatial] * n] if fmt.startswith("NC") else [2, *[spatial] * n, channels]
    return tf.ones(shape)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_conv_transpose_is_built_before_and_connected_after(mode, n, padding):
    fmt = FIRST[n] if n == 2 else LAST[n]
    conv = getattr(snt, f"Conv{n}D")(4, kernel_shape=3, stride=2, padding=padding, data_format=fmt)
    up = conv.transpose()
    assert type(up) is getattr(snt, f"Conv{n}DTranspose")
    assert up.module_name == f"conv_{n}d_transpose" and up.kernel_shape == (3,) * n
    x = batch(n, 7, 3, fmt)
    with pytest.raises(snt.NotConnectedError, match=f"conv_{n}d: module not connected"):
        up(batch(n, 4, 4, fmt))  # the deferred settings read the original's input shape
    up = conv.transpose(name="up")
    y = up(conv(x))
    assert y.shape.as_list() == x.shape.as_list()
    assert up.output_channels == 3 and up.output_shape == (7,) * n
    mode.evaluate(y)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_transposing_twice_keeps_the_specification(eager, n):
    conv = getattr(snt, f"Conv{n}D")(
        5, kernel_shape=2, stride=3, padding="VALID", use_bias=False, data_format=FIRST[n]
    )
    up = conv.transpose()
    again = up.transpose()
    assert type(again) is type(conv) and again.module_name == f"conv_{n}d_transpose_transpose"
    x = batch(n, 8, 2, FIRST[n])
    again(up(conv(x)))
    assert spec(again) == spec(conv)
    # stride is Sonnet 1's full-rank form, (1, 1, 3, ...) in channels-first formats.
    assert spec(up)[1:] == (2, (2,) * n, (1, 1) + (3,) * n, "VALID", FIRST[n], False)


def test_transpose_of_transpose_defers_channels(mode):
    up = snt.Conv2DTranspose(6, kernel_shape=3, stride=2, name="up")
    down = up.transpose()
    assert type(down) is snt.Conv2D and down.module_name == "up_transpose"
    with pytest.raises(snt.NotConnectedError, match="up: module not connected"):
        down(tf.ones([1, 8, 8, 6]))
    x = tf.ones([1, 4, 4, 3])
    down = up.transpose()
    y = down(up(x))
    assert y.shape.as_list() == [1, 4, 4, 3] and down.output_channels == 3
    mode.evaluate(y)


def test_transpose_keeps_initializers_regularizers_and_custom_getter(mode):
    seen = []

    def getter(get, name, *args, **kwargs):
        seen.append(name.split("/")[-1])
        return get(name, *args, **kwargs)

    conv = snt.Conv2D(
        2,
        kernel_shape=1,
        initializers={"w": tf.compat.v1.ones_initializer()},
        regularizers={"w": tf.nn.l2_loss},
        custom_getter=getter,
    )
    up = conv.transpose()
    out = up(conv(tf.ones([1, 3, 3, 4])))
    assert up.regularizers == conv.regularizers and len(up.get_regularization_losses()) == 1
    np.testing.assert_allclose(mode.evaluate(out), np.full([1, 3, 3, 4], 8.0))
    assert seen.count("w") >= 2 and seen.count("b") >= 2
    back = up.transpose()
    assert back.initializers == conv.initializers


def test_conv_nets_round_trip(mode):
    net = snt.nets.ConvNet2D([4, 8], kernel_shapes=[3, 2], strides=[2, 1], paddings=["VALID"])
    up = net.transpose()
    assert type(up) is snt.nets.ConvNet2DTranspose
    assert up.kernel_shapes == (2, 3) and up.strides == (1, 2) and up.paddings == ("VALID",) * 2
    x = tf.ones([2, 9, 10, 3])
    y = up(net(x))
    assert y.shape.as_list() == [2, 9, 10, 3]
    assert up.output_channels == (4, 3) and up.output_shapes == ((4, 4), (9, 10))
    again = up.transpose()
    assert type(again) is snt.nets.ConvNet2D
    assert again.module_name == "conv_net_2d_transpose_transpose"
    z = again(y)
    assert again.output_channels == net.output_channels
    assert again.kernel_shapes == net.kernel_shapes and again.strides == net.strides
    assert again.paddings == net.paddings and z.shape.as_list() == net(x).shape.as_list()
    mode.evaluate(z)


def test_conv_nets_round_trip_with_normalization(mode):
    net = snt.nets.ConvNet2D(
        [4, 2], [3], [2], ["SAME"], use_batch_norm=True, activate_final=True, name="enc"
    )
    up = net.transpose()
    assert up.normalization_ctor is net.normalization_ctor and up.activate_final
    y = up(net(tf.ones([2, 5, 6, 1]), is_training=True), is_training=True)
    assert y.shape.as_list() == [2, 5, 6, 1]
    names = {v.name for v in up.variables}
    assert {"enc_transpose/batch_norm_0/beta:0", "enc_transpose/batch_norm_1/beta:0"} <= names
    plain = up.transpose(use_batch_norm=True, batch_norm_config={"offset": False})
    assert plain.use_batch_norm and plain.normalization_kwargs == {"offset": False}
    mode.evaluate(y)
