"""Conv1DLSTM / Conv2DLSTM: shapes, variable names, numerics of the gate math."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_conv2d_lstm_variables_and_shapes(mode):
    core = snt.Conv2DLSTM(input_shape=(5, 5, 3), output_channels=2, kernel_shape=3)
    out, (hidden, cell) = core(tf.ones([2, 5, 5, 3]), core.initial_state(2))
    shapes = {v.name: v.shape.as_list() for v in core.get_all_variables()}
    assert shapes == {
        "conv_2d_lstm/conv/w:0": [3, 3, 3, 8],
        "conv_2d_lstm/conv/b:0": [8],
        "conv_2d_lstm/conv_1/w:0": [3, 3, 2, 8],
        "conv_2d_lstm/conv_1/b:0": [8],
    }
    assert core.state_size == (tf.TensorShape([5, 5, 2]),) * 2
    assert mode.evaluate(out).shape == (2, 5, 5, 2)


def test_conv1d_lstm_numerics_and_no_legacy_bias(mode):
    core = snt.Conv1DLSTM(
        input_shape=(4, 1),
        output_channels=1,
        kernel_shape=1,
        legacy_bias_behaviour=False,
        forget_bias=0.5,
    )
    x = np.random.RandomState(0).randn(2, 4, 1).astype(np.float32)
    state = (tf.zeros([2, 4, 1]), tf.ones([2, 4, 1]))
    out, (_, cell) = core(tf.constant(x), state)
    values = mode.evaluate(
        {"out": out, "cell": cell, "v": {v.name: v for v in core.get_all_variables()}}
    )
    v = values["v"]
    assert sorted(v) == [
        "conv_1d_lstm/conv/b:0",
        "conv_1d_lstm/conv/w:0",
        "conv_1d_lstm/conv_1/w:0",
    ]
    gates = x @ v["conv_1d_lstm/conv/w:0"][0] + v["conv_1d_lstm/conv/b:0"]
    i, j, f, o = np.split(gates, 4, axis=2)
    c = sigmoid(f + 0.5) * 1.0 + sigmoid(i) * np.tanh(j)
    np.testing.assert_allclose(values["cell"], c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(values["out"], np.tanh(c) * sigmoid(o), rtol=1e-5, atol=1e-6)


def test_conv_lstm_with_dynamic_rnn(mode):
    core = snt.Conv1DLSTM(input_shape=(4, 2), output_channels=3, kernel_shape=2)
    out, _ = tf.compat.v1.nn.dynamic_rnn(core, tf.ones([2, 5, 4, 2]), dtype=tf.float32)
    assert mode.evaluate(out).shape == (2, 5, 4, 3)


def test_conv_lstm_errors(mode):
    with pytest.raises(ValueError, match=r"conv_2d_lstm: input_shape must have 3 dimensions"):
        snt.Conv2DLSTM(input_shape=(5, 3), output_channels=2, kernel_shape=3)
    core = snt.Conv1DLSTM(input_shape=(4, 2), output_channels=3, kernel_shape=2, name="c")
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"c: inputs must have shape \[batch\] \+ \[4\] \+ \[channels\] \(input_shape",
    ):
        core(tf.ones([2, 5, 2]), core.initial_state(2))
    with pytest.raises(snt.IncompatibleShapeError, match=r"c: inputs must have shape"):
        core(tf.ones([2, 4]), core.initial_state(2))


def test_sequence_stride_matches_int_stride(mode):
    as_int = snt.Conv2DLSTM(input_shape=[8, 8, 2], output_channels=4, kernel_shape=3, stride=2)
    as_list = snt.Conv2DLSTM(
        input_shape=[8, 8, 2], output_channels=4, kernel_shape=3, stride=[2, 2], name="listed"
    )
    assert as_list.output_size == as_int.output_size


def test_bad_stride_names_the_module(mode):
    with pytest.raises(TypeError, match="bad_stride: stride must be an int or a sequence of 2"):
        snt.Conv2DLSTM(
            input_shape=[8, 8, 2], output_channels=4, kernel_shape=3, stride=[2], name="bad_stride"
        )
