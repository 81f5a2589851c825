"""RNNCore: a user core like the guide's Add1RNN, zero and trainable initial states."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


class Add1RNN(snt.RNNCore):
    """The user guide's example core, unchanged in spirit: nested tuple state."""

    def __init__(self, hidden_size, name="add1_rnn"):
        super().__init__(name=name)
        self._hidden_size = hidden_size

    def _build(self, inputs, state):
        batch_size = tf.TensorShape([inputs.get_shape()[0]])
        outputs = tf.zeros(shape=batch_size.concatenate(self.output_size))
        state1, state2 = state
        return outputs, (state1 + 1, state2 + 1)

    @property
    def state_size(self):
        return (tf.TensorShape([self._hidden_size]), tf.TensorShape([self._hidden_size]))

    @property
    def output_size(self):
        return tf.TensorShape([self._hidden_size])

    def initial_state(self, batch_size, dtype):
        sz1, sz2 = self.state_size
        return (
            tf.zeros([batch_size] + sz1.as_list(), dtype=dtype),
            tf.zeros([batch_size] + sz2.as_list(), dtype=dtype),
        )


def test_add1rnn_with_dynamic_rnn(mode):
    core = Add1RNN(3)
    inputs = tf.ones([4, 2, 1])  # [time, batch, features]
    state = core.initial_state(2, tf.float32)
    outputs, final = tf.compat.v1.nn.dynamic_rnn(core, inputs, initial_state=state, time_major=True)
    outputs, final = mode.evaluate((outputs, final))
    np.testing.assert_array_equal(outputs, np.zeros([4, 2, 3]))
    np.testing.assert_array_equal(final[0], np.full([2, 3], 4.0))


def test_add1rnn_with_unroll_helpers(mode):
    core = Add1RNN(2)
    inputs = tf.ones([3, 2, 1])
    state = core.zero_state(2, tf.float32)
    _, final_static = snt.static_unroll(core, inputs, state)
    _, final_dynamic = snt.dynamic_unroll(core, inputs, state)
    values = mode.evaluate((final_static, final_dynamic))
    np.testing.assert_array_equal(values[0][1], np.full([2, 2], 3.0))
    np.testing.assert_array_equal(values[1][1], np.full([2, 2], 3.0))


@pytest.mark.parametrize("tensor_batch", [False, True])
def test_zero_initial_state(mode, tensor_batch):
    lstm = snt.LSTM(3, projection_size=2)
    batch = tf.constant(4) if tensor_batch else 4
    state = lstm.initial_state(batch)
    assert isinstance(state, snt.LSTMState)
    values = mode.evaluate(state)
    assert values.hidden.shape == (4, 2) and values.cell.shape == (4, 3)
    assert not values.hidden.any()
    assert lstm.zero_state(batch, tf.float64).cell.dtype == tf.float64


def test_initial_state_with_placeholder_batch():
    with tf.Graph().as_default():
        batch = tf.compat.v1.placeholder(tf.int32, [])
        lstm = snt.LSTM(3)
        state = lstm.initial_state(batch, trainable=True)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            assert sess.run(state.cell, {batch: 5}).shape == (5, 3)


@pytest.mark.parametrize("tensor_batch", [False, True])
def test_trainable_initial_state(mode, tensor_batch):
    lstm = snt.LSTM(3)
    batch = tf.constant(2) if tensor_batch else 2
    init = {"hidden": tf.compat.v1.ones_initializer(), "cell": tf.zeros_initializer()}
    state = lstm.initial_state(batch, trainable=True, trainable_initializers=snt.LSTMState(**init))
    again = lstm.initial_state(batch, trainable=True)
    lstm(tf.ones([2, 1]), state)
    names = sorted(v.name for v in lstm.trainable_variables)
    assert names == [
        "lstm/b_gates:0",
        "lstm/initial_state/cell/w:0",
        "lstm/initial_state/hidden/w:0",
        "lstm/w_gates:0",
    ]
    values = mode.evaluate((state, again))
    np.testing.assert_array_equal(values[0].hidden, np.ones([2, 3]))
    np.testing.assert_array_equal(values[1].hidden, np.ones([2, 3]))  # shared variables


def test_trainable_initial_state_named_and_regularized(mode):
    gru = snt.GRU(2)
    state = gru.initial_state(1, trainable=True, name="start", trainable_regularizers=tf.nn.l2_loss)
    with pytest.raises(snt.NotConnectedError, match="gru: module not connected yet"):
        _ = gru.trainable_variables  # as in Sonnet 1: the core itself is not connected yet
    gru(tf.ones([1, 3]), state)
    names = [v.name for v in gru.trainable_variables]
    assert [n for n in names if "/start/" in n] == ["gru/start/0/w:0"]
    assert len(gru.get_regularization_losses()) == 1


def test_trainable_initializers_wrong_structure(mode):
    lstm = snt.LSTM(2)
    with pytest.raises(
        ValueError, match=r"initial_state: trainable_initializers must have the structure"
    ):
        lstm.initial_state(1, trainable=True, trainable_initializers=[tf.zeros_initializer()])


def test_bad_batch_size(mode):
    lstm = snt.LSTM(2)
    with pytest.raises(
        TypeError, match=r"lstm.zero_state: batch_size must be a Python int.*got float"
    ):
        lstm.initial_state(2.0)


def test_missing_state_size(eager):
    class NoSizes(snt.RNNCore):
        def _build(self, inputs, state):
            return inputs, state

    with pytest.raises(NotImplementedError, match=r"NoSizes \(no_sizes\): .*state_size"):
        NoSizes().zero_state(1)


