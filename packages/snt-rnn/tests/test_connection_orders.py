"""DeepRNN tracks cores connected before they were handed to it."""

import numpy as np
import tensorflow as tf

import sonnet as snt
from sonnet.mode_testing import check_trains

X = np.linspace(-1.0, 1.0, 6, dtype=np.float32).reshape(2, 3)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _lstm(x, h, c, w, b, forget_bias=1.0):
    """Sonnet 1's LSTM step: gates i, j, f, o from [x, h] @ w + b."""
    gates = np.concatenate([x, h], axis=1) @ w + b
    i, j, f, o = np.split(gates, 4, axis=1)
    c = _sigmoid(f + forget_bias) * c + _sigmoid(i) * np.tanh(j)
    return _sigmoid(o) * np.tanh(c), c


def test_deep_rnn_tracks_a_core_connected_before(mode):
    first = snt.LSTM(4, name="first")
    state = first.zero_state(2, tf.float32)
    first(tf.constant(X), state)
    second = snt.LSTM(2, name="second")
    deep = snt.DeepRNN([first, second], skip_connections=False)
    out, _ = deep(tf.constant(X), deep.zero_state(2, tf.float32))
    names = ["first/b_gates:0", "first/w_gates:0", "second/b_gates:0", "second/w_gates:0"]
    assert sorted(v.name for v in deep.trainable_variables) == names
    assert sorted(v.name for v in deep.get_all_variables()) == names
    (b1, w1), (b2, w2) = mode.evaluate([first.get_variables(), second.get_variables()])
    h1, _ = _lstm(X, np.zeros([2, 4]), np.zeros([2, 4]), w1, b1)
    h2, _ = _lstm(h1, np.zeros([2, 2]), np.zeros([2, 2]), w2, b2)
    np.testing.assert_allclose(mode.evaluate(out), h2, rtol=1e-5, atol=1e-6)
    check_trains(
        mode,
        lambda: tf.reduce_sum(deep(tf.constant(X), deep.zero_state(2, tf.float32))[0] ** 2),
        lambda: deep.trainable_variables,
    )
