"""stop_gradient, non_trainable, override_args, override_default_args (graph and eager)."""

import numpy as np
import pytest
import tensorflow as tf
from getter_helpers import FastAffine, input_batch, with_gradients

import sonnet as snt

getters = snt.custom_getters


def _affine_grads(mode, module):
    def fn(x):
        y = module(x)
        return y, list(module.variables)

    return with_gradients(mode, fn, input_batch())


def test_stop_gradient_blocks_variables_only(mode):
    module = FastAffine(custom_getter=getters.stop_gradient)
    y, (dx, db, dw) = _affine_grads(mode, module)  # variables sorted by name: b, w
    assert db is None and dw is None
    w = np.arange(6, dtype=np.float32).reshape(3, 2) / 10
    np.testing.assert_allclose(mode.evaluate(dx), np.tile(w.sum(axis=1), (2, 1)), rtol=1e-6)
    np.testing.assert_allclose(mode.evaluate(y), mode.evaluate(input_batch()) @ w + 1, rtol=1e-6)
    assert [v.name for v in module.trainable_variables] == ["fast_affine/b:0", "fast_affine/w:0"]


def test_stop_gradient_applies_on_every_connection(mode):
    module = FastAffine(custom_getter=getters.stop_gradient)
    _affine_grads(mode, module)
    _, (_, db, dw) = _affine_grads(mode, module)
    assert db is None and dw is None


def test_non_trainable_creates_untrainable_variables(mode):
    module = FastAffine(custom_getter=getters.non_trainable)
    module(input_batch())
    assert module.trainable_variables == ()
    assert [v.name for v in module.non_trainable_variables] == [
        "fast_affine/b:0",
        "fast_affine/w:0",
    ]
    if not mode.eager:
        assert tf.compat.v1.trainable_variables() == []


def test_override_args_forces_values(mode):
    getter = getters.override_args(initializer=tf.constant_initializer(2.0), trainable=False)
    module = FastAffine(custom_getter=getter)
    y = module(tf.ones([1, 3]))
    np.testing.assert_allclose(mode.evaluate(y), [[8.0, 8.0]])  # 3 inputs * w=2 + b=2
    assert module.trainable_variables == ()


def test_override_default_args_keeps_explicit_values(mode):
    # FastAffine passes initializers explicitly, so they win; it sets no regularizer.
    getter = snt.custom_getters.override_default_args(
        initializer=tf.zeros_initializer(), regularizer=tf.reduce_sum
    )
    module = FastAffine(custom_getter=getter)
    y = module(tf.ones([1, 3]))
    np.testing.assert_allclose(mode.evaluate(y), [[1.6, 1.9]], rtol=1e-6)
    losses = module.get_regularization_losses()
    np.testing.assert_allclose(mode.evaluate(tf.add_n(losses)), 1.5 + 2.0, rtol=1e-6)


def test_override_default_args_fills_unspecified_arguments(mode):
    getter = getters.override_default_args(initializer=tf.constant_initializer(3.0))
    with tf.compat.v1.variable_scope("scope", custom_getter=getter):
        v = tf.compat.v1.get_variable("v", [2])
        u = tf.compat.v1.get_variable("u", [2], initializer=tf.ones_initializer())
    np.testing.assert_allclose(mode.evaluate([v, u]), [[3.0, 3.0], [1.0, 1.0]])


@pytest.mark.parametrize("factory", ["override_args", "override_default_args"])
def test_override_getters_reject_unknown_arguments(factory):
    with pytest.raises(
        TypeError, match=rf"{factory}: unknown get_variable argument\(s\) \['initialiser'\]"
    ):
        getattr(getters, factory)(initialiser=None)


def test_custom_getters_are_exported_where_sonnet_1_had_them():
    from sonnet.python import custom_getters as legacy

    for name in getters.__all__:
        assert getattr(legacy, name) is getattr(getters, name)
    assert snt.custom_getters.bayes_by_backprop.bayes_by_backprop_getter
