"""dm-sonnet 2.0.2 as a subject for ``bench.py``.

dm-sonnet installs an import package named ``sonnet`` too, so this script runs
only in its own environment (``bench.py --sonnet2-python``; ``nox -s bench``
creates it under ``.nox/``), never next to this project's packages.
"""

from __future__ import annotations

import importlib.metadata

import _subject
import tensorflow as tf
from _workloads import NotApplicable

import sonnet as snt

GRAPH_MODE = "eager/tf.function only (asserts tf.executing_eagerly)"


class Sonnet2Subject:
    def __init__(self) -> None:
        if not snt.__version__.startswith("2."):
            raise RuntimeError(f"expected dm-sonnet 2, imported sonnet {snt.__version__}")

    def linear(self, size):
        return snt.Linear(size)

    def mlp(self, sizes):
        return snt.nets.MLP(sizes)

    def variables(self, module):
        return module.trainable_variables

    def lstm(self, size, batch):
        core = snt.LSTM(size)
        return core, core.initial_state(batch)

    def user_linear(self, size):
        raise NotApplicable("Sonnet 1 API")

    def graph_mlp(self, sizes):
        raise NotApplicable(GRAPH_MODE)

    def graph_deep_lstm(self, size, layers, batch):
        raise NotApplicable(GRAPH_MODE)

    def convnet(self, channels, kernel):
        layers = []
        for c in channels[:-1]:
            layers += [snt.Conv2D(c, kernel), tf.nn.relu]
        return snt.Sequential([*layers, snt.Conv2D(channels[-1], kernel)])

    def graph_convnet(self, channels, kernel):
        raise NotApplicable(GRAPH_MODE)

    def graph_conv_bn(self, units, channels, kernel):
        raise NotApplicable(GRAPH_MODE)

    def unrolled_deep_lstm(self, size, layers, batch):
        core = snt.DeepRNN([snt.LSTM(size) for _ in range(layers)])

        def forward(x):
            return snt.dynamic_unroll(core, x, core.initial_state(batch))[0]

        return forward, core


def versions() -> dict[str, str]:
    return {"tensorflow": tf.__version__, "dm-sonnet": importlib.metadata.version("dm-sonnet")}


if __name__ == "__main__":
    _subject.main("sonnet2", Sonnet2Subject, versions)
