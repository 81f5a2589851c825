"""snt.regularizers and regularization losses in graph and eager mode."""

import numpy as np
import pytest
import tensorflow as tf
from core_test_modules import Affine, batch

import sonnet as snt

v1 = tf.compat.v1
W = np.array([[1.0, -2.0], [0.5, 3.0]], dtype=np.float32)


def test_l1_l2_sum_against_numpy(mode):
    w = tf.constant(W)
    l1, l2 = snt.regularizers.l1(0.1)(w), snt.regularizers.l2(0.2)(w)
    both = snt.regularizers.sum(snt.regularizers.l1(0.1), snt.regularizers.l2(0.2))(w)
    got = mode.evaluate([l1, l2, both])
    expected_l1 = 0.1 * np.abs(W).sum()
    expected_l2 = 0.2 * (W**2).sum() / 2
    np.testing.assert_allclose(
        got, [expected_l1, expected_l2, expected_l1 + expected_l2], rtol=1e-6
    )


def test_zero_scale_gives_none():
    assert snt.regularizers.l1(0.0)(tf.ones([2])) is None
    assert snt.regularizers.sum(snt.regularizers.l2(0.0))(tf.ones([2])) is None


@pytest.mark.parametrize("bad", [-1.0, "0.1", True])
def test_bad_scale(bad):
    with pytest.raises((TypeError, ValueError), match="snt.regularizers.l1: scale"):
        snt.regularizers.l1(bad)


def test_sum_requires_callables():
    with pytest.raises(TypeError, match="is not callable"):
        snt.regularizers.sum(3)


def test_module_regularization_losses(mode):
    mod = Affine(
        2,
        regularizers={"w": snt.regularizers.l1(0.5), "b": snt.regularizers.l2(1.0)},
        initializers={"b": tf.constant_initializer(2.0)},
        name="reg",
    )
    mod(batch())
    mod(batch())
    losses = mod.get_regularization_losses()
    assert len(losses) == 2
    expected = 0.5 * 3 * 2 * 1.0 + 1.0 * (2 * 4.0) / 2
    np.testing.assert_allclose(mode.evaluate(tf.add_n(losses)), expected, rtol=1e-6)
    if not mode.eager:
        assert len(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)) == 2


def test_eager_regularization_tracks_current_values(eager):
    mod = Affine(1, regularizers={"w": snt.regularizers.l2(1.0)}, name="tracked")
    mod(tf.ones([1, 2]))
    np.testing.assert_allclose(float(tf.add_n(mod.get_regularization_losses())), 1.0)
    mod.get_variables()[1].assign([[2.0], [2.0]])  # sorted: b, w
    np.testing.assert_allclose(float(tf.add_n(mod.get_regularization_losses())), 4.0)


def test_regularization_in_tf_function_has_gradient(eager):
    mod = Affine(1, regularizers={"w": snt.regularizers.l2(1.0)}, name="fn_reg")

    @tf.function
    def loss_and_grad():
        with tf.GradientTape() as tape:
            mod(tf.ones([1, 2]))
            loss = tf.add_n(mod.get_regularization_losses())
        return loss, tape.gradient(loss, mod.get_variables()[1])

    loss, grad = loss_and_grad()
    np.testing.assert_allclose(loss.numpy(), 1.0)
    np.testing.assert_allclose(grad.numpy(), [[1.0], [1.0]])


def test_regularizer_of_reuse_variables_method_created_after_build(mode):
    class TwoParts(snt.AbstractModule):
        def _build(self, x):
            return x * v1.get_variable("a", [], initializer=tf.ones_initializer())

        @snt.reuse_variables
        def extra(self, x):
            c = v1.get_variable(
                "c",
                [],
                initializer=tf.constant_initializer(3.0),
                regularizer=snt.regularizers.l2(1.0),
            )
            return x * c

    mod = TwoParts()
    mod(1.0)
    mod(2.0)
    mod.extra(1.0)
    mod.extra(1.0)
    losses = mod.get_regularization_losses()
    np.testing.assert_allclose(mode.evaluate(tf.add_n(losses)), 4.5)
