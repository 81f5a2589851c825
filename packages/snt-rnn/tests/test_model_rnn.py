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
    with pytest.raises(
        TypeError, match=r"model_rnn: model must be callable and have an output_size"
    ):
        snt.ModelRNN(tf.nn.relu)
