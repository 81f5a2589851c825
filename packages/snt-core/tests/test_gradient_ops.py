"""snt.clip_gradient and snt.scale_gradient (owned by snt-core), graph and eager."""

import numpy as np
import pytest
import tensorflow as tf
from getter_helpers import with_gradients

import sonnet as snt

X = np.array([[0.5, -2.0], [3.0, 1.0]], np.float32)
UPSTREAM = np.array([[4.0, -3.0], [0.2, -0.1]], np.float32)  # d(sum(y * UPSTREAM))/dy


def _grad(mode, op):
    y, (dx,) = with_gradients(mode, lambda x: (op(x) * UPSTREAM, []), X)
    if dx is None:  # scale 0 is tf.stop_gradient: no gradient at all
        return mode.evaluate(y), np.zeros_like(X)
    return mode.evaluate([y, dx])


def test_clip_gradient_is_identity_forward_and_clips_backward(mode):
    y, dx = _grad(mode, lambda x: snt.clip_gradient(x, -1.0, 1.0))
    np.testing.assert_allclose(y, X * UPSTREAM)
    np.testing.assert_allclose(dx, np.clip(UPSTREAM, -1.0, 1.0))


def test_clip_gradient_accepts_tensor_bounds(mode):
    low, high = tf.constant(-0.5), tf.constant(2.0)
    _, dx = _grad(mode, lambda x: snt.clip_gradient(x, low, high))
    np.testing.assert_allclose(dx, np.clip(UPSTREAM, -0.5, 2.0))


@pytest.mark.parametrize("scale", [0.5, -2.0, 0.0, 1.0])
def test_scale_gradient_scales_backward(mode, scale):
    y, dx = _grad(mode, lambda x: snt.scale_gradient(x, scale))
    np.testing.assert_allclose(y, X * UPSTREAM)
    np.testing.assert_allclose(dx, UPSTREAM * scale)


def test_scale_gradient_with_tensor_scale_and_float64(mode):
    x64 = X.astype(np.float64)
    y, (dx,) = with_gradients(
        mode, lambda x: (snt.scale_gradient(x, tf.constant(3.0)), []), tf.constant(x64)
    )
    y, dx = mode.evaluate([y, dx])
    assert y.dtype == np.float64
    np.testing.assert_allclose(dx, np.full_like(x64, 3.0))


def test_scale_gradient_accepts_a_callable(mode):
    y = snt.scale_gradient(lambda: tf.constant(X), 0.5)
    np.testing.assert_allclose(mode.evaluate(y), X)


def test_gradient_ops_are_usable_in_tf_function():
    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = snt.scale_gradient(snt.clip_gradient(x * 10.0, -1.0, 1.0), 0.5)
        return tape.gradient(y, x)

    np.testing.assert_allclose(step(tf.constant(X)).numpy(), np.full_like(X, 5.0))


@pytest.mark.parametrize(
    "call",
    [
        lambda: snt.clip_gradient(tf.constant([1, 2]), -1.0, 1.0),
        lambda: snt.scale_gradient(tf.constant([1, 2]), 0.5),
    ],
    ids=["clip", "scale"],
)
def test_gradient_ops_reject_integer_tensors(mode, call):
    with pytest.raises(
        ValueError, match=r"_gradient: expected a floating-point tensor, got dtype int32"
    ):
        call()


def test_clip_gradient_rejects_inverted_bounds(mode):
    with pytest.raises(
        ValueError, match=r"clip_gradient: expected clip_value_min <= clip_value_max, got 2.0 > 1.0"
    ):
        snt.clip_gradient(tf.constant(X), 2.0, 1.0)
