"""Conv1D/2D/3D and CausalConv1D against a NumPy convolution."""

import itertools

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets import _plugin, conv_utils
from snt_nets.conv.causal_conv_1d import CausalConv1D
from snt_nets.conv.conv_1d import Conv1D
from snt_nets.conv.conv_2d import Conv2D
from snt_nets.conv.conv_3d import Conv3D
from sonnet.testing import isolated_registry

CLASSES = {1: Conv1D, 2: Conv2D, 3: Conv3D}
LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}
FIRST = {1: "NCW", 2: "NCHW", 3: "NCDHW"}
NP_PAD = {"CONSTANT": "constant", "REFLECT": "reflect", "SYMMETRIC": "symmetric"}


def _np_pad_amounts(padding, size, k, stride, rate, op_same):
    k_eff = (k - 1) * rate + 1
    if op_same:  # TensorFlow's SAME: total pad from the output size, extra after.
        out = -(-size // stride)
        total = max((out - 1) * stride + k_eff - size, 0)
        return total // 2, total - total // 2
    total = k_eff - 1
    return {
        "VALID": (0, 0),
        "SAME": (total // 2, total - total // 2),
        "FULL": (total, total),
        "CAUSAL": (total, 0),
        "REVERSE_CAUSAL": (0, total),
    }[padding]


def np_conv(x, w, stride, rate, paddings, padding_value, channels_first):
    """Reference N-D convolution on channels-last (or -first) NumPy arrays."""
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    n = x.ndim - 2
    op_same = all(p == "SAME" for p in paddings) and padding_value == "CONSTANT"
    pads = [(0, 0)]
    for d in range(n):
        pads.append(
            _np_pad_amounts(paddings[d], x.shape[1 + d], w.shape[d], stride[d], rate[d], op_same)
        )
    pads.append((0, 0))
    x = np.pad(x, pads, mode=NP_PAD[padding_value])
    k_eff = [(w.shape[d] - 1) * rate[d] + 1 for d in range(n)]
    out_sizes = [(x.shape[1 + d] - k_eff[d]) // stride[d] + 1 for d in range(n)]
    out = np.zeros([x.shape[0], *out_sizes, w.shape[-1]], dtype=np.float64)
    for pos in itertools.product(*[range(s) for s in out_sizes]):
        for tap in itertools.product(*[range(k) for k in w.shape[:n]]):
            idx = tuple(pos[d] * stride[d] + tap[d] * rate[d] for d in range(n))
            out[(slice(None), *pos)] += x[(slice(None), *idx)] @ w[tap]
    if channels_first:
        out = np.moveaxis(out, -1, 1)
    return out


def _run(mode, n, channels_first=False, size=5, in_ch=2, out_ch=3, **kwargs):
    fmt = FIRST[n] if channels_first else LAST[n]
    conv = CLASSES[n](
        out_ch,
        kernel_shape=kwargs.pop("kernel_shape", 3),
        data_format=fmt,
        initializers={"b": tf.compat.v1.random_normal_initializer(seed=3)},
        **kwargs,
    )
    rng = np.random.RandomState(n)
    shape = [2, in_ch] + [size] * n if channels_first else [2] + [size] * n + [in_ch]
    x = rng.randn(*shape).astype(np.float32)
    y = conv(tf.constant(x))
    w, b, out = mode.evaluate([conv.w, conv.b, y])
    stride = conv_utils.spatial_dims(conv.stride, fmt)  # Sonnet 1's full-rank stride
    ref = np_conv(x, w, stride, conv.rate, conv.paddings, conv.padding_value, channels_first)
    ref += b.reshape([1, -1] + [1] * n) if channels_first else b
    assert tuple(y.shape.as_list()) == ref.shape
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-4)
    return conv


@pytest.mark.parametrize("padding", ["SAME", "VALID", "FULL", "CAUSAL", "REVERSE_CAUSAL"])
@pytest.mark.parametrize("padding_value", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_padding_modes_2d(mode, padding, padding_value):
    _run(mode, 2, padding=padding, padding_value=padding_value)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("channels_first", [False, True])
def test_data_formats(mode, n, channels_first):
    _run(mode, n, channels_first=channels_first, size=4, padding="FULL" if n == 1 else "SAME")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"stride": 2},
        {"stride": 2, "padding": "VALID"},
        {"stride": (2, 1), "padding": ("CAUSAL", "SAME")},
        {"rate": 2},
        {"rate": (1, 2), "padding": "FULL", "padding_value": "REFLECT"},
        {"kernel_shape": (2, 3), "stride": 3},
        {"stride": (1, 2, 2, 1)},
    ],
)
def test_stride_rate_mixed(mode, kwargs):
    _run(mode, 2, size=6, **kwargs)


