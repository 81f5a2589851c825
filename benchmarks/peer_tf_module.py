"""Bare ``tf.Module`` as a subject for ``bench.py``: what users write without a library.

Modules written the TF2 way: variables created on the first call (the input size
is known then), ``@tf.Module.with_name_scope`` on ``__call__``. Only the eager and
``tf.function`` MLP/LSTM/Linear workloads; the rest are not written for it.
"""

from __future__ import annotations

import math

import _subject
import tensorflow as tf
from _workloads import NotApplicable

NOT_WRITTEN = "not written for the tf.Module peer"


class Linear(tf.Module):
    def __init__(self, size: int, name: str | None = None) -> None:
        super().__init__(name=name)
        self.size = size
        self.w: tf.Variable | None = None
        self.b: tf.Variable | None = None

    @tf.Module.with_name_scope
    def __call__(self, x: tf.Tensor) -> tf.Tensor:
        if self.w is None:
            fan_in = x.shape[-1]
            init = tf.random.truncated_normal([fan_in, self.size], stddev=1 / math.sqrt(fan_in))
            self.w = tf.Variable(init, name="w")
            self.b = tf.Variable(tf.zeros([self.size]), name="b")
        return tf.matmul(x, self.w) + self.b


class MLP(tf.Module):
    def __init__(self, sizes: list[int], name: str | None = None) -> None:
        super().__init__(name=name)
        with self.name_scope:
            self.layers = [Linear(s) for s in sizes]

    @tf.Module.with_name_scope
    def __call__(self, x: tf.Tensor) -> tf.Tensor:
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < last:
                x = tf.nn.relu(x)
        return x


class LSTM(tf.Module):
    def __init__(self, size: int, name: str | None = None) -> None:
        super().__init__(name=name)
        self.size = size
        self.w: tf.Variable | None = None
        self.b: tf.Variable | None = None

    @tf.Module.with_name_scope
    def __call__(self, x: tf.Tensor, state: tuple) -> tuple:
        hidden, cell = state
        if self.w is None:
            fan_in = x.shape[-1] + self.size
            stddev = 1 / math.sqrt(fan_in)
            self.w = tf.Variable(tf.random.truncated_normal([fan_in, 4 * self.size], stddev=stddev))
            self.b = tf.Variable(tf.random.truncated_normal([4 * self.size], stddev=stddev))
        gates = tf.matmul(tf.concat([x, hidden], axis=1), self.w) + self.b
        i, j, f, o = tf.split(gates, 4, axis=1)
        cell = tf.sigmoid(f + 1.0) * cell + tf.sigmoid(i) * tf.tanh(j)
        hidden = tf.tanh(cell) * tf.sigmoid(o)
        return hidden, (hidden, cell)


class TfModuleSubject:
    def linear(self, size):
        return Linear(size)

    def mlp(self, sizes):
        return MLP(sizes)

    def variables(self, module):
        return module.trainable_variables

    def lstm(self, size, batch):
        zeros = tf.zeros([batch, size])
        return LSTM(size), (zeros, zeros)

    def user_linear(self, size):
        raise NotApplicable("Sonnet 1 API")

    def graph_mlp(self, sizes):
        raise NotApplicable(NOT_WRITTEN)

    def graph_deep_lstm(self, size, layers, batch):
        raise NotApplicable(NOT_WRITTEN)

    def convnet(self, channels, kernel):
        raise NotApplicable(NOT_WRITTEN)

    graph_convnet = convnet

    def unrolled_deep_lstm(self, size, layers, batch):
        raise NotApplicable(NOT_WRITTEN)

    def __getattr__(self, name):  # any other workload's factory (e.g. the build rows)
        def not_written(*args, **kwargs):
            raise NotApplicable(NOT_WRITTEN)

        return not_written


def versions() -> dict[str, str]:
    return {"tensorflow": tf.__version__}


if __name__ == "__main__":
    _subject.main("tf_module", TfModuleSubject, versions)
