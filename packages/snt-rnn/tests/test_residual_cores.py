"""ResidualCore and SkipConnectionCore: outputs, delegated state, sizes, errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

RNG = np.random.default_rng(7)
X = RNG.normal(size=(3, 4)).astype(np.float32)
H = RNG.normal(size=(3, 4)).astype(np.float32)


class MixedStateCore(snt.RNNCore):
    """Echoes its input; a float and an int32 state tensor, and its own initial_state."""

    def __init__(self, hidden_size, name="mixed"):
        super().__init__(name=name)
        self._hidden_size = hidden_size

    def _build(self, inputs, prev_state):
        return inputs, prev_state

    @property
    def output_size(self):
        return self._hidden_size

    @property
    def state_size(self):
        return tf.TensorShape([self._hidden_size]), tf.TensorShape([self._hidden_size])

    def initial_state(self, batch_size, dtype=tf.float32, **kwargs):
        del dtype, kwargs
        return (
            tf.fill([batch_size, self._hidden_size], 2.0),
            tf.zeros([batch_size, self._hidden_size], tf.int32),
        )


def vanilla_reference(mode, rnn, x, h):
    w_ih, b_ih = rnn.in_to_hidden_variables
    w_hh, b_hh = rnn.hidden_to_hidden_variables
    w_ih, b_ih, w_hh, b_hh = mode.evaluate([w_ih, b_ih, w_hh, b_hh])
    return np.tanh(x @ w_ih + b_ih + h @ w_hh + b_hh)


def test_residual_core_matches_numpy(mode):
    rnn = snt.VanillaRNN(4, name="rnn")
    core = snt.ResidualCore(rnn, name="residual")
    output, state = core(tf.constant(X), tf.constant(H))
    output2, state2 = core(tf.constant(X), state)
    got = mode.evaluate({"o": (output, output2), "s": (state, state2)})
    hidden = H
    for step in range(2):
        hidden = vanilla_reference(mode, rnn, X, hidden)
        np.testing.assert_allclose(got["s"][step], hidden, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(got["o"][step], hidden + X, rtol=1e-5, atol=1e-6)
    assert core.output_size == rnn.output_size and core.state_size == rnn.state_size
    assert core.output_size == 4  # a TensorShape([4]) compares equal to 4, as in Sonnet 1
    assert [v.name for v in core.get_all_variables()] == [
        "rnn/hidden_to_hidden/b:0",
        "rnn/hidden_to_hidden/w:0",
        "rnn/in_to_hidden/b:0",
        "rnn/in_to_hidden/w:0",
    ]


def test_skip_connection_core_matches_numpy(mode):
    rnn = snt.VanillaRNN(4, name="rnn")
    core = snt.SkipConnectionCore(rnn, name="skip")
    with pytest.raises(ValueError, match=r"skip: Output size unknown"):
        _ = core.output_size
    output, state = core(tf.constant(X), tf.constant(H))
    assert core.output_size == tf.TensorShape([8])
    got_output, got_state = mode.evaluate([output, state])
    hidden = vanilla_reference(mode, rnn, X, H)
    np.testing.assert_allclose(got_state, hidden, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_output, np.concatenate([X, hidden], -1), rtol=1e-5, atol=1e-6)
    given = snt.SkipConnectionCore(snt.VanillaRNN(18), input_shape=(4,), name="skip")
    assert given.output_size.as_list() == [22]
    assert snt.SkipConnectionCore(rnn, input_shape=(5, 2)).output_size.as_list() == [5, 6]


@pytest.mark.parametrize("wrapper", [snt.ResidualCore, snt.SkipConnectionCore])
def test_state_comes_from_the_base_core(mode, wrapper):
    base = MixedStateCore(3)
    core = wrapper(base)
    state = core.initial_state(2)
    assert [s.dtype for s in state] == [tf.float32, tf.int32]
    assert [s.shape.as_list() for s in state] == [[2, 3], [2, 3]]
    np.testing.assert_array_equal(mode.evaluate(state[0]), np.full([2, 3], 2.0))
    zeros = core.zero_state(2, tf.float64)
    assert [z.dtype for z in zeros] == [tf.float64, tf.float64]
    assert core.state_size == base.state_size
    lstm = snt.LSTM(3)
    wrapped = wrapper(lstm)
    trainable = wrapped.initial_state(2, trainable=True)
    assert isinstance(trainable, snt.LSTMState)
    wrapped(tf.ones([2, 3]), trainable)  # variables are listed once connected
    assert [v.name for v in lstm.trainable_variables if "initial_state" in v.name] == [
        "lstm/initial_state/cell/w:0",
        "lstm/initial_state/hidden/w:0",
    ]


def test_unrolled_with_dynamic_unroll_in_tf_function():
    lstm = snt.LSTM(4)
    core = snt.SkipConnectionCore(snt.ResidualCore(lstm))
    sequence = tf.random.stateless_normal([3, 2, 4], seed=[5, 6])

    @tf.function
    def unroll(seq):
        return snt.dynamic_unroll(core, seq, core.initial_state(2))

    outputs, final = unroll(sequence)
    state = lstm.initial_state(2)
    for t in range(3):
        lstm_out, state = lstm(sequence[t], state)
        expected = np.concatenate([sequence[t], lstm_out + sequence[t]], -1)
        np.testing.assert_allclose(outputs[t].numpy(), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(final.hidden.numpy(), state.hidden.numpy(), rtol=1e-5)
    assert core.output_size.as_list() == [8]


class OutputCore(snt.RNNCore):
    """Outputs ``fn(inputs)``; the state passes through unchanged."""

    def __init__(self, fn, name="output_core"):
        super().__init__(name=name)
        self._fn = fn

    def _build(self, inputs, prev_state):
        return self._fn(inputs), prev_state

    @property
    def state_size(self):
        return tf.TensorShape([3])

    @property
    def output_size(self):
        return tf.TensorShape([3])


def test_errors(mode):
    with pytest.raises(TypeError, match=r"residual_core: base_core must be an RNN core"):
        snt.ResidualCore(snt.Linear(3))
    with pytest.raises(TypeError, match=r"skip_connection_core: base_core must be an RNN core"):
        snt.SkipConnectionCore("lstm")
    with pytest.raises(TypeError, match=r"skip: input_shape must be a shape"):
        snt.SkipConnectionCore(snt.LSTM(3), input_shape="4", name="skip")
    x, h = tf.ones([2, 3]), tf.zeros([2, 3])
    grows = snt.ResidualCore(snt.VanillaRNN(5), name="grows")
    with pytest.raises(snt.IncompatibleShapeError, match=r"grows: cannot add inputs of shape"):
        grows(x, tf.zeros([2, 5]))
    # An output that the inputs would broadcast to a bigger shape: output_size would lie.
    narrow = snt.ResidualCore(snt.VanillaRNN(1), name="narrow")
    with pytest.raises(snt.IncompatibleShapeError, match=r"narrow: .*keep the output's shape"):
        narrow(x, tf.zeros([2, 1]))
    widens = snt.ResidualCore(OutputCore(lambda i: tf.tile(i[:, :1], [1, 3])), name="widens")
    np.testing.assert_allclose(mode.evaluate(widens(x[:, :1], h)[0]), np.full([2, 3], 2.0))
    for wrapper in (snt.ResidualCore, snt.SkipConnectionCore):
        pairs = wrapper(OutputCore(lambda i: (i, i)), name=f"pairs_{wrapper.__name__}")
        with pytest.raises(ValueError, match=r"pairs_\w+: the base core's output must have the"):
            pairs(x, h)
        casts = wrapper(OutputCore(lambda i: tf.cast(i, tf.float64)), name=f"c_{wrapper.__name__}")
        with pytest.raises(TypeError, match=r"c_\w+: inputs of dtype float32 cannot be combined"):
            casts(x, h)
    rank = snt.SkipConnectionCore(OutputCore(lambda i: i[..., tf.newaxis]), name="rank")
    with pytest.raises(snt.IncompatibleShapeError, match=r"rank: inputs of shape \(2, 3\) can"):
        rank(x, h)
    batch = snt.SkipConnectionCore(OutputCore(lambda i: tf.ones([4, 3])), name="batch")
    with pytest.raises(snt.IncompatibleShapeError, match=r"batch: inputs of shape .* cannot"):
        batch(x, h)
