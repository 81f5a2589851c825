"""Conv1D/2D/3DTranspose against a NumPy transposed convolution, in graph and eager mode."""

import itertools

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}
FIRST = {1: "NCW", 2: "NCHW", 3: "NCDHW"}


def cls(n):
    return getattr(snt, f"Conv{n}DTranspose")


def np_conv_transpose(x, w, out_spatial, stride, padding):
    """Channels-last reference: scatter every input tap into the output, then crop.

    ``w`` is ``[*kernel, out, in]``. The crop offset is the "before" padding of
    the forward convolution that maps ``out_spatial`` to ``x``'s spatial shape.
    """
    n = x.ndim - 2
    kernel = w.shape[:n]
    before = []
    for o, k, s in zip(out_spatial, kernel, stride, strict=True):
        if padding == "SAME":
            total = max((-(-o // s) - 1) * s + k - o, 0)
            before.append(total // 2)
        else:
            before.append(0)
    in_spatial = x.shape[1:-1]
    full = [
        max((i - 1) * s + k, b + o)
        for i, s, k, b, o in zip(in_spatial, stride, kernel, before, out_spatial, strict=True)
    ]
    buf = np.zeros([x.shape[0], *full, w.shape[-2]])
    for tap in itertools.product(*[range(k) for k in kernel]):
        window = tuple(
            slice(t, t + (i - 1) * s + 1, s)
            for t, i, s in zip(tap, in_spatial, stride, strict=True)
        )
        buf[(slice(None), *window)] += x @ w[tap].T
    crop = tuple(slice(b, b + o) for b, o in zip(before, out_spatial, strict=True))
    return buf[(slice(None), *crop)]


CASES = [
    # (n, input spatial, kernel, stride, padding, output_shape or None)
    (1, (5,), 3, 2, "SAME", None),
    (1, (5,), 4, 3, "VALID", None),
    (1, (4,), 3, 2, "SAME", (7,)),
    (2, (3, 4), (3, 2), (2, 1), "SAME", None),
    (2, (3, 3), 3, 2, "VALID", (7, 8)),
    (2, (3, 4), 2, 3, "VALID", None),
    (3, (2, 3, 2), 3, (1, 2, 2), "SAME", (2, 5, 4)),
    (3, (2, 2, 3), 2, 2, "VALID", None),
]


@pytest.mark.parametrize("channels_first", [False, True], ids=["last", "first"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}d-{c[4]}-{c[1]}")
def test_matches_numpy(mode, case, channels_first):
    n, in_spatial, kernel, stride, padding, output_shape = case
    fmt = FIRST[n] if channels_first else LAST[n]
    x = np.random.RandomState(0).randn(2, *in_spatial, 3).astype(np.float32)
    mod = cls(n)(
        4,
        output_shape=output_shape,
        kernel_shape=kernel,
        stride=stride,
        padding=padding,
        initializers={"b": tf.compat.v1.random_normal_initializer()},
        data_format=fmt,
    )
    inputs = np.moveaxis(x, -1, 1) if channels_first else x
    y = mod(tf.constant(inputs))
    out, w, b = mode.evaluate((y, mod.w, mod.b))
    if n == 1:  # Sonnet 1's 1-D kernel is 2-D: [1, k, out, in]
        assert w.shape[0] == 1
        w = w[0]
    assert y.shape.as_list() == list(out.shape)  # the static shape is fully known
    if channels_first:
        out = np.moveaxis(out, 1, -1)
    stride = (stride,) * n if isinstance(stride, int) else stride
    expected_spatial = output_shape or mod.output_shape
    assert out.shape == (2, *expected_spatial, 4)
    expected = np_conv_transpose(x, w, expected_spatial, stride, padding) + b
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


def test_equals_gradient_of_forward_conv(mode):
    # The transposed conv is the gradient of the forward conv w.r.t. its input.
    x = tf.constant(np.random.RandomState(1).randn(2, 4, 4, 3).astype(np.float32))
    mod = snt.Conv2DTranspose(5, output_shape=(8, 7), kernel_shape=3, stride=2, use_bias=False)
    y = mod(x)
    u = tf.zeros([2, 8, 7, 5])
    if mode.eager:
        with tf.GradientTape() as tape:
            tape.watch(u)
            z = tf.nn.conv2d(u, mod.w, strides=2, padding="SAME")
        grad = tape.gradient(z, u, output_gradients=x)
    else:
        z = tf.nn.conv2d(u, mod.w, strides=2, padding="SAME")
        [grad] = tf.compat.v1.gradients(z, u, grad_ys=x)
    out, ref = mode.evaluate((y, grad))
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_variables_names_and_shapes(mode, n):
    mod = cls(n)(4, kernel_shape=2, stride=2)
    mod(tf.ones([2, *([3] * n), 5]))
    names = sorted(v.name for v in mod.variables)
    assert names == [f"conv_{n}d_transpose/b:0", f"conv_{n}d_transpose/w:0"]
    kernel = [1, 2] if n == 1 else [2] * n  # the 1-D kernel is 2-D, as in Sonnet 1
    assert mod.w.shape.as_list() == kernel + [4, 5] and mod.b.shape.as_list() == [4]
    assert mod.input_channels == 5 and mod.output_channels == 4


def test_no_bias_initializers_and_regularizers(mode):
    mod = snt.Conv2DTranspose(
        2,
        kernel_shape=1,
        use_bias=False,
        initializers={"w": tf.compat.v1.ones_initializer()},
        regularizers={"w": tf.nn.l2_loss},
    )
    y = mod(tf.ones([1, 2, 2, 3]))
    assert [v.name for v in mod.variables] == ["conv_2d_transpose/w:0"]
    np.testing.assert_allclose(mode.evaluate(y), np.full([1, 2, 2, 2], 3.0))
    assert len(mod.get_regularization_losses()) == 1
    with pytest.raises(AttributeError, match="conv_2d_transpose: no bias b"):
        _ = mod.b


def test_shares_variables_and_infers_per_connection(mode):
    # VALID: the largest size mapping back, input * stride + kernel - 1 (Sonnet 1's).
    mod = snt.Conv2DTranspose(2, kernel_shape=3, stride=2, padding="VALID")
    assert mod(tf.ones([1, 3, 4, 1])).shape.as_list() == [1, 8, 10, 2]
    assert mod.output_shape == (8, 10)
    assert mod(tf.ones([1, 2, 2, 1])).shape.as_list() == [1, 6, 6, 2]
    assert mod.output_shape == (6, 6) and len(mod.variables) == 2


def test_unknown_batch_and_spatial_sizes():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, None, 5, 3])
        mod = snt.Conv2DTranspose(4, kernel_shape=3, stride=2, padding="VALID")
        y = mod(x)
        assert y.shape.as_list() == [None, None, 12, 4]
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            out = sess.run(y, {x: np.ones([2, 4, 5, 3])})
    assert out.shape == (2, 10, 12, 4)


def test_tf_function_matches_eager(eager):
    mod = snt.Conv2DTranspose(3, kernel_shape=3, stride=2, data_format="NCHW")
    x = tf.random.normal([2, 4, 5, 5])
    eager_out = mod(x)
    fn = tf.function(mod)
    np.testing.assert_allclose(fn(x).numpy(), eager_out.numpy(), rtol=1e-5)
    spec = tf.TensorSpec([None, 4, None, None])
    traced = tf.function(mod, input_signature=[spec])
    np.testing.assert_allclose(traced(x).numpy(), eager_out.numpy(), rtol=1e-5)
    assert len(mod.variables) == 2


def test_tf_function_first_connection(eager):
    mod = snt.Conv1DTranspose(2, kernel_shape=2, stride=2)
    out = tf.function(lambda x: mod(x))(tf.ones([1, 3, 1]))
    assert out.shape.as_list() == [1, 6, 2] and len(mod.variables) == 2
