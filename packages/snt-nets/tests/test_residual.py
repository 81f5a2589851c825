"""Residual: ``module(x) + x``, nested inputs, keyword arguments, errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def test_linear_plus_input_matches_numpy(mode, check_trains):
    x = tf.constant(np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32))
    linear = snt.Linear(4, name="rnn")
    residual = snt.Residual(linear)
    out = residual(x)
    out_again = residual(x)
    assert out.shape.as_list() == [3, 4]
    assert residual.module_name == "residual"
    assert [v.name for v in residual.get_all_variables()] == ["rnn/b:0", "rnn/w:0"]
    assert residual.get_variables() == ()  # no variables of its own
    w, b, got, again, x_np = mode.evaluate([linear.w, linear.b, out, out_again, x])
    np.testing.assert_allclose(got, x_np @ w + b + x_np, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(again, got)
    check_trains(mode, lambda: tf.reduce_sum(residual(x) ** 2), residual.get_all_variables)


def test_nested_inputs_and_keyword_arguments(mode):
    def twist(pair, scale=1.0):
        first, second = pair
        return first * scale, second * scale - 1.0

    residual = snt.Residual(twist, name="twisted")
    a = tf.constant([[1.0, 2.0]])
    b = tf.constant([[3.0], [4.0]])
    out = residual((a, b), scale=3.0)
    got = mode.evaluate(out)
    assert isinstance(out, tuple)
    np.testing.assert_allclose(got[0], [[4.0, 8.0]])  # 3a + a
    np.testing.assert_allclose(got[1], [[11.0], [15.0]])  # (3b - 1) + b


def test_broadcasting_output_and_tf_function(mode):
    residual = snt.Residual(lambda x: tf.reduce_sum(x, axis=-1, keepdims=True))
    x = tf.constant([[1.0, 2.0], [3.0, 5.0]])
    out = residual(x)
    np.testing.assert_allclose(mode.evaluate(out), [[4.0, 5.0], [11.0, 13.0]])
    if mode.eager:
        np.testing.assert_allclose(tf.function(residual)(x).numpy(), out.numpy())


def test_errors(mode):
    with pytest.raises(TypeError, match=r"block: base_module must be callable; got int"):
        snt.Residual(3, name="block")
    wrong_structure = snt.Residual(lambda x: (x, x), name="pairs")
    with pytest.raises(ValueError, match=r"pairs: the base module's output must have the struc"):
        wrong_structure(tf.ones([2, 3]))
    wrong_shape = snt.Residual(snt.Linear(5), name="grows")
    with pytest.raises(
        snt.IncompatibleShapeError, match=r"grows: cannot add inputs of shape \(2, 3\)"
    ):
        wrong_shape(tf.ones([2, 3]))
    wrong_dtype = snt.Residual(lambda x: tf.cast(x, tf.float64), name="casts")
    with pytest.raises(TypeError, match=r"casts: cannot add inputs of dtype float32 .*float64"):
        wrong_dtype(tf.ones([2, 3]))
