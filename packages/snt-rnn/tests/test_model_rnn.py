"""ModelRNN: the state is the model applied to the previous state."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def test_model_rnn_unrolls_model(mode):
    lin = snt.Linear(3, initializers={"w": tf.compat.v1.ones_initializer()})
    core = snt.ModelRNN(lin)
    out, final = tf.compat.v1.nn.dynamic_rnn(
        core, tf.zeros([2, 3, 1]), initial_state=tf.ones([2, 3]), time_major=False
    )
    values = mode.evaluate((out, final))
    np.testing.assert_allclose(values[0][:, 0], np.full([2, 3], 3.0))
    np.testing.assert_allclose(values[1], np.full([2, 3], 27.0))
    assert core.state_size == core.output_size == tf.TensorShape([3])


def test_model_rnn_rejects_model_without_output_size(eager):
    # Sonnet 1's classes: AttributeError without output_size, TypeError if not callable.
    with pytest.raises(
        AttributeError, match=r"model_rnn: Model should have an output_size attribute"
    ):
        snt.ModelRNN(tf.nn.relu)
    with pytest.raises(TypeError, match=r"model_rnn_1: Model must be callable"):
        snt.ModelRNN(np.array([42]))
    with pytest.raises(TypeError, match=r"model_rnn_2: Model should not be an RNNCore"):
        snt.ModelRNN(snt.GRU(2))
