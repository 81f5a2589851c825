"""A bare ``tf.Module`` MLP as a subject for ``bench.py``: the floor a module system can reach.

Dense layers written directly on ``tf.Module`` (no name scopes, no variable
scopes, no bookkeeping), variables made on the first call from the input's
size, as a module must. Only the MLP workloads apply; the others say so.
"""

from __future__ import annotations

import math

import _subject
import tensorflow as tf
from _workloads import NotApplicable


class Dense(tf.Module):
    def __init__(self, size: int, activation=None) -> None:
        super().__init__()
        self.size, self.activation = size, activation
        self.w = self.b = None

    def __call__(self, x):
        if self.w is None:
            fan_in = x.shape[-1]
            init = tf.random.truncated_normal([fan_in, self.size], stddev=1 / math.sqrt(fan_in))
            self.w = tf.Variable(init, name="w")
            self.b = tf.Variable(tf.zeros([self.size]), name="b")
        y = tf.matmul(x, self.w) + self.b
        return self.activation(y) if self.activation else y


class MLP(tf.Module):
    def __init__(self, sizes) -> None:
        super().__init__()
        self.layers = [Dense(s, tf.nn.relu) for s in sizes[:-1]] + [Dense(sizes[-1])]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class TfModuleSubject:
    def linear(self, size):
        return Dense(size)

    def mlp(self, sizes):
        return MLP(sizes)

    def variables(self, module):
        return module.trainable_variables

    def __getattr__(self, name):
        def not_written(*args, **kwargs):
            raise NotApplicable("only the MLP workloads")

        return not_written


def versions() -> dict[str, str]:
    return {"tensorflow": tf.__version__}


if __name__ == "__main__":
    _subject.main("tf_module", TfModuleSubject, versions)
