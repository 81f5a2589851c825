"""RecurrentDropoutWrapper, ZoneoutWrapper and their LSTM/highway factories."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def test_recurrent_dropout_masks_hidden_state(mode):
    train, test = snt.lstm_with_recurrent_dropout(20, keep_prob=0.5)
    assert train.module_name == "lstm_recdropout"
    state = train.initial_state(3)
    core_state, masks = state
    assert len(masks) == 1
    out, (next_core, next_masks) = train(tf.ones([3, 2]), state)
    ref_out, ref_state = test(tf.ones([3, 2]), core_state)
    values = mode.evaluate((next_core, masks[0], ref_state))
    np.testing.assert_allclose(values[0].hidden, values[2].hidden * values[1], rtol=1e-5)
    np.testing.assert_allclose(values[0].cell, values[2].cell, rtol=1e-5)
    assert set(np.unique(values[1])) <= {0.0, 2.0}
    assert train.state_size == (test.state_size, [tf.TensorShape([20])])
    assert [v.name for v in train.trainable_variables] == ["lstm/b_gates:0", "lstm/w_gates:0"]


def test_recurrent_dropout_with_dynamic_rnn(mode):
    train, _ = snt.highway_core_with_recurrent_dropout(4, num_layers=2, keep_prob=0.7)
    out, _ = tf.compat.v1.nn.dynamic_rnn(
        train, tf.ones([2, 3, 5]), initial_state=train.initial_state(2)
    )
    assert mode.evaluate(out).shape == (2, 3, 4)


def test_recurrent_dropout_bad_keep_probs(eager):
    with pytest.raises(ValueError, match=r"lstm_recdropout: keep_probs must have the structure"):
        snt.RecurrentDropoutWrapper(snt.LSTM(2), (0.5, 0.5, 0.5))


def test_zoneout_train_and_test(mode):
    train, test = snt.lstm_with_zoneout(16, keep_prob_c=0.5, keep_prob_h=0.9)
    assert train.module_name == "lstm_zoneout"
    state = snt.LSTMState(tf.ones([2, 16]), tf.ones([2, 16]))
    x = tf.ones([2, 3])
    _, train_state = train(x, state)
    _, test_state = test(x, state)
    _, raw_state = train._core(x, state)
    values = mode.evaluate((train_state, test_state, raw_state))
    new_c, old_c = values[2].cell, 1.0
    np.testing.assert_allclose(values[1].cell, 0.5 * new_c + 0.5 * old_c, rtol=1e-5)
    took_new = np.isclose(values[0].cell, new_c)
    kept_old = np.isclose(values[0].cell, old_c)
    assert np.all(took_new | kept_old)
    assert len(train.trainable_variables) == 2


def test_zoneout_bad_keep_probs(eager):
    with pytest.raises(ValueError, match=r"gru_zoneout: keep_probs must have the structure"):
        snt.ZoneoutWrapper(snt.GRU(2), (0.5, 0.5), is_training=True)
