"""LSTM: numerics against NumPy, variable names, options, errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_lstm_step(x, h, c, w, b, forget_bias=1.0, peep=None, proj=None, clip_h=None, clip_c=None):
    if clip_h is not None:
        h = np.clip(h, -clip_h, clip_h)
    if clip_c is not None:
        c = np.clip(c, -clip_c, clip_c)
    gates = np.concatenate([x, h], 1) @ w + b
    i, j, f, o = np.split(gates, 4, axis=1)
    if peep is not None:
        f = f + peep["w_f_diag"] * c
        i = i + peep["w_i_diag"] * c
    c_new = sigmoid(f + forget_bias) * c + sigmoid(i) * np.tanh(j)
    out = c_new * (1 + peep["w_o_diag"]) if peep is not None else c_new
    h_new = np.tanh(out) * sigmoid(o)
    if proj is not None:
        h_new = h_new @ proj
    return h_new, c_new


def test_variable_names_and_shapes(mode):
    lstm = snt.LSTM(5)
    lstm(tf.ones([2, 3]), lstm.initial_state(2))
    shapes = {v.name: v.shape.as_list() for v in lstm.get_variables()}
    assert shapes == {"lstm/w_gates:0": [8, 20], "lstm/b_gates:0": [20]}


def test_optional_variable_names(mode):
    lstm = snt.LSTM(4, use_peepholes=True, projection_size=2, use_layer_norm=True)
    lstm(tf.ones([2, 3]), lstm.initial_state(2))
    shapes = {v.name: v.shape.as_list() for v in lstm.get_variables()}
    assert shapes == {
        "lstm/w_gates:0": [5, 16],
        "lstm/b_gates:0": [16],
        "lstm/w_f_diag:0": [4],
        "lstm/w_i_diag:0": [4],
        "lstm/w_o_diag:0": [4],
        "lstm/w_h_projection:0": [4, 2],
        "lstm/layer_norm/gamma:0": [16],
        "lstm/layer_norm/beta:0": [16],
    }
    assert lstm.state_size == (tf.TensorShape([2]), tf.TensorShape([4]))
    assert lstm.output_size == tf.TensorShape([2])
    assert lstm.use_peepholes and lstm.use_layer_norm


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"forget_bias": 0.5},
        {"use_peepholes": True},
        {"projection_size": 2},
        {"hidden_clip_value": 0.1, "cell_clip_value": 0.2},
    ],
)
def test_two_steps_match_numpy(mode, kwargs):
    rng = np.random.RandomState(0)
    x = rng.randn(3, 2).astype(np.float32)
    lstm = snt.LSTM(4, **kwargs)
    state = snt.LSTMState(
        tf.constant(rng.randn(3, kwargs.get("projection_size", 4)).astype(np.float32)),
        tf.constant(rng.randn(3, 4).astype(np.float32)),
    )
    out1, state1 = lstm(tf.constant(x), state)
    out2, state2 = lstm(tf.constant(x), state1)
    values = mode.evaluate(
        {
            "out": (out1, out2),
            "states": (state, state1, state2),
            "vars": {v.name.split("/")[-1][:-2]: v for v in lstm.get_variables()},
        }
    )
    var = values["vars"]
    peep = var if kwargs.get("use_peepholes") else None
    np_kwargs = dict(
        forget_bias=kwargs.get("forget_bias", 1.0),
        peep=peep,
        proj=var.get("w_h_projection"),
        clip_h=kwargs.get("hidden_clip_value"),
        clip_c=kwargs.get("cell_clip_value"),
    )
    h, c = values["states"][0]
    for step in range(2):
        h, c = np_lstm_step(x, h, c, var["w_gates"], var["b_gates"], **np_kwargs)
        np.testing.assert_allclose(values["out"][step], h, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(values["states"][step + 1].cell, c, rtol=1e-5, atol=1e-5)
        assert isinstance(values["states"][step + 1], snt.LSTMState)


def test_layer_norm_numerics(mode):
    lstm = snt.LSTM(3, use_layer_norm=True)
    x = np.ones([2, 2], np.float32)
    out, state = lstm(tf.constant(x), lstm.initial_state(2))
    values = mode.evaluate({"out": out, "vars": {v.name: v for v in lstm.get_variables()}})
    v = values["vars"]
    pre = np.concatenate([x, np.zeros([2, 3])], 1) @ v["lstm/w_gates:0"]
    pre = (pre - pre.mean(1, keepdims=True)) / np.sqrt(pre.var(1, keepdims=True) + 1e-5)
    gates = pre * v["lstm/layer_norm/gamma:0"] + v["lstm/layer_norm/beta:0"] + v["lstm/b_gates:0"]
    i, j, f, o = np.split(gates, 4, axis=1)
    c = sigmoid(i) * np.tanh(j)
    np.testing.assert_allclose(values["out"], np.tanh(c) * sigmoid(o), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("batch", [1, 2])
def test_layer_norm_numerics_with_small_gates(mode, batch):
    # Gates with a variance near eps: TensorFlow's oneDNN graph optimizer used to
    # fuse the layer norm with eps 1e-3 for a batch of 1 (graph != eager).
    rng = np.random.RandomState(0)
    w = (rng.randn(5, 12) * 0.003).astype(np.float32)
    lstm = snt.LSTM(
        3,
        use_layer_norm=True,
        initializers={
            "w_gates": tf.compat.v1.constant_initializer(w),
            "b_gates": tf.compat.v1.zeros_initializer(),
        },
    )
    x = rng.randn(batch, 2).astype(np.float32)
    h = rng.randn(batch, 3).astype(np.float32)
    out, _ = lstm(tf.constant(x), snt.LSTMState(tf.constant(h), tf.zeros([batch, 3])))
    pre = np.concatenate([x, h], 1) @ w
    gates = (pre - pre.mean(1, keepdims=True)) / np.sqrt(pre.var(1, keepdims=True) + 1e-5)
    i, j, f, o = np.split(gates, 4, axis=1)  # gamma 1, beta 0, b_gates 0
    expected = np.tanh(sigmoid(i) * np.tanh(j)) * sigmoid(o)
    np.testing.assert_allclose(mode.evaluate(out), expected, rtol=1e-4, atol=1e-5)


def test_initializers_and_regularizers(mode):
    lstm = snt.LSTM(
        2,
        initializers={
            "w_gates": tf.compat.v1.ones_initializer(),
            "b_gates": tf.zeros_initializer(),
        },
        regularizers={"w_gates": lambda w: tf.reduce_sum(w)},
    )
    lstm(tf.ones([1, 1]), lstm.initial_state(1))
    w = mode.evaluate(lstm.get_variables()[1])
    np.testing.assert_array_equal(w, np.ones([3, 8]))
    assert len(lstm.get_regularization_losses()) == 1


def test_possible_initializer_keys():
    assert snt.LSTM.get_possible_initializer_keys() == {"w_gates", "b_gates"}
    assert snt.LSTM.get_possible_initializer_keys(use_peepholes=True, use_projection=True) == {
        "w_gates",
        "b_gates",
        "w_f_diag",
        "w_i_diag",
        "w_o_diag",
        "w_h_projection",
    }


def test_unknown_initializer_key_names_module(eager):
    with pytest.raises(KeyError, match=r"lstm.*w_f_diag"):
        snt.LSTM(2, initializers={"w_f_diag": tf.zeros_initializer()})


def test_negative_clip_value(eager):
    with pytest.raises(ValueError, match=r"lstm: cell_clip_value must be nonnegative; got -1"):
        snt.LSTM(2, cell_clip_value=-1)


def test_wrong_input_rank(mode):
    lstm = snt.LSTM(2)
    with pytest.raises(
        snt.IncompatibleShapeError, match=r"lstm: LSTM expects inputs of rank 2.*\(2, 3, 4\)"
    ):
        lstm(tf.ones([2, 3, 4]), lstm.initial_state(2))


def test_input_size_change(mode):
    lstm = snt.LSTM(2)
    lstm(tf.ones([2, 3]), lstm.initial_state(2))
    with pytest.raises(snt.IncompatibleShapeError, match=r"lstm: input size must stay 3.*got 5"):
        lstm(tf.ones([2, 5]), lstm.initial_state(2))


def test_wrong_state_structure(mode):
    lstm = snt.LSTM(2)
    with pytest.raises(
        ValueError, match=r"lstm: prev_state must be LSTMState\(hidden, cell\); got \w*Tensor"
    ):
        lstm(tf.ones([2, 3]), tf.zeros([2, 2]))


def test_gradients_reach_every_variable(mode):
    lstm = snt.LSTM(3, use_peepholes=True, projection_size=2, use_layer_norm=True)
    x = tf.ones([2, 4])
    if mode.eager:
        with tf.GradientTape() as tape:
            out, state = lstm(x, lstm.initial_state(2, trainable=True))
            out, _ = lstm(x, state)
            loss = tf.reduce_sum(out)
        grads = tape.gradient(loss, lstm.trainable_variables)
    else:
        out, state = lstm(x, lstm.initial_state(2, trainable=True))
        out, _ = lstm(x, state)
        grads = tf.gradients(tf.reduce_sum(out), lstm.trainable_variables)
    assert len(lstm.trainable_variables) == 10
    assert all(g is not None for g in grads)
