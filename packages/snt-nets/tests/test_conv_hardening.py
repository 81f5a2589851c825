"""Regressions found by the property-based hardening tests (tests/integration/hardening).

Each test runs in graph and in eager mode (the ``mode`` fixture).
"""

import itertools

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.conv.causal_conv_1d import CausalConv1D
from snt_nets.conv.conv_1d import Conv1D
from snt_nets.conv.conv_2d import Conv2D
from snt_nets.conv.conv_3d import Conv3D
from snt_nets.conv.depthwise_conv_2d import DepthwiseConv2D
from snt_nets.conv.in_plane_conv_2d import InPlaneConv2D
from snt_nets.conv.separable_conv import SeparableConv1D, SeparableConv2D
from snt_nets.nets.convnet import ConvNet2D


def _np_conv_same(x, w, stride):
    """TensorFlow's SAME convolution on channels-last NumPy arrays, w [*k, in, out]."""
    n = x.ndim - 2
    pads = [(0, 0)]
    for d in range(n):
        size, k, s = x.shape[1 + d], w.shape[d], stride[d]
        total = max((-(-size // s) - 1) * s + k - size, 0)
        pads.append((total // 2, total - total // 2))
    x = np.pad(x, [*pads, (0, 0)])
    out_sizes = [(x.shape[1 + d] - w.shape[d]) // stride[d] + 1 for d in range(n)]
    out = np.zeros([x.shape[0], *out_sizes, w.shape[-1]])
    for pos in itertools.product(*[range(s) for s in out_sizes]):
        for tap in itertools.product(*[range(k) for k in w.shape[:n]]):
            idx = tuple(pos[d] * stride[d] + tap[d] for d in range(n))
            out[(slice(None), *pos)] += x[(slice(None), *idx)] @ w[tap]
    return out


def _depthwise_as_dense(w):
    """A depthwise kernel [*k, C, M] as the equivalent dense kernel [*k, C, C * M]."""
    *k, c, m = w.shape
    dense = np.zeros([*k, c, c * m], w.dtype)
    for i in range(c):
        dense[..., i, i * m : (i + 1) * m] = w[..., i, :]
    return dense


# One input channel, stride 1 along the next-to-last spatial dimension and above 1 along
# the last: TensorFlow 2.21's oneDNN kernels return wrong values (often garbage) for these.
ONE_CHANNEL_CASES = [
    ((3, 3, 1), (2, 3), (1, 2)),
    ((2, 4, 2), (2, 2), (1, 3)),
    ((2, 5, 5), (3, 3), (1, 2)),
    ((2, 3, 5), (1, 3), (1, 3)),
]


def _depthwise_takes_unequal_strides():
    """Whether this TensorFlow build's depthwise kernel accepts unequal strides.

    oneDNN's does (x86 CPUs, the default); TensorFlow's own kernels (GPU, ARM,
    ``TF_ENABLE_ONEDNN_OPTS=0``, as in CI) refuse them.
    """
    try:
        tf.nn.depthwise_conv2d(tf.ones([1, 3, 3, 1]), tf.ones([1, 1, 1, 1]), [1, 1, 2, 1], "SAME")
    except tf.errors.InvalidArgumentError:
        return False
    return True


#: Probed once, eagerly, at import (inside a graph-mode test the op would not run).
DEPTHWISE_TAKES_UNEQUAL_STRIDES = _depthwise_takes_unequal_strides()


@pytest.mark.parametrize("shape, kernel, stride", ONE_CHANNEL_CASES)
def test_one_input_channel_with_a_stride_along_the_last_dimension_only(mode, shape, kernel, stride):
    x = np.random.RandomState(0).uniform(-1, 1, (*shape, 1)).astype(np.float32)
    conv2d = Conv2D(2, kernel, stride=stride, use_bias=False)
    y = conv2d(tf.constant(x))
    out, w = mode.evaluate([y, conv2d.w])
    np.testing.assert_allclose(out, _np_conv_same(x, w, stride), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("shape, kernel, stride", ONE_CHANNEL_CASES)
def test_depthwise_family_with_a_stride_along_the_last_dimension_only(mode, shape, kernel, stride):
    x = np.random.RandomState(0).uniform(-1, 1, (*shape, 1)).astype(np.float32)
    depthwise = DepthwiseConv2D(2, kernel, stride=stride, use_bias=False)
    in_plane = InPlaneConv2D(kernel, stride=stride, use_bias=False)
    separable = SeparableConv2D(3, 2, kernel, stride=stride, use_bias=False)
    modules = (depthwise, in_plane, separable)
    if not DEPTHWISE_TAKES_UNEQUAL_STRIDES:
        # Without oneDNN, TensorFlow's depthwise op refuses unequal strides (as it
        # did under Sonnet 1); each module still runs the op it documents.
        for module in modules:
            with pytest.raises(tf.errors.InvalidArgumentError, match="equal length strides"):
                mode.evaluate(module(tf.constant(x)))
        return
    outputs = [m(tf.constant(x)) for m in modules]
    weights = [depthwise.w, in_plane.w, separable.w_dw, separable.w_pw]
    (y_depthwise, y_in_plane, y_separable), (w_dw, w_in, w_sdw, w_spw) = mode.evaluate(
        [outputs, weights]
    )
    expected = [
        _np_conv_same(x, _depthwise_as_dense(w_dw), stride),
        _np_conv_same(x, w_in, stride),
        _np_conv_same(x, _depthwise_as_dense(w_sdw), stride) @ w_spw[0, 0],
    ]
    for actual, wanted in zip([y_depthwise, y_in_plane, y_separable], expected, strict=True):
        np.testing.assert_allclose(actual, wanted, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("stride", [(1, 1, 2), (2, 1, 3), (1, 1, 3)])
def test_conv_3d_one_input_channel_with_a_stride_along_the_last_dimension_only(mode, stride):
    x = np.random.RandomState(1).uniform(-1, 1, (2, 3, 3, 4, 1)).astype(np.float32)
    conv = Conv3D(2, (2, 2, 3), stride=stride, use_bias=False)
    y = conv(tf.constant(x))
    out, w = mode.evaluate([y, conv.w])
    np.testing.assert_allclose(out, _np_conv_same(x, w, stride), rtol=1e-4, atol=1e-4)


def test_separable_conv_1d_uses_equal_strides(mode, monkeypatch):
    # TensorFlow's depthwise kernels without oneDNN (GPU, ARM, TF_ENABLE_ONEDNN_OPTS=0)
    # refuse unequal strides; the size-1 dimension added for the 2-D op can take any.
    seen = []
    real = tf.nn.separable_conv2d

    def spy(*args, **kwargs):
        seen.append(tuple(kwargs["strides"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(tf.nn, "separable_conv2d", spy)
    x = np.random.RandomState(2).uniform(-1, 1, (2, 7, 2)).astype(np.float32)
    conv = SeparableConv1D(3, 2, 3, stride=2, use_bias=False)
    y = conv(tf.constant(x))
    out, w_dw, w_pw = mode.evaluate([y, conv.w_dw, conv.w_pw])
    assert seen == [(1, 2, 2, 1)]
    x2 = x[:, None]  # as 2-D: [N, 1, W, C]
    assert w_dw.shape == (1, 3, 2, 2) and w_pw.shape == (1, 1, 4, 3)  # 4-D, as in Sonnet 1
    expected = _np_conv_same(x2, _depthwise_as_dense(w_dw), (1, 2)) @ w_pw[0, 0]
    np.testing.assert_allclose(out, expected[:, 0], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("make", [Conv1D, CausalConv1D, Conv3D])
@pytest.mark.parametrize("bad", [0, -2, 1.5, "3", None, True])
def test_output_channels_must_be_a_positive_int(mode, make, bad):
    del mode
    with pytest.raises(TypeError, match="my_conv: output_channels must be a positive int"):
        make(bad, 3, name="my_conv")
    with pytest.raises(TypeError, match="my_sep: output_channels must be a positive int"):
        SeparableConv2D(bad, 1, 3, name="my_sep")


def test_output_channels_callable_must_give_a_positive_int(mode):
    del mode
    conv = Conv2D(lambda: 0, 3, name="my_conv")
    with pytest.raises(TypeError, match="my_conv: the output_channels callable must return"):
        conv(tf.ones([1, 4, 4, 2]))
    # Modules whose output channels follow the input need none.
    assert DepthwiseConv2D(2, 3)(tf.ones([1, 4, 4, 2])).shape.as_list() == [1, 4, 4, 4]
    assert InPlaneConv2D(3)(tf.ones([1, 4, 4, 2])).shape.as_list() == [1, 4, 4, 2]


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda: Conv1D(2, 3, name="my_conv"), [1, 4, 0]),
        (lambda: Conv3D(2, 3, data_format="NCDHW", name="my_conv"), [1, 0, 3, 3, 3]),
        (lambda: DepthwiseConv2D(2, 3, name="my_conv"), [2, 4, 4, 0]),
        (lambda: InPlaneConv2D(3, name="my_conv"), [2, 4, 4, 0]),
        (lambda: SeparableConv1D(2, 2, 3, name="my_conv"), [1, 4, 0]),
    ],
)
def test_inputs_without_channels(mode, make, shape):
    del mode
    with pytest.raises(snt.IncompatibleShapeError, match="my_conv: .*at least one channel"):
        make()(tf.ones(shape))


@pytest.mark.parametrize(
    "padding_value, padding, size",
    [
        ("REFLECT", "FULL", 2),  # pads 2 on each side of 2 elements: REFLECT needs fewer
        ("REFLECT", "CAUSAL", 1),
        ("SYMMETRIC", "REVERSE_CAUSAL", 1),  # pads 2 after 1 element: SYMMETRIC needs <= 1
        ("REFLECT", "SAME", 1),
    ],
)
def test_mirror_padding_larger_than_the_input(mode, padding_value, padding, size):
    del mode
    conv = Conv2D(2, 3, padding=padding, padding_value=padding_value, name="my_conv")
    with pytest.raises(snt.IncompatibleShapeError, match=f"my_conv: .*{padding_value}"):
        conv(tf.ones([1, 5, size, 1]))
    # The same padding fits an input large enough (SYMMETRIC: as many as the size).
    fits = Conv2D(2, 3, padding=padding, padding_value=padding_value)
    assert fits(tf.ones([1, 5, 3, 1])).shape.as_list()[-1] == 2
    symmetric = Conv1D(2, 3, padding="FULL", padding_value="SYMMETRIC")
    assert symmetric(tf.ones([1, 2, 1])).shape.as_list() == [1, 4, 2]


def test_transpose_refusal_names_the_padding_value(mode):
    del mode
    with pytest.raises(snt.NotSupportedError, match="my_conv: .*padding_value SYMMETRIC"):
        Conv3D(2, 3, padding_value="SYMMETRIC", name="my_conv").transpose()


@pytest.mark.parametrize("bad", [3, None, 2.5, "ab"])
def test_conv_net_2d_output_channels_must_be_a_sequence(mode, bad):
    del mode
    with pytest.raises(TypeError, match="my_net: output_channels must be iterable, with one entry"):
        ConvNet2D(bad, [3], [1], ["SAME"], name="my_net")


def test_conv_net_2d_bad_normalization_string(mode):
    del mode
    with pytest.raises(ValueError, match="my_net: bad normalization_ctor 'snt.NoSuchNorm'"):
        ConvNet2D([2], [3], [1], ["SAME"], normalization_ctor="snt.NoSuchNorm", name="my_net")


def test_conv_net_2d_bad_layer_channels(mode):
    del mode
    with pytest.raises(TypeError, match="my_net/conv_2d_1: output_channels must be a positive"):
        ConvNet2D([2, 0], [3], [1], ["SAME"], name="my_net")


@pytest.mark.parametrize("bad", ["abc", {"w": 1}, 3.0])
def test_mask_must_be_an_array(mode, bad):
    # Used to fail on connection with a ValueError from TensorFlow, without the name.
    del mode
    with pytest.raises(TypeError, match="my_conv: Invalid type for mask: "):
        Conv2D(2, 3, mask=bad, name="my_conv")


@pytest.mark.parametrize("bad", [[["a"]], np.array([True, False, True]), np.ones(3, np.int32)])
def test_mask_must_hold_floats(mode, bad):
    # As in Sonnet 1: integer or boolean masks are refused, float ones of any width taken.
    del mode
    with pytest.raises(
        TypeError,
        match=r"^Mask needs to have dtype float16, bfloat16, float32 or float64; got \w+ \(in "
        r"my_conv\)",
    ):
        Conv1D(2, 3, mask=bad, name="my_conv")
    halves = Conv1D(2, 3, mask=np.array([1, 0, 1], np.float16))
    assert halves(tf.ones([1, 4, 1])).shape.as_list() == [1, 4, 2]


def test_numpy_integer_kernel_and_stride(mode):
    conv = snt.Conv2D(2, np.int64(3), stride=[np.int32(1), 1], name="m_conv")
    out = conv(tf.ones([1, 4, 4, 1]))
    assert conv.kernel_shape == (3, 3) and conv.stride == (1, 1, 1, 1)
    assert type(conv.kernel_shape[0]) is int
    assert out.shape.as_list() == [1, 4, 4, 2]
