"""Sonnet 1 behaviours of the convolutions: shape helpers, full-rank strides, clone(), masks."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets import conv_utils
from snt_nets.conv.causal_conv_1d import CausalConv1D
from snt_nets.conv.conv_1d import Conv1D
from snt_nets.conv.conv_2d import Conv2D
from snt_nets.conv.conv_3d import Conv3D
from snt_nets.conv.depthwise_conv_2d import DepthwiseConv2D
from snt_nets.conv.in_plane_conv_2d import InPlaneConv2D
from snt_nets.conv.separable_conv import SeparableConv1D, SeparableConv2D

SIZE_PHRASE = "must be either a positive integer or an iterable of positive integers of size"


# -- shape helpers (Sonnet 1's conv._fill_shape and friends) -------------------


@pytest.mark.parametrize(
    "value, n, expected",
    [
        (3, 1, (3,)),
        (3, 4, (3, 3, 3, 3)),
        ([2, 3, 4], 3, (2, 3, 4)),
        (np.int64(5), 2, (5, 5)),
        ((np.int32(1), 2), 2, (1, 2)),
        (tf.compat.v1.Dimension(10), 2, (10, 10)),
        (tf.TensorShape([4, 5]), 2, (4, 5)),
    ],
)
def test_fill_shape(value, n, expected):
    filled = conv_utils.fill_shape(value, n)
    assert filled == expected and all(type(v) is int for v in filled)


@pytest.mark.parametrize("value", [[], [3], [3, 3], ["b"] * 4, 0, -1, 2.0, True, "3333", None])
def test_fill_shape_refuses(value):
    with pytest.raises(TypeError, match=f"x is .*, {SIZE_PHRASE} 4"):
        conv_utils.fill_shape(value, 4)


@pytest.mark.parametrize("n", [0, -1, 1.0, None])
def test_fill_shape_needs_a_positive_n(n):
    with pytest.raises(TypeError, match="n must be a positive integer"):
        conv_utils.fill_shape(3, n)


def test_fill_and_verify_parameter_shape():
    assert conv_utils.fill_and_verify_parameter_shape(2, 3, "kernel") == (2, 2, 2)
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=rf"^my_conv: Invalid kernel shape: x is \[3\], {SIZE_PHRASE} 2",
    ):
        conv_utils.fill_and_verify_parameter_shape([3], 2, "kernel", "my_conv")
    with pytest.raises(snt.IncompatibleShapeError, match=r"^Invalid rate shape: x is 0,"):
        conv_utils.fill_and_verify_parameter_shape(0, 2, "rate")


def _largest_size_mapping_back(i, k, s, padding):
    """Brute force: the largest output size the forward convolution maps to ``i``."""
    forward = {
        "SAME": lambda o: -(-o // s),
        "VALID": lambda o: -(-(o - k + 1) // s),
    }[padding]
    return max(o for o in range(1, (i + 2) * s + k) if forward(o) == i)


@pytest.mark.parametrize(
    "input_shape, stride, kernel, padding",
    [
        ([20], 3, 4, "SAME"),
        ([23, 11, 13], [7, 1, 2], [1, 3, 2], "VALID"),
        ([1, 3], [6, 2], [34, 2], "VALID"),
        ([5, 5], 2, 5, "VALID"),
        ([4], [1], [3], "SAME"),
    ],
)
def test_default_transpose_size_is_the_largest_size_mapping_back(
    input_shape, stride, kernel, padding
):
    n = len(input_shape)
    strides = conv_utils.fill_shape(stride, n)
    kernels = conv_utils.fill_shape(kernel, n)
    expected = tuple(
        _largest_size_mapping_back(i, k, s, padding)
        for i, k, s in zip(input_shape, kernels, strides, strict=True)
    )
    assert conv_utils.default_transpose_size(input_shape, stride, kernel, padding) == expected


def test_default_transpose_size_errors():
    assert conv_utils.default_transpose_size([None, 3], 2, 3, "VALID") == (None, 8)
    with pytest.raises(TypeError, match="are you sure you have connected the module"):
        conv_utils.default_transpose_size(None, 2)
    with pytest.raises(snt.IncompatibleShapeError, match="Invalid stride shape"):
        conv_utils.default_transpose_size([3, 3], [1, 2, 3])
    with pytest.raises(ValueError, match=r"Padding must be member of \['SAME', 'VALID'\]"):
        conv_utils.default_transpose_size([3], 1, 3, "FULL")


@pytest.mark.parametrize("channels", [tf.compat.v1.Dimension(3), np.int64(3), 3])
def test_output_channels_may_be_dimensions(mode, channels):
    conv = Conv1D(channels, kernel_shape=2)
    deferred = Conv1D(lambda: channels, kernel_shape=2, name="deferred")
    for module in (conv, deferred):
        y = module(tf.ones([1, 4, 2]))
        assert module.output_channels == 3 and type(module.output_channels) is int
        assert mode.evaluate(y).shape == (1, 4, 3)


# -- full-rank strides ----------------------------------------------------------


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: Conv1D(2, 3, stride=2), (1, 2, 1)),
        (lambda: Conv1D(2, 3, stride=2, data_format="NCW"), (1, 1, 2)),
        (lambda: Conv2D(2, 3, stride=(2, 3)), (1, 2, 3, 1)),
        (lambda: Conv2D(2, 3, stride=(1, 2, 3, 1)), (1, 2, 3, 1)),
        (lambda: Conv2D(2, 3, stride=(1, 1, 2, 3), data_format="NCHW"), (1, 1, 2, 3)),
        (lambda: Conv3D(2, 3, stride=2, data_format="NCDHW"), (1, 1, 2, 2, 2)),
        (lambda: DepthwiseConv2D(2, 3, stride=2), (1, 2, 2, 1)),
        (lambda: SeparableConv1D(2, 1, 3, stride=3), (1, 3, 1)),
        (lambda: InPlaneConv2D(3, stride=[1, 2]), (1, 1, 2, 1)),
    ],
)
def test_stride_is_full_rank(eager, make, expected):
    assert make().stride == expected


def test_full_rank_stride_must_be_one_outside_space(eager):
    with pytest.raises(snt.IncompatibleShapeError, match=r"c: Invalid stride \(1, 2, 2, 1\)"):
        Conv2D(2, 3, stride=(1, 2, 2, 1), data_format="NCHW", name="c")


# -- clone() -------------------------------------------------------------------

CLONEABLE = [
    (lambda **kw: Conv1D(3, 2, stride=2, padding="VALID", **kw), [2, 7, 2]),
    (lambda **kw: Conv2D(3, (2, 3), rate=2, padding=("SAME", "FULL"), **kw), [2, 5, 6, 2]),
    (lambda **kw: Conv3D(3, 2, data_format="NCDHW", use_bias=False, **kw), [1, 2, 3, 3, 3]),
    (lambda **kw: CausalConv1D(3, 3, padding_value="REFLECT", **kw), [2, 6, 2]),
    (lambda **kw: DepthwiseConv2D(2, 3, stride=2, **kw), [1, 5, 5, 2]),
    (lambda **kw: InPlaneConv2D(3, padding="VALID", **kw), [1, 5, 5, 2]),
    (lambda **kw: SeparableConv1D(4, 2, 3, rate=2, **kw), [1, 7, 2]),
    (lambda **kw: SeparableConv2D(4, 2, 3, data_format="NCHW", **kw), [1, 2, 5, 5]),
]


@pytest.mark.parametrize("make, shape", CLONEABLE)
def test_clone_has_the_settings_and_its_own_variables(mode, make, shape):
    ones = tf.compat.v1.ones_initializer()
    probe = make(name="probe")
    keys = probe.get_possible_initializer_keys(use_bias=probe.has_bias)
    original = make(name="orig", initializers={k: ones for k in keys})
    clone = original.clone()
    named = original.clone(name="named")
    assert type(clone) is type(original) and clone.module_name == "orig_clone"
    assert named.module_name == "named"
    for attr in ("kernel_shape", "stride", "rate", "paddings", "padding_value", "data_format"):
        assert getattr(clone, attr) == getattr(original, attr), attr
    assert clone.has_bias == original.has_bias and clone.initializers == original.initializers
    x = tf.constant(np.random.RandomState(0).randn(*shape).astype(np.float32))
    outputs = [original(x), clone(x), named(x)]
    names = [sorted(v.name.split("/")[0] for v in m.variables) for m in (original, clone, named)]
    assert names[1] == ["orig_clone"] * len(names[0]) and names[2] == ["named"] * len(names[0])
    # All weights are ones: the three modules compute the same function.
    a, b, c = mode.evaluate(outputs)
    np.testing.assert_allclose(b, a, rtol=1e-6)
    np.testing.assert_allclose(c, a, rtol=1e-6)


def test_clone_keeps_mask_custom_getter_and_deferred_channels(mode):
    seen = []

    def getter(get, name, *args, **kwargs):
        seen.append(name)
        return get(name, *args, **kwargs)

    mask = np.array([1.0, 0.0, 1.0], np.float32)
    deferred = []
    conv = Conv1D(lambda: deferred[0], 3, mask=mask, custom_getter=getter, use_bias=False)
    clone = conv.clone()
    deferred.append(2)  # the clone reads the deferred value when it connects
    clone(tf.ones([1, 4, 1]))
    assert clone.output_channels == 2 and clone.mask is conv.mask
    assert any(name.startswith("conv_1d_clone/") for name in seen)
    x = np.arange(4, dtype=np.float32)
    out, w = mode.evaluate([clone(tf.constant(x.reshape(1, 4, 1))), clone.w])
    padded = np.pad(x, 1)
    ref = np.stack([padded[t : t + 3] @ (w[:, 0, :] * mask[:, None]) for t in range(4)])
    np.testing.assert_allclose(out[0], ref, rtol=1e-5, atol=1e-6)


# -- masks ----------------------------------------------------------------------


def _np_conv_1d_valid(x, w):
    k = w.shape[0]
    return np.stack([np.einsum("kc,kco->o", x[t : t + k], w) for t in range(len(x) - k + 1)])


def test_mask_as_graph_tensor(graph):
    mask_np = np.array([[1.0], [0.0], [0.5]], np.float32)  # [k, in]
    mask = tf.constant(mask_np)
    conv = Conv1D(2, 3, padding="VALID", use_bias=False, mask=mask)
    assert conv.mask is mask
    x = np.random.RandomState(1).randn(1, 6, 1).astype(np.float32)
    out, w = graph.evaluate([conv(tf.constant(x)), conv.w])
    np.testing.assert_allclose(
        out[0], _np_conv_1d_valid(x[0], w * mask_np[:, :, None]), rtol=1e-5, atol=1e-6
    )


def test_mask_as_eager_tensor_is_kept_as_an_array(eager):
    conv = Conv1D(2, 3, padding="VALID", use_bias=False, mask=tf.constant([1.0, 0.0, 1.0]))
    assert isinstance(conv.mask, np.ndarray)
    x = np.random.RandomState(2).randn(1, 5, 2).astype(np.float32)
    out = conv(tf.constant(x)).numpy()
    mask = np.array([1.0, 0.0, 1.0])[:, None, None]
    np.testing.assert_allclose(
        out[0], _np_conv_1d_valid(x[0], conv.w.numpy() * mask), rtol=1e-5, atol=1e-6
    )
    fn_out = tf.function(conv)(tf.constant(x)).numpy()  # usable in a tf.function too
    np.testing.assert_allclose(fn_out, out, rtol=1e-6)


@pytest.mark.parametrize(
    "mask", [np.ones((3,)), np.ones((5, 4)), np.ones((5, 5, 6, 4, 1)), np.ones((5, 5, 6, 3))]
)
def test_mask_shape_errors_start_with_sonnet1_phrase(mode, mask):
    conv = Conv2D(4, 5, mask=mask, name="masked")
    with pytest.raises(snt.IncompatibleShapeError) as info:
        conv(tf.zeros([2, 8, 8, 6]))
    message = str(info.value)
    assert message.startswith(f"Invalid mask shape: {mask.shape}. Weight shape: (5, 5, 6, 4).")
    assert "masked" in message


def test_mask_dtype_errors(mode):
    int_tensor = tf.constant(0, shape=(4, 4), dtype=tf.int32)
    for bad in (int_tensor, [[1, 0], [0, 1]], np.ones(3, np.bool_)):
        with pytest.raises(TypeError) as info:
            Conv2D(4, (4, 4), mask=bad, name="m")
        assert str(info.value).startswith(
            "Mask needs to have dtype float16, bfloat16, float32 or float64"
        )


def test_mask_graph_tensor_needs_a_static_shape(graph):
    mask = tf.compat.v1.placeholder(tf.float32, [3, None])
    with pytest.raises(snt.IncompatibleShapeError, match="m: Mask needs to have a statically"):
        Conv1D(2, 3, mask=mask, name="m")


# -- default initializers -------------------------------------------------------


@pytest.mark.parametrize(
    "make, attr, fan_in",
    [
        (lambda: DepthwiseConv2D(8, 5), "w", 25),  # kernel only, as in Sonnet 1
        (lambda: SeparableConv2D(8, 8, 5), "w_dw", 25),
        (lambda: SeparableConv2D(8, 8, 5), "w_pw", 16 * 8),
        (lambda: SeparableConv1D(8, 8, 25), "w_dw", 25),
    ],
)
def test_depthwise_default_initializers(eager, make, attr, fan_in):
    conv = make()
    rank = len(conv.kernel_shape)
    conv(tf.ones([1] + [6] * rank + [16]))
    w = getattr(conv, attr).numpy()
    stddev = 1 / np.sqrt(fan_in)
    assert np.abs(w).max() <= 2 * stddev + 1e-6
    np.testing.assert_allclose(w.std(), 0.88 * stddev, rtol=0.15)