def test_trainable_initial_state_function(mode):
    state = snt.trainable_initial_state(
        3, snt.LSTMState(tf.TensorShape([2]), tf.TensorShape([4])), tf.float32, name="s"
    )
    values = mode.evaluate(state)
    assert values.hidden.shape == (3, 2) and values.cell.shape == (3, 4)
    names = sorted(v.name for v in tf.compat.v1.global_variables()) if not mode.eager else None
    if names is not None:
        assert names == ["s_cell/w:0", "s_hidden/w:0"]


def test_trainable_initial_state_module(mode):
    initial = (tf.fill([2, 3], 2.0), tf.zeros([2, 1]))
    module = snt.TrainableInitialState(initial, mask=(True, False))
    state = module()
    assert [v.name for v in module.get_variables()] == ["trainable_initial_state/initial_state_0:0"]
    values = mode.evaluate(state)
    np.testing.assert_array_equal(values[0], np.full([2, 3], 2.0))


def test_trainable_initial_state_module_bad_mask(eager):
    with pytest.raises(ValueError, match=r"trainable_initial_state: mask must have the structure"):
        snt.TrainableInitialState((tf.zeros([1, 1]),) * 2, mask=(True,))
    with pytest.raises(
        TypeError, match=r"trainable_initial_state_1: mask must hold Python booleans"
    ):
        snt.TrainableInitialState((tf.zeros([1, 1]),), mask=(1,))


def test_checkpoint_round_trip_with_trainable_initial_state(eager, tmp_path):
    lstm = snt.LSTM(2)
    lstm(tf.ones([1, 3]), lstm.initial_state(1, trainable=True))
    path = tf.train.Checkpoint(core=lstm).save(str(tmp_path / "ckpt"))
    saved = [v.numpy() for v in lstm.trainable_variables]
    for v in lstm.trainable_variables:
        v.assign(tf.zeros_like(v) + 7.0)
    tf.train.Checkpoint(core=lstm).restore(path).assert_existing_objects_matched()
    for v, value in zip(lstm.trainable_variables, saved, strict=True):
        np.testing.assert_array_equal(v.numpy(), value)


def test_custom_getter_applies_to_core_variables(mode):
    seen = []

    def getter(next_getter, name, *args, **kwargs):
        seen.append(name)
        return next_getter(name, *args, **kwargs)

    lstm = snt.LSTM(2, custom_getter=getter)
    lstm(tf.ones([1, 3]), lstm.initial_state(1))
    assert sorted(set(seen)) == ["lstm/b_gates", "lstm/w_gates"]


def test_batch_size_may_be_a_tf1_dimension(mode):
    # TF1-style code passes inputs.get_shape()[0], a Dimension under TF1 shape behaviour.
    lstm = snt.LSTM(2)
    batch = tf.compat.v1.Dimension(3)
    for state in (lstm.zero_state(batch, tf.float32), lstm.initial_state(batch, trainable=True)):
        assert [s.shape.as_list() for s in state] == [[3, 2], [3, 2]]
    np.testing.assert_array_equal(mode.evaluate(lstm.zero_state(batch, tf.float32).hidden), 0)
    with pytest.raises(TypeError, match=r"lstm.zero_state: batch_size must be a Python int"):
        lstm.zero_state(tf.compat.v1.Dimension(None), tf.float32)


def test_trainable_initial_state_module_takes_integer_states(mode):
    # As in Sonnet 1 any numeric state can be made trainable (it starts from row 0).
    initial = (tf.fill([3, 2], 7), tf.fill([3, 4], 1.5))
    module = snt.TrainableInitialState(initial, mask=(True, False))
    state = module()
    assert state[0].dtype == tf.int32
    mode.evaluate(tf.compat.v1.assign(module.get_variables()[0], [[4, 5]]))
    values = mode.evaluate(module())
    np.testing.assert_array_equal(values[0], np.tile([[4, 5]], [3, 1]))
    np.testing.assert_array_equal(values[1], np.full([3, 4], 1.5))


def test_trainable_initial_state_module_rows_must_be_equal(mode):
    rows = np.array([[1.0, 2.0], [1.0, 3.0]], np.float32)
    # A known value is checked when connecting (InvalidArgumentError, as in Sonnet 1).
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"m_rows: every row .* entry 1"):
        snt.TrainableInitialState((tf.ones([2, 1]), tf.constant(rows)), name="m_rows")()
    # Masked-out entries are passed through unchecked.
    snt.TrainableInitialState((tf.ones([2, 1]), tf.constant(rows)), mask=(True, False))()


def test_trainable_initial_state_module_rows_checked_when_run(graph):
    # A value known only when run: checked when the variable is initialized.
    rows = np.array([[1.0, 2.0], [1.0, 3.0]], np.float32)
    fed = tf.compat.v1.placeholder_with_default(rows, [2, 2])
    snt.TrainableInitialState((fed,), name="m_fed")()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"m_fed: every row"):
        graph.evaluate(tf.compat.v1.global_variables_initializer())


def test_initial_state_name_scopes(graph):
    lstm = snt.LSTM(2, name="foo")
    trainable = lstm.initial_state(3, trainable=True)
    assert [t.name for t in trainable] == [
        "foo_initial_state/state_hidden_tiled:0",
        "foo_initial_state/state_cell_tiled:0",
    ]
    named = lstm.initial_state(3, trainable=True, name="bar")
    assert [t.name for t in named] == ["bar/state_hidden_tiled:0", "bar/state_cell_tiled:0"]
    assert lstm.initial_state(3).hidden.name.startswith("foo_initial_state_1/")
    bn_lstm = snt.BatchNormLSTM(2, max_unique_stats=2, name="bn")
    hidden, _, step = bn_lstm.initial_state(3, trainable=True)
    assert hidden.name == "bn_initial_state/state_hidden_tiled:0"
    assert step.name.startswith("bn_initial_state/")
