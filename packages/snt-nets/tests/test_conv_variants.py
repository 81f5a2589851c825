"""DepthwiseConv2D, SeparableConv1D/2D and InPlaneConv2D against NumPy."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.conv.depthwise_conv_2d import DepthwiseConv2D
from snt_nets.conv.in_plane_conv_2d import InPlaneConv2D
from snt_nets.conv.separable_conv import SeparableConv1D, SeparableConv2D


def np_depthwise(x, w, padding):
    """x [N, H, W, C], w [kh, kw, C, M] -> [N, H', W', C*M], stride 1."""
    kh, kw, c, m = w.shape
    if padding == "SAME":
        x = np.pad(x, [(0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)])
    oh, ow = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.zeros([x.shape[0], oh, ow, c, m])
    for i in range(kh):
        for j in range(kw):
            out += x[:, i : i + oh, j : j + ow, :, None] * w[i, j]
    return out.reshape(x.shape[0], oh, ow, c * m)


X = np.random.RandomState(0).randn(2, 5, 5, 3).astype(np.float32)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_depthwise(mode, padding, check_trains):
    conv = DepthwiseConv2D(2, 3, padding=padding)
    y = conv(tf.constant(X))
    assert [(v.name, v.shape.as_list()) for v in conv.get_variables()] == [
        ("conv_2d_depthwise/b:0", [6]),
        ("conv_2d_depthwise/w:0", [3, 3, 3, 2]),
    ]
    w, b, out = mode.evaluate([conv.w, conv.b, y])
    np.testing.assert_allclose(out, np_depthwise(X, w, padding) + b, rtol=1e-4, atol=1e-5)
    assert conv.output_channels == 6 and conv.channel_multiplier == 2
    check_trains(
        mode, lambda: tf.reduce_mean(tf.square(conv(tf.constant(X)) - 1)), lambda: conv.variables
    )


def test_depthwise_nchw(mode):
    conv = DepthwiseConv2D(1, 3, data_format="NCHW", use_bias=False)
    y = conv(tf.constant(X.transpose(0, 3, 1, 2)))
    w, out = mode.evaluate([conv.w, y])
    np.testing.assert_allclose(
        out.transpose(0, 2, 3, 1), np_depthwise(X, w, "SAME"), rtol=1e-4, atol=1e-5
    )


def test_separable_2d(mode):
    conv = SeparableConv2D(4, 2, 3, padding="VALID")
    y = conv(tf.constant(X))
    assert [(v.name, v.shape.as_list()) for v in conv.get_variables()] == [
        ("separable_conv2d/b:0", [4]),
        ("separable_conv2d/w_dw:0", [3, 3, 3, 2]),
        ("separable_conv2d/w_pw:0", [1, 1, 6, 4]),
    ]
    w_dw, w_pw, b, out = mode.evaluate([conv.w_dw, conv.w_pw, conv.b, y])
    np.testing.assert_allclose(
        out, np_depthwise(X, w_dw, "VALID") @ w_pw[0, 0] + b, rtol=1e-4, atol=1e-4
    )


@pytest.mark.parametrize("data_format", ["NWC", "NCW"])
def test_separable_1d(mode, data_format):
    x = X[:, 0]  # [2, 5, 3]
    conv = SeparableConv1D(4, 2, 3, data_format=data_format, use_bias=False)
    inputs = x if data_format == "NWC" else x.transpose(0, 2, 1)
    y = conv(tf.constant(inputs))
    # 4-D kernels, as in Sonnet 1 (checkpoints carry these shapes).
    assert conv.w_dw.shape.as_list() == [1, 3, 3, 2] and conv.w_pw.shape.as_list() == [1, 1, 6, 4]
    w_dw, w_pw, out = mode.evaluate([conv.w_dw, conv.w_pw, y])
    ref = np_depthwise(x[:, None], w_dw, "SAME")[:, 0] @ w_pw[0, 0]
    if data_format == "NCW":
        out = out.transpose(0, 2, 1)
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-4)


def test_in_plane(mode, check_trains):
    conv = InPlaneConv2D(3)
    y = conv(tf.constant(X))
    assert [(v.name, v.shape.as_list()) for v in conv.get_variables()] == [
        ("in_plane_conv2d/b:0", [3]),
        ("in_plane_conv2d/w:0", [3, 3, 1, 1]),
    ]
    w, b, out = mode.evaluate([conv.w, conv.b, y])
    np.testing.assert_allclose(
        out, np_depthwise(X, np.tile(w, [1, 1, 3, 1]), "SAME") + b, rtol=1e-4, atol=1e-5
    )
    check_trains(
        mode, lambda: tf.reduce_mean(tf.square(conv(tf.constant(X)) - 1)), lambda: conv.variables
    )


def test_errors(eager):
    with pytest.raises(ValueError, match="conv_2d_depthwise: channel_multiplier must be"):
        DepthwiseConv2D(0, 3)
    with pytest.raises(ValueError, match="separable_conv2d: channel_multiplier must be"):
        SeparableConv2D(4, 0, 3)
    with pytest.raises(KeyError, match="separable_conv1d: Invalid initializer keys"):
        SeparableConv1D(4, 1, 3, initializers={"w": tf.zeros_initializer()})
    conv = SeparableConv2D(4, 1, 3, name="sep")
    with pytest.raises(AttributeError):
        _ = conv.w
    with pytest.raises(snt.NotConnectedError, match="sep: "):
        _ = conv.w_dw
    conv(tf.ones([1, 4, 4, 2]))
    with pytest.raises(snt.IncompatibleShapeError, match="sep: .*must stay 2.*got 3"):
        conv(tf.ones([1, 4, 4, 3]))
    with pytest.raises(
        snt.IncompatibleShapeError, match="in_plane_conv2d: Input Tensor must have rank 4"
    ):
        InPlaneConv2D(3)(tf.ones([1, 4, 4]))
