import numpy as np
import pytest
import tensorflow as tf

from snt_nets.batch_apply import BatchApply
from snt_nets.linear import Linear


def test_module(mode, check_trains):
    lin = Linear(4)
    mod = BatchApply(lin)
    x = np.random.RandomState(0).randn(3, 2, 5).astype(np.float32)
    y = mod(tf.constant(x))
    assert y.shape.as_list() == [3, 2, 4]
    w, b, out = mode.evaluate([lin.w, lin.b, y])
    np.testing.assert_allclose(out, x @ w + b, rtol=1e-5, atol=1e-6)
    check_trains(
        mode, lambda: tf.reduce_mean(tf.square(mod(tf.constant(x)))), lambda: lin.variables
    )


def test_raw_op_nested_inputs_outputs(mode):
    def op(pair, scale=None):
        a, b = pair
        return {"sum": a + b, "scaled": a * scale, "const": 1}

    mod = BatchApply(op, n_dims=2, input_example_index=1)
    a = tf.ones([2, 3, 4])
    out = mod((a, 2 * a), scale=tf.fill([2, 3, 1], 3.0))
    assert out["sum"].shape.as_list() == [2, 3, 4]
    assert out["const"] == 1
    np.testing.assert_allclose(mode.evaluate(out["scaled"]), 3 * np.ones([2, 3, 4]))


def test_placeholder(graph):
    ph = tf.compat.v1.placeholder(tf.float32, [None, None, 3])
    y = BatchApply(Linear(2))(ph)
    assert y.shape.as_list() == [None, None, 2]
    assert graph.evaluate(y, {ph: np.ones([4, 5, 3])}).shape == (4, 5, 2)


def test_errors(eager):
    with pytest.raises(ValueError, match="batch_apply: n_dims should be greater than zero; got 0"):
        BatchApply(tf.identity, n_dims=0)
    with pytest.raises(TypeError, match="batch_apply_1: module_or_op must be callable"):
        BatchApply(3)
    with pytest.raises(ValueError, match="batch_apply_2: input_example_index 3 is out of range"):
        BatchApply(tf.identity, input_example_index=3)(tf.ones([2, 2, 2]))


def test_one_dimension_merges_nothing(mode):
    lin = Linear(2)
    x = np.random.RandomState(0).randn(4, 3).astype(np.float32)
    y = BatchApply(lin, n_dims=1)(tf.constant(x))
    assert y.shape.as_list() == [4, 2]
    w, b, out = mode.evaluate([lin.w, lin.b, y])
    np.testing.assert_allclose(out, x @ w + b, rtol=1e-5, atol=1e-6)


def test_input_example_index_picks_the_leading_dimensions(mode):
    a = np.random.RandomState(0).randn(3, 5).astype(np.float32)
    b = np.random.RandomState(1).randn(3, 9).astype(np.float32)

    def second(pair):
        return pair[1]

    out = BatchApply(second, input_example_index=1)((tf.constant(a), tf.constant(b)))
    np.testing.assert_array_equal(mode.evaluate(out), b)
    # The first input's leading dimensions [3, 5] cannot hold 27 elements: TensorFlow's
    # reshape error class for the mode, with our message.
    error = tf.errors.InvalidArgumentError if mode.eager else ValueError
    with pytest.raises(error, match=r"batch_apply_1: .* 15 first.*\[3, 5\].*got shape \[27\]"):
        BatchApply(second, input_example_index=0)((tf.constant(a), tf.constant(b)))


def test_split_error_in_tf_function_is_a_value_error(eager):
    apply = BatchApply(lambda x: x[:1])
    with pytest.raises(ValueError, match=r"batch_apply: .* 6 first"):
        tf.function(apply)(tf.ones([2, 3, 4]))
