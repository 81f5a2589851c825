"""A 2-layer LSTM unrolled with a ``tf.while_loop`` inside ``tf.function``: a training step.

The subject provides ``unrolled_deep_lstm(size, layers, batch)`` returning
``(forward, module)``: ``forward(x)`` maps time-major inputs ``[steps, batch,
size]`` to the output sequence (for this project: ``snt.dynamic_unroll`` over a
``snt.DeepRNN`` of ``snt.LSTM``), ``module`` holds the variables. The
reference is ``_hand.while_unroll`` over ``_hand.deep_lstm_step`` with
``tf.Variable``\\ s.
"""

from __future__ import annotations

import _hand
import tensorflow as tf
from _harness import compare
from _workload_base import Config, train_step


def function_lstm_unroll_step(subject, cfg: Config) -> dict:
    x = tf.random.stateless_normal([cfg.steps, cfg.batch, cfg.size], seed=[3, 4])
    y = x * 0.5
    params = [
        _hand.variables(2 * cfg.size, [4 * cfg.size], seed=k)[0] for k in range(cfg.rnn_layers)
    ]
    flat = [v for pair in params for v in pair]
    zeros = tf.zeros([cfg.batch, cfg.size])
    state = tuple((zeros, zeros) for _ in range(cfg.rnn_layers))

    def hand_step(inputs, state):
        return _hand.deep_lstm_step(params, inputs, state)

    def hand_forward(inputs):
        return _hand.while_unroll(hand_step, inputs, state)[0]

    forward, module = subject.unrolled_deep_lstm(cfg.size, cfg.rnn_layers, cfg.batch)
    hand = train_step(hand_forward, lambda: flat, x, y)
    mine = train_step(forward, lambda: subject.variables(module), x, y)
    return compare(hand, mine, cfg.reps, cfg.calls(4))


WORKLOADS = {"function_lstm_unroll_step": function_lstm_unroll_step}
