"""A module first connected inside tf.compat.v1.nn.dynamic_rnn reads its variables once.

dynamic_rnn sets a caching device on its variable scope, so variables created
in the loop are read once outside it. A module's scope exists since its
construction; it borrows the loop's caching device for its first connection,
giving the same graph as hand-written ``get_variable`` code in the loop.
"""

import collections

import numpy as np
import tensorflow as tf

import sonnet as snt

v1 = tf.compat.v1
HIDDEN = 3


def step(x, state):
    w = v1.get_variable("w", [x.shape[-1] + HIDDEN, HIDDEN])
    out = tf.tanh(tf.matmul(tf.concat([x, state], axis=1), w))
    return out, out


class Cell:
    """A duck-typed RNN cell around a callable."""

    state_size = HIDDEN
    output_size = HIDDEN

    def __init__(self, fn):
        self._fn = fn

    def zero_state(self, batch_size, dtype):
        return tf.zeros([batch_size, HIDDEN], dtype)

    def __call__(self, x, state):
        return self._fn(x, state)


def _unroll(fn, inputs):
    return v1.nn.dynamic_rnn(Cell(fn), inputs, dtype=tf.float32)[0]


def _inputs():
    return tf.reshape(tf.linspace(-1.0, 1.0, 2 * 4 * 2), [2, 4, 2])


def _loop_ops(graph):
    return collections.Counter(
        op.type for op in graph.get_operations() if op.type in ("While", "StatelessWhile")
    )


def test_module_in_dynamic_rnn_builds_the_hand_written_graph():
    graphs = {}
    for kind, fn in (("hand", v1.make_template("step", step)), ("module", None)):
        with tf.Graph().as_default() as graph:
            _unroll(fn or snt.Module(step, name="step"), _inputs())
        graphs[kind] = graph
    # Variables read once outside the loop: the loop body holds no variable read.
    assert _loop_ops(graphs["module"]) == {"StatelessWhile": 1}
    assert _loop_ops(graphs["module"]) == _loop_ops(graphs["hand"])
    assert len(graphs["module"].get_operations()) == len(graphs["hand"].get_operations())


def test_caching_device_is_lent_for_the_first_connection_only():
    with tf.Graph().as_default():
        module = snt.Module(step, name="step")
        _unroll(module, _inputs())
        assert module.variable_scope.caching_device is None
        with v1.variable_scope("outer", caching_device="/cpu:0"):
            module(tf.ones([2, 2]), tf.zeros([2, HIDDEN]))  # reconnection: nothing to lend
        assert module.variable_scope.caching_device is None


def test_outputs_match_numpy_in_both_modes(mode):
    module = snt.Module(step, name="step")
    outputs = _unroll(module, _inputs())
    mode.initialize()
    (w,) = mode.evaluate(module.get_variables())
    x, got = mode.evaluate([_inputs(), outputs])
    state = np.zeros([2, HIDDEN], np.float32)
    for t in range(x.shape[1]):
        state = np.tanh(np.concatenate([x[:, t], state], axis=1) @ w)
        np.testing.assert_allclose(got[:, t], state, rtol=1e-5, atol=1e-6)
