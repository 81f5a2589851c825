"""DeepRNN: stacking, skip connections, non-recurrent entries, numerics."""

from unittest import mock

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
        ValueError,
        match=r"deep_rnn: skip_connections are enabled but not all cores are `snt.RNNCore`s, "
        r"which is not supported.*relu",
    ):
        snt.DeepRNN([snt.GRU(2), tf.nn.relu])
    with pytest.raises(ValueError, match=r"deep_rnn_1: cores must be a non-empty list"):
        snt.DeepRNN([])
    deep = snt.DeepRNN([snt.GRU(2)], name="d")
    with pytest.raises(ValueError, match=r"d: prev_state must be a tuple of 1 states"):
        deep(tf.ones([1, 2]), (tf.zeros([1, 2]), tf.zeros([1, 2])))


class _Cell:
    """A minimal RNN cell (not an ``snt.RNNCore``): ``h' = h + x``."""

    state_size = 2
    output_size = 2

    def __call__(self, inputs, state):
        return state + inputs, state + inputs

    def initial_state(self, batch_size, dtype=tf.float32):
        return tf.zeros([batch_size, 2], dtype)


def test_deep_rnn_skip_connections_need_rnn_cores(mode):
    with pytest.raises(ValueError, match=r"m_cells: skip_connections are enabled but not all"):
        snt.DeepRNN([_Cell(), _Cell()], name="m_cells")
    # Without skip connections a cell counts as recurrent.
    deep = snt.DeepRNN([_Cell(), _Cell()], skip_connections=False)
    out, state = deep(tf.ones([1, 2]), deep.initial_state(1))
    np.testing.assert_allclose(mode.evaluate(out), [[1.0, 1.0]])  # 0 + (0 + 1)


def test_deep_rnn_skip_outputs_must_concatenate(mode):
    cores = [
        snt.Conv1DLSTM(input_shape=(4, 1), output_channels=2, kernel_shape=1),
        snt.Conv1DLSTM(input_shape=(5, 1), output_channels=2, kernel_shape=1, name="other"),
    ]
    with pytest.raises(
        ValueError, match=r"m_skip: The outputs of the provided cores are not able to be conc"
    ):
        snt.DeepRNN(cores, name="m_skip")


def test_deep_rnn_skip_connections_concatenate_the_last_axis(mode):
    # Multi-dimensional cores: inputs and outputs join along the channels.
    x = np.random.RandomState(1).randn(2, 4, 3).astype(np.float32)
    ones = {"w": tf.compat.v1.ones_initializer(), "b": tf.compat.v1.zeros_initializer()}

    def make(name):
        return snt.Conv1DLSTM(
            input_shape=(4, 3), output_channels=2, kernel_shape=1, initializers=ones, name=name
        )

    deep = snt.DeepRNN([make("a"), make("b")])
    assert deep.output_size == tf.TensorShape([4, 4])
    state = deep.initial_state(2)
    out, next_state = deep(tf.constant(x), state)
    assert out.shape.as_list() == [2, 4, 4]

    def step(inputs):  # NumPy Conv1DLSTM with kernel 1, all-ones weights, zero state
        gate = np.repeat(inputs.sum(-1, keepdims=True), 2, axis=-1)
        sig = 1 / (1 + np.exp(-gate))
        cell = sig * np.tanh(gate)  # the forget gate multiplies a zero cell
        return np.tanh(cell) * sig

    first = step(x)
    second = step(np.concatenate([x, first], -1))
    np.testing.assert_allclose(
        mode.evaluate(out), np.concatenate([first, second], -1), rtol=1e-5, atol=1e-6
    )


class _Flagged(snt.RNNCore):
    """Adds ``flag`` to the state: ``h' = h + x + flag``."""

    def _build(self, inputs, prev_state, flag=0.0):
        return prev_state + inputs + flag, prev_state + inputs + flag

    @property
    def state_size(self):
        return tf.TensorShape([2])

    @property
    def output_size(self):
        return tf.TensorShape([2])


def test_deep_rnn_passes_kwargs_to_every_core(mode):
    seen = []

    def plain(x, **kwargs):
        seen.append(kwargs)
        return x * 2.0

    deep = snt.DeepRNN([_Flagged(), plain, _Flagged(name="second")], skip_connections=False)
    out, _ = deep(tf.ones([1, 2]), deep.initial_state(1), flag=3.0)
    assert seen == [{"flag": 3.0}]
    np.testing.assert_allclose(mode.evaluate(out), [[11.0, 11.0]])  # (1 + 3) * 2 + 3


def test_deep_rnn_accepts_any_iterable(mode):
    deep = snt.DeepRNN(core for core in [snt.GRU(2), snt.GRU(3)])  # a generator
    assert deep.state_size == (tf.TensorShape([2]), tf.TensorShape([3]))
    with pytest.raises(ValueError, match=r"deep_rnn_1: Cores should be an iterable object"):
        snt.DeepRNN(3)


def test_deep_rnn_output_size_without_one_on_the_last_core(mode):
    deep = snt.DeepRNN([snt.LSTM(3), snt.Linear(7), tf.nn.relu], skip_connections=False)
    with mock.patch.object(tf.compat.v1.logging, "warning") as warning:
        assert deep.output_size == tf.TensorShape([7])  # guessed from the Linear
    assert "final core %s does not have the .output_size field" in warning.call_args[0][0]
    assert warning.call_args[0][2] == 7
    deep(tf.ones([2, 5]), deep.initial_state(2))
    with mock.patch.object(tf.compat.v1.logging, "warning") as warning:
        assert deep.output_size == tf.TensorShape([7])  # from the connection
    assert "DeepRNN has been connected into the graph" in warning.call_args[0][0]
    # dynamic_rnn reads output_size.
    outputs, _ = tf.compat.v1.nn.dynamic_rnn(deep, tf.ones([2, 3, 5]), dtype=tf.float32)
    assert mode.evaluate(outputs).shape == (2, 3, 7)
    none = snt.DeepRNN([tf.nn.relu, tf.tanh], skip_connections=False, name="m_none")
    with pytest.raises(ValueError, match=r"m_none: None of the 'cores' have output_size"):
        _ = none.output_size


def test_deep_rnn_initial_state_names(graph):
    deep = snt.DeepRNN([snt.LSTM(2, name="a"), snt.GRU(3, name="b")])
    state = deep.initial_state(2, trainable=True)
    assert [t.name for t in tf.nest.flatten(state)] == [
        "deep_rnn_initial_state/a_initial_state/state_hidden_tiled:0",
        "deep_rnn_initial_state/a_initial_state/state_cell_tiled:0",
        "deep_rnn_initial_state/b_initial_state/state_0_tiled:0",
    ]
    named = deep.initial_state(2, trainable=True, name="blah")
    assert named[0].hidden.name == "blah/a_initial_state/state_hidden_tiled:0"
    zeros = deep.initial_state(2, name="z")
    assert zeros[1].name.startswith("z/b_initial_state/")


def test_a_core_refusing_its_state_shape_names_the_deep_rnn_and_the_core(mode):
    gru = snt.GRU(2, name="inner_gru")
    deep = snt.DeepRNN([snt.LSTM(3), gru], name="stack")
    state = deep.initial_state(1)
    bad = (state[0], tf.zeros([1, 5]))  # the GRU's state is [batch, 2]
    with pytest.raises(
        snt.IncompatibleShapeError, match=r"^stack: core 1 \(prev_state\[1\]\): inner_gru: "
    ):
        deep(tf.ones([1, 4]), bad)
