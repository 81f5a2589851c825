"""snt.static_unroll / snt.dynamic_unroll, including inside tf.function."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def test_dynamic_unroll_in_tf_function(eager):
    lstm = snt.LSTM(4)
    calls = []

    @tf.function
    def run(x):
        calls.append(1)
        return snt.dynamic_unroll(lstm, x, lstm.initial_state(2, trainable=True))

    out, final = run(tf.ones([5, 2, 3]))
    out_long, _ = run(tf.ones([7, 2, 3]))
    assert out.shape == (5, 2, 4) and out_long.shape == (7, 2, 4)
    assert len(lstm.trainable_variables) == 4
    eager_out, _ = snt.dynamic_unroll(
        lstm, tf.ones([5, 2, 3]), lstm.initial_state(2, trainable=True)
    )
    np.testing.assert_allclose(out.numpy(), eager_out.numpy(), rtol=1e-5)


def test_dynamic_unroll_training_step_in_tf_function(eager):
    tf.random.set_seed(0)  # a fixed start; small steps make descent certain
    lstm = snt.LSTM(3)
    x = tf.ones([4, 2, 2])

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            out, _ = snt.dynamic_unroll(lstm, x, lstm.initial_state(2))
            loss = tf.reduce_sum(out**2)
        grads = tape.gradient(loss, lstm.trainable_variables)
        assert all(g is not None for g in grads)
        for v, g in zip(lstm.trainable_variables, grads, strict=True):
            v.assign_sub(0.01 * g)
        return loss

    losses = [float(step()) for _ in range(5)]
    assert all(later < earlier for earlier, later in zip(losses, losses[1:], strict=False))


def test_nested_inputs_and_batch_major(mode):
    core = snt.Module(lambda inputs, state: (inputs[0] + inputs[1], state + 1.0), name="adder")
    x = (tf.ones([2, 3, 1]), tf.ones([2, 3, 1]))  # batch-major
    out, final = snt.dynamic_unroll(core, x, tf.zeros([2, 1]), time_major=False)
    out_s, final_s = snt.static_unroll(core, x, tf.zeros([2, 1]), time_major=False)
    values = mode.evaluate((out, final, out_s, final_s))
    assert values[0].shape == (2, 3, 1)
    np.testing.assert_array_equal(values[1], np.full([2, 1], 3.0))
    np.testing.assert_array_equal(values[0], values[2])


def test_static_unroll_needs_known_length():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 2, 3])
        with pytest.raises(
            ValueError, match=r"snt.static_unroll: the number of time steps must be known"
        ):
            snt.static_unroll(snt.LSTM(2), x, snt.LSTM(2).initial_state(2))


def test_rank_error(eager):
    with pytest.raises(
        ValueError, match=r"snt.dynamic_unroll: every input must have rank >= 2.*\(3,\)"
    ):
        snt.dynamic_unroll(snt.GRU(2), tf.ones([3]), tf.zeros([1, 2]))


def test_dynamic_unroll_placeholder_length():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 2, 3])
        lstm = snt.LSTM(2)
        out, _ = snt.dynamic_unroll(lstm, x, lstm.initial_state(2))
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            assert sess.run(out, {x: np.ones([6, 2, 3])}).shape == (6, 2, 2)
