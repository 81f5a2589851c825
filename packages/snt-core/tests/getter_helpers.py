"""Helpers for the custom-getter and gradient-op tests (snt-core only, no plugins)."""

import numpy as np
import tensorflow as tf

import sonnet as snt


class FastAffine(snt.AbstractModule):
    """x @ w + b with fixed initial values; uses snt.get_variable (eager fast path)."""

    def __init__(self, output_size=2, custom_getter=None, name="fast_affine"):
        super().__init__(custom_getter=custom_getter, name=name)
        self._output_size = output_size

    def _build(self, x):
        size = int(x.shape[-1])
        w_init = np.arange(size * self._output_size, dtype=np.float32).reshape(size, -1) / 10
        w = snt.get_variable(
            "w", [size, self._output_size], initializer=tf.constant_initializer(w_init)
        )
        b = snt.get_variable("b", [self._output_size], initializer=tf.ones_initializer())
        return tf.matmul(x, w) + b


def input_batch():
    return tf.constant([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])


def with_gradients(mode, fn, x):
    """Runs ``y, variables = fn(x)``; returns ``y`` and d(sum y)/d[x, *variables].

    Uses ``tf.gradients`` in graph mode and a ``GradientTape`` eagerly.
    Unconnected sources give ``None``.
    """
    x = tf.convert_to_tensor(x)
    if mode.eager:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y, variables = fn(x)
            total = tf.reduce_sum(y)
        return y, tape.gradient(total, [x, *variables])
    y, variables = fn(x)
    return y, tf.gradients(tf.reduce_sum(y), [x, *variables])