def test_names_shapes_and_sharing(mode, check_trains):
    conv = Conv2D(4, kernel_shape=(2, 3))
    x = tf.ones([1, 5, 5, 3])
    conv(x)
    conv(2 * x)
    assert [(v.name, v.shape.as_list()) for v in conv.get_variables()] == [
        ("conv_2d/b:0", [4]),
        ("conv_2d/w:0", [2, 3, 3, 4]),
    ]
    assert Conv1D(2, 3).module_name == "conv_1d" and Conv3D(2, 3).module_name == "conv_3d"
    check_trains(mode, lambda: tf.reduce_mean(tf.square(conv(x) - 1)), lambda: conv.variables)


def test_default_initializer(eager):
    conv = Conv2D(64, kernel_shape=3)
    conv(tf.ones([1, 4, 4, 8]))
    w = conv.w.numpy()
    assert np.abs(w).max() <= 2 / np.sqrt(72) + 1e-6
    np.testing.assert_allclose(w.std(), 0.88 / np.sqrt(72), rtol=0.1)


def test_placeholder_spatial_dims(graph):
    conv = Conv2D(2, 3, stride=2)
    ph = tf.compat.v1.placeholder(tf.float32, [None, None, None, 3])
    y = conv(ph)
    assert graph.evaluate(y, {ph: np.ones([2, 7, 5, 3])}).shape == (2, 4, 3, 2)


def test_mask(mode):
    mask = np.array([[1, 0], [0, 1]], dtype=np.float32)
    conv = Conv2D(
        1,
        2,
        padding="VALID",
        use_bias=False,
        mask=mask,
        initializers={"w": tf.compat.v1.ones_initializer()},
    )
    x = np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1)
    out = mode.evaluate(conv(tf.constant(x)))
    np.testing.assert_allclose(out[0, :, :, 0], [[4, 6], [10, 12]])
    assert [v.name for v in conv.variables] == ["conv_2d/w:0"]


def test_causal_conv_1d(mode):
    conv = CausalConv1D(1, 3, use_bias=False, initializers={"w": tf.compat.v1.ones_initializer()})
    out = mode.evaluate(conv(tf.reshape(tf.range(1.0, 6.0), [1, 5, 1])))
    np.testing.assert_allclose(out[0, :, 0], [1, 3, 6, 9, 12])
    assert conv.module_name == "causal_conv_1d" and conv.padding == "CAUSAL"
    assert not hasattr(conv, "transpose")


def test_regularizers_and_partitioners(graph):
    conv = Conv2D(
        4,
        3,
        regularizers={"w": snt.regularizers.l1(1.0)},
        partitioners={"w": tf.compat.v1.fixed_size_partitioner(2, axis=3)},
    )
    y = conv(tf.ones([1, 4, 4, 2]))
    assert graph.evaluate(y).shape == (1, 4, 4, 4)
    assert len(tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)) >= 1


def test_tf_function_parity(eager):
    conv = Conv1D(2, 3, padding="CAUSAL", padding_value="REFLECT")
    x = tf.random.normal([2, 6, 3], seed=1)
    np.testing.assert_allclose(tf.function(conv)(x).numpy(), conv(x).numpy(), rtol=1e-5)
    assert len(conv.variables) == 2


def test_properties(eager):
    conv = Conv2D(4, (2, 3), stride=2, padding=("SAME", "VALID"))
    assert conv.kernel_shape == (2, 3) and conv.stride == (1, 2, 2, 1) and conv.rate == (1, 1)
    assert Conv2D(4, 3, stride=(2, 3), data_format="NCHW").stride == (1, 1, 2, 3)
    assert Conv1D(4, 3, stride=2).stride == (1, 2, 1)
    assert conv.paddings == ("SAME", "VALID") and conv.conv_op_padding == "VALID"
    with pytest.raises(ValueError, match="conv_2d: the paddings differ"):
        _ = conv.padding
    with pytest.raises(snt.NotConnectedError, match="conv_2d: "):
        _ = conv.input_shape
    conv(tf.ones([1, 6, 6, 3]))
    assert conv.input_channels == 3 and conv.output_channels == 4


def test_constructor_errors(eager):
    with pytest.raises(ValueError, match=r"conv_2d: padding must be one of .*got 'BAD'"):
        Conv2D(2, 3, padding="BAD")
    with pytest.raises(ValueError, match="conv_2d_1: padding_value must be one of"):
        Conv2D(2, 3, padding_value="ZERO")
    with pytest.raises(ValueError, match="conv_2d_2: Invalid data_format 'NWC'; the allowed"):
        Conv2D(2, 3, data_format="NWC")
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"conv_2d_3: Invalid kernel shape: x is \(3, 3, 3\), must be either a positive "
        r"integer or an iterable of positive integers of size 2",
    ):
        Conv2D(2, (3, 3, 3))
    with pytest.raises(snt.IncompatibleShapeError, match="conv_2d_4: Invalid stride shape: x is 0"):
        Conv2D(2, 3, stride=0)
    with pytest.raises(
        snt.NotSupportedError, match=r"conv_2d_5: Cannot have stride > 1 with rate > 1 .*\(2, 2\)"
    ):
        Conv2D(2, 3, stride=2, rate=2)
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"conv_2d_6: Invalid stride \(2, 2, 2, 1\): a full-rank stride must be 1",
    ):
        Conv2D(2, 3, stride=(2, 2, 2, 1))
    with pytest.raises(KeyError, match="conv_2d_7: Invalid initializer keys"):
        Conv2D(2, 3, initializers={"q": tf.zeros_initializer()})


