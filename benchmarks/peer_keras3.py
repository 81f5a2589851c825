"""Keras 3 (the Keras that ships with TensorFlow) as a subject for ``bench.py``.

``keras.layers.Dense``, a ``keras.Sequential`` of them, ``keras.layers.LSTMCell``
(stacked with ``keras.layers.StackedRNNCells`` under ``dynamic_rnn``, or in a
``keras.layers.RNN``), ``keras.layers.Conv2D``.
"""

from __future__ import annotations

import _subject
import keras
import tensorflow as tf
from _workloads import NotApplicable


class KerasSubject:
    def linear(self, size):
        return keras.layers.Dense(size)

    def mlp(self, sizes):
        layers = [keras.layers.Dense(s, activation="relu") for s in sizes[:-1]]
        return keras.Sequential([*layers, keras.layers.Dense(sizes[-1])])

    def variables(self, module):
        return module.trainable_variables

    def lstm(self, size, batch):
        cell = keras.layers.LSTMCell(size)
        return cell, [tf.zeros([batch, size]), tf.zeros([batch, size])]

    def user_linear(self, size):
        raise NotApplicable("Sonnet 1 API")

    def graph_mlp(self, sizes):
        return self.mlp(sizes)

    def graph_deep_lstm(self, size, layers, batch):
        cell = keras.layers.StackedRNNCells([keras.layers.LSTMCell(size) for _ in range(layers)])
        state = [[tf.zeros([batch, size]), tf.zeros([batch, size])] for _ in range(layers)]
        return cell, state

    def convnet(self, channels, kernel):
        layers = [
            keras.layers.Conv2D(c, kernel, padding="same", activation="relu") for c in channels[:-1]
        ]
        return keras.Sequential(
            [*layers, keras.layers.Conv2D(channels[-1], kernel, padding="same")]
        )

    graph_convnet = convnet

    def graph_conv_bn(self, units, channels, kernel):
        layers = []
        for _ in range(units):
            layers += [
                keras.layers.Conv3D(channels, kernel, padding="same", use_bias=False),
                keras.layers.BatchNormalization(scale=False),
                keras.layers.ReLU(),
            ]
        net = keras.Sequential(layers)
        return lambda x, is_training: net(x, training=is_training)

    def unrolled_deep_lstm(self, size, layers, batch):
        cell = keras.layers.StackedRNNCells([keras.layers.LSTMCell(size) for _ in range(layers)])
        rnn = keras.layers.RNN(cell, return_sequences=True)  # batch-major: transpose around it

        def forward(x):
            return tf.transpose(rnn(tf.transpose(x, [1, 0, 2])), [1, 0, 2])

        return forward, rnn


def versions() -> dict[str, str]:
    return {"tensorflow": tf.__version__, "keras": keras.__version__}


if __name__ == "__main__":
    _subject.main("keras3", KerasSubject, versions)
