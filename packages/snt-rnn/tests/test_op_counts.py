"""Graph size: one step of each recurrent core builds the ops Sonnet 1 built (issue 22).

A core stepped once on placeholders (input and state) in a fresh ``tf.Graph``
must hold the same ops, type by type, as a hand-written TF1 step in another
fresh graph: ``tf.compat.v1.get_variable`` plus the maths Sonnet 1.36 did
(one matmul over ``concat([x, h])`` for the LSTM, forget bias 1; the GRU's
nine variables with ``get_variable``'s default initializer; the VanillaRNN's
two Linear layers). Op counts are graph facts, so these tests build graphs
only; each core's values are tested, graph and eager, in its own test file.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import tensorflow as tf

import sonnet as snt
from sonnet.mode_testing import assert_same_op_types

v1 = tf.compat.v1
BATCH, INPUT, HIDDEN = 2, 3, 4


def placeholder(*shape: int) -> tf.Tensor:
    return v1.placeholder(tf.float32, shape)


def truncated(fan_in: int):
    return v1.truncated_normal_initializer(stddev=1 / math.sqrt(fan_in))


def step(core_fn: Callable[[], object], state: Callable[[], object]) -> Callable[[], object]:
    return lambda: core_fn()(placeholder(BATCH, INPUT), state())


# -- references --------------------------------------------------------------------


def ref_lstm():
    x, h, c = placeholder(BATCH, INPUT), placeholder(BATCH, HIDDEN), placeholder(BATCH, HIDDEN)
    with v1.variable_scope("lstm"):
        init = truncated(INPUT + HIDDEN)
        w = v1.get_variable("w_gates", [INPUT + HIDDEN, 4 * HIDDEN], initializer=init)
        b = v1.get_variable("b_gates", [4 * HIDDEN], initializer=init)
        gates = tf.matmul(tf.concat([x, h], 1), w) + b
        i, j, f, o = tf.split(gates, 4, axis=1)
        cell = tf.sigmoid(f + 1.0) * c + tf.sigmoid(i) * tf.tanh(j)
        return tf.tanh(cell) * tf.sigmoid(o), cell


def ref_gru():
    x, h = placeholder(BATCH, INPUT), placeholder(BATCH, HIDDEN)
    with v1.variable_scope("gru"):

        def gate(name):
            w = v1.get_variable(f"w{name}", [INPUT, HIDDEN])
            u = v1.get_variable(f"u{name}", [HIDDEN, HIDDEN])
            b = v1.get_variable(f"b{name}", [HIDDEN])
            return w, u, b

        (wz, uz, bz), (wr, ur, br), (wh, uh, bh) = gate("z"), gate("r"), gate("h")
        z = tf.sigmoid(tf.matmul(x, wz) + tf.matmul(h, uz) + bz)
        r = tf.sigmoid(tf.matmul(x, wr) + tf.matmul(h, ur) + br)
        h_tilde = tf.tanh(tf.matmul(x, wh) + tf.matmul(r * h, uh) + bh)
        return (1 - z) * h + z * h_tilde


def ref_vanilla_rnn():
    x, h = placeholder(BATCH, INPUT), placeholder(BATCH, HIDDEN)

    def linear(inputs, scope):
        with v1.variable_scope(scope):
            fan_in = inputs.shape[-1]
            w = v1.get_variable("w", [fan_in, HIDDEN], initializer=truncated(fan_in))
            b = v1.get_variable("b", [HIDDEN], initializer=tf.zeros_initializer())
            return tf.matmul(inputs, w) + b

    with v1.variable_scope("vanilla_rnn"):
        return tf.tanh(linear(x, "in_to_hidden") + linear(h, "hidden_to_hidden"))


# -- tests ---------------------------------------------------------------------------


def test_lstm_step():
    state = lambda: snt.LSTMState(placeholder(BATCH, HIDDEN), placeholder(BATCH, HIDDEN))  # noqa: E731
    assert_same_op_types(step(lambda: snt.LSTM(HIDDEN), state), ref_lstm)


def test_gru_step():
    assert_same_op_types(step(lambda: snt.GRU(HIDDEN), lambda: placeholder(BATCH, HIDDEN)), ref_gru)


def test_vanilla_rnn_step():
    assert_same_op_types(
        step(lambda: snt.VanillaRNN(HIDDEN), lambda: placeholder(BATCH, HIDDEN)), ref_vanilla_rnn
    )


@pytest.mark.parametrize("steps", [2, 3])
def test_lstm_later_steps_add_only_the_step_maths(steps):
    """Connecting a core again reuses its variables: each step adds the same ops."""

    def module():
        core = snt.LSTM(HIDDEN)
        state = snt.LSTMState(placeholder(BATCH, HIDDEN), placeholder(BATCH, HIDDEN))
        for _ in range(steps):
            _, state = core(placeholder(BATCH, INPUT), state)

    def ref():
        template = v1.make_template("lstm", lambda x, h, c: _lstm_body(x, h, c))
        h, c = placeholder(BATCH, HIDDEN), placeholder(BATCH, HIDDEN)
        for _ in range(steps):
            h, c = template(placeholder(BATCH, INPUT), h, c)

    assert_same_op_types(module, ref)


def _lstm_body(x, h, c):
    init = truncated(INPUT + HIDDEN)
    w = v1.get_variable("w_gates", [INPUT + HIDDEN, 4 * HIDDEN], initializer=init)
    b = v1.get_variable("b_gates", [4 * HIDDEN], initializer=init)
    i, j, f, o = tf.split(tf.matmul(tf.concat([x, h], 1), w) + b, 4, axis=1)
    cell = tf.sigmoid(f + 1.0) * c + tf.sigmoid(i) * tf.tanh(j)
    return tf.tanh(cell) * tf.sigmoid(o), cell
