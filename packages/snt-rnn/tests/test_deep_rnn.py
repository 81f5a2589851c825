"""DeepRNN: stacking, skip connections, non-recurrent entries, numerics."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def test_deep_rnn_matches_step_by_step(mode):
    x = tf.constant(np.random.RandomState(0).randn(2, 3).astype(np.float32))
    lstm, gru = snt.LSTM(4), snt.GRU(5)
    deep = snt.DeepRNN([lstm, gru], skip_connections=True)
    state = deep.initial_state(2)
    out, next_state = deep(x, state)
    h1, s1 = lstm(x, state[0])
    h2, s2 = gru(tf.concat([x, h1], 1), state[1])
    values = mode.evaluate((out, next_state, h1, h2, s1, s2))
    np.testing.assert_allclose(values[0], np.concatenate([values[2], values[3]], 1), rtol=1e-6)
    np.testing.assert_allclose(values[1][1], values[5], rtol=1e-6)
    assert deep.output_size == tf.TensorShape([9])
    assert deep.state_size == (lstm.state_size, gru.state_size)


def test_deep_rnn_no_skip_with_plain_modules(mode):
    lstm, lin = snt.LSTM(3), snt.Linear(2)
    deep = snt.DeepRNN([lstm, tf.nn.relu, snt.GRU(3), lin], skip_connections=False)
    state = deep.initial_state(2)
    assert len(state) == 2
    out, next_state = deep(tf.ones([2, 4]), state)
    assert out.shape.as_list() == [2, 2] and deep.output_size == tf.TensorShape([2])
    out_seq, _ = tf.compat.v1.nn.dynamic_rnn(deep, tf.ones([2, 5, 4]), initial_state=state)
    assert mode.evaluate(out_seq).shape == (2, 5, 2)


def test_deep_rnn_skip_without_concat(mode):
    deep = snt.DeepRNN([snt.GRU(3), snt.GRU(2)], concat_final_output_if_skip=False)
    out, _ = deep(tf.ones([2, 4]), deep.initial_state(2))
    assert out.shape.as_list() == [2, 2] and deep.output_size == tf.TensorShape([2])


def test_deep_rnn_trainable_initial_state(mode):
    deep = snt.DeepRNN([snt.GRU(3), snt.GRU(2)])
    state = deep.initial_state(2, trainable=True)
    assert [s.shape.as_list() for s in state] == [[2, 3], [2, 2]]


def test_deep_rnn_errors(mode):
    with pytest.raises(
        ValueError, match=r"deep_rnn: skip_connections need every core to be recurrent"
    ):
        snt.DeepRNN([snt.GRU(2), tf.nn.relu])
    with pytest.raises(ValueError, match=r"deep_rnn_1: cores must be a non-empty list"):
        snt.DeepRNN([])
    deep = snt.DeepRNN([snt.GRU(2)], name="d")
    with pytest.raises(ValueError, match=r"d: prev_state must be a tuple of 1 states"):
        deep(tf.ones([1, 2]), (tf.zeros([1, 2]), tf.zeros([1, 2])))
