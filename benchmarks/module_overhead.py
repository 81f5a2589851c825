"""Module-system overhead: this project's modules against hand-written TensorFlow.

The project's subject for ``bench.py`` (the workloads are in ``_workloads.py``).
Run alone: ``python benchmarks/module_overhead.py [--reps N]`` prints its table.
Numbers, not asserts: the machines are shared and noisy.
"""

from __future__ import annotations

import _subject
import tensorflow as tf

import sonnet as snt

v1 = tf.compat.v1


class UserLinear(snt.AbstractModule):
    """A user module written Sonnet 1 style: tf.compat.v1.get_variable in _build."""

    def __init__(self, size: int, name: str = "user_linear") -> None:
        super().__init__(name=name)
        self._size = size

    def _build(self, x):
        w = v1.get_variable("w", [x.shape[-1], self._size])
        b = v1.get_variable("b", [self._size], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


class VideoNet(snt.AbstractModule):
    """A large Sonnet 1 model: Conv3D → BatchNorm → ReLU units, made in ``_build``."""

    def __init__(self, units: int, channels: int, kernel: int, name: str = "video_net") -> None:
        super().__init__(name=name)
        self._units, self._channels, self._kernel = units, channels, kernel

    def _build(self, x, is_training):
        for i in range(self._units):
            x = snt.Conv3D(self._channels, self._kernel, use_bias=False, name=f"conv_3d_{i}")(x)
            bn = snt.BatchNorm(name=f"batch_norm_{i}")
            x = tf.nn.relu(bn(x, is_training=is_training, test_local_stats=False))
        return x


class ProjectSubject:
    """``snt.Linear``, ``snt.nets.MLP``, ``snt.nets.ConvNet2D``, ``snt.LSTM``, ``snt.DeepRNN``."""

    def linear(self, size):
        return snt.Linear(size)

    def mlp(self, sizes):
        return snt.nets.MLP(sizes)

    def variables(self, module):
        return module.trainable_variables

    def lstm(self, size, batch):
        core = snt.LSTM(size)
        return core, core.zero_state(batch)

    def user_linear(self, size):
        return UserLinear(size)

    def graph_mlp(self, sizes):
        return snt.nets.MLP(sizes)

    def graph_deep_lstm(self, size, layers, batch):
        core = snt.DeepRNN([snt.LSTM(size) for _ in range(layers)], skip_connections=False)
        return core, core.zero_state(batch)

    def convnet(self, channels, kernel):
        return snt.nets.ConvNet2D(channels, [kernel], [1], [snt.SAME])

    graph_convnet = convnet

    def graph_conv_bn(self, units, channels, kernel):
        return VideoNet(units, channels, kernel)

    def unrolled_deep_lstm(self, size, layers, batch):
        core = snt.DeepRNN([snt.LSTM(size) for _ in range(layers)], skip_connections=False)

        def forward(x):
            return snt.dynamic_unroll(core, x, core.initial_state(batch))[0]

        return forward, core


def versions() -> dict[str, str]:
    return {"tensorflow": tf.__version__, "snt-core": snt.__version__}


if __name__ == "__main__":
    _subject.main("project", ProjectSubject, versions)