def test_connection_errors(graph):
    conv = Conv2D(2, 3)
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"conv_2d: Input Tensor must have rank 4 corresponding to data_format NHWC, but "
        r"instead was \[1, 4, 4\] of rank 3",
    ):
        conv(tf.ones([1, 4, 4]))
    with pytest.raises(
        TypeError,
        match="conv_2d: Input must have dtype tf.float16, tf.bfloat16, tf.float32 or "
        "tf.float64, but dtype was int32",
    ):
        conv(tf.ones([1, 4, 4, 2], tf.int32))
    with pytest.raises(
        snt.UnderspecifiedError,
        match=r"conv_2d: Number of input channels must be known .*\[1, 4, 4, \?\]",
    ):
        conv(tf.compat.v1.placeholder(tf.float32, [1, 4, 4, None]))
    conv(tf.ones([1, 4, 4, 2]))
    with pytest.raises(snt.IncompatibleShapeError, match="conv_2d: .*must stay 2.*got 3"):
        conv(tf.ones([1, 4, 4, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"small_conv: .*\[1, 2\] is smaller than"):
        Conv2D(2, 3, padding="VALID", name="small_conv")(tf.ones([1, 1, 2, 2]))
    bad_mask = Conv2D(2, 3, mask=np.ones([2, 2]))
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"^Invalid mask shape: \(2, 2\). Weight shape: \(3, 3, 1, 2\). \(In conv_2d_1,",
    ):
        bad_mask(tf.ones([1, 4, 4, 1]))


def test_transpose_needs_snt_transpose(eager):
    # A registry holding only snt-nets: what users without snt-transpose see.
    with isolated_registry(plugins=[(_plugin, "snt-nets")]):
        for conv in (Conv1D(2, 3), Conv2D(2, 3), Conv3D(2, 3)):
            with pytest.raises(
                snt.NotSupportedError,
                match=r"conv_\dd: transpose\(\) needs snt.Conv\dDTranspose from the snt-transpose "
                r"package: snt.Conv\dDTranspose is provided by snt-transpose, which is not "
                r"installed \(pip install snt-transpose\)",
            ):
                conv.transpose()


def test_transpose_refusals(eager):
    with pytest.raises(
        snt.NotSupportedError, match="conv_2d: Cannot transpose a dilated convolution module"
    ):
        Conv2D(2, 3, rate=2).transpose()
    with pytest.raises(
        snt.NotSupportedError,
        match="conv_2d_1: Cannot transpose a convolution using mixed paddings or paddings other "
        "than SAME or VALID .*FULL",
    ):
        Conv2D(2, 3, padding="FULL").transpose()
    with pytest.raises(snt.NotSupportedError, match="conv_2d_2: .*padding_value REFLECT"):
        Conv2D(2, 3, padding="SAME", padding_value="REFLECT").transpose()
    # That VALID + REFLECT does transpose needs snt-transpose: tests/integration covers it.


def test_transpose_builds_plugin_class(eager, monkeypatch):
    from snt_nets.conv import transposable_conv

    seen = {}

    def fake(**kwargs):
        seen.update(kwargs)
        return "built"

    monkeypatch.setattr(transposable_conv, "lookup_plugin_class", lambda *a, **k: fake)
    conv = Conv2D(4, 3, stride=2, padding="VALID", data_format="NCHW")
    assert conv.transpose() == "built"
    conv(tf.ones([1, 3, 7, 7]))
    assert seen["output_channels"]() == 3 and seen["output_shape"]() == (7, 7)
    assert seen["name"] == "conv_2d_transpose" and seen["padding"] == "VALID"
    assert seen["stride"] == (2, 2) and seen["data_format"] == "NCHW"


def test_output_spatial_size_helper():
    for padding in ["SAME", "VALID", "FULL", "CAUSAL"]:
        assert (
            conv_utils.output_spatial_size(7, 3, 2, 1, padding)
            == {"SAME": 4, "VALID": 3, "FULL": 5, "CAUSAL": 4}[padding]
        )
    assert conv_utils.output_spatial_size(None, 3, 1, 1, "SAME") is None
