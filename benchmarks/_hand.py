"""Hand-written TensorFlow: the reference every subject is timed against.

Eager and ``tf.function``: ``tf.Variable`` plus ops. Graph mode:
``tf.compat.v1.get_variable`` inside ``tf.compat.v1.make_template``. The maths
matches Sonnet 1 (an LSTM is one matmul over ``concat([x, h])``, forget bias 1).
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


Params = list[tuple[tf.Variable, tf.Variable]]


def variables(fan_in: int, sizes: list[int], seed: int = 0) -> Params:
    """``(w, b)`` per layer, ``w`` scaled by ``1/sqrt(fan_in)``."""
    rng = np.random.default_rng(seed)
    params = []
    for size in sizes:
        w = rng.normal(scale=1 / math.sqrt(fan_in), size=(fan_in, size)).astype(np.float32)
        params.append((tf.Variable(w), tf.Variable(np.zeros(size, np.float32))))
        fan_in = size
    return params


def mlp(params: Params, x: tf.Tensor) -> tf.Tensor:
    for i, (w, b) in enumerate(params):
        x = tf.matmul(x, w) + b
        if i < len(params) - 1:
            x = tf.nn.relu(x)
    return x


def lstm_step(w: tf.Tensor, b: tf.Tensor, x: tf.Tensor, state: tuple) -> tuple:
    """One LSTM step; ``state`` is ``(hidden, cell)``."""
    hidden, cell = state
    gates = tf.matmul(tf.concat([x, hidden], axis=1), w) + b
    i, j, f, o = tf.split(gates, 4, axis=1)
    cell = tf.sigmoid(f + 1.0) * cell + tf.sigmoid(i) * tf.tanh(j)
    hidden = tf.tanh(cell) * tf.sigmoid(o)
    return hidden, (hidden, cell)


def _get_linear(fan_in: int, size: int) -> tuple[tf.Variable, tf.Variable]:
    init = v1.truncated_normal_initializer(stddev=1 / math.sqrt(fan_in))
    w = v1.get_variable("w", [fan_in, size], initializer=init)
    b = v1.get_variable("b", [size], initializer=tf.zeros_initializer())
    return w, b


def template_mlp(sizes: list[int]):
    """A graph-mode MLP: connect it any number of times, it shares its variables."""

    def build(x):
        fan_in = x.shape[-1]
        for i, size in enumerate(sizes):
            with v1.variable_scope(f"linear_{i}"):
                w, b = _get_linear(fan_in, size)
            x = tf.matmul(x, w) + b
            if i < len(sizes) - 1:
                x = tf.nn.relu(x)
            fan_in = size
        return x

    return v1.make_template("mlp", build)


class TemplateDeepLSTM:
    """A stack of LSTMs as a ``dynamic_rnn`` cell: state/output sizes plus a template."""

    def __init__(self, size: int, layers: int) -> None:
        self.state_size = tuple((size, size) for _ in range(layers))
        self.output_size = size
        self._size = size
        self._step = v1.make_template("deep_lstm", self._build)

    def _build(self, x, state):
        next_state = []
        for k, layer_state in enumerate(state):
            with v1.variable_scope(f"lstm_{k}"):
                w, b = _get_linear(x.shape[-1] + self._size, 4 * self._size)
            x, layer_state = lstm_step(w, b, x, layer_state)
            next_state.append(layer_state)
        return x, tuple(next_state)

    def zero_state(self, batch_size, dtype=tf.float32):
        return tuple(
            (tf.zeros([batch_size, h], dtype), tf.zeros([batch_size, c], dtype))
            for h, c in self.state_size
        )

    def __call__(self, x, state):
        return self._step(x, state)
