"""The 3-layer ConvNet2D workloads (3×3 kernels, SAME padding, ReLU between layers).

The subject provides ``convnet(channels, kernel)`` (eager and ``tf.function``)
and ``graph_convnet(channels, kernel)`` (``tf.compat.v1`` graph mode); the
hand-written reference is ``_hand.convnet`` / ``_hand.template_convnet``.
"""

from __future__ import annotations

import _hand
import tensorflow as tf
from _harness import compare
from _workload_base import (
    Config,
    compare_graph_builds,
    compare_session_steps,
    connected_graph,
    train_step,
)

v1 = tf.compat.v1
KERNEL = 3


def _shape(cfg: Config) -> list[int]:
    return [cfg.conv_batch, cfg.image, cfg.image, 3]


def _images(cfg: Config) -> tf.Tensor:
    return tf.random.stateless_normal(_shape(cfg), seed=[5, 6])


def eager_convnet(subject, cfg: Config) -> dict:
    x = _images(cfg)
    channels = list(cfg.conv_channels)
    params = _hand.conv_variables(3, channels, KERNEL)
    net = subject.convnet(channels, KERNEL)
    return compare(lambda: _hand.convnet(params, x), lambda: net(x), cfg.reps, cfg.calls(20))


def function_convnet_step(subject, cfg: Config) -> dict:
    x = _images(cfg)
    channels = list(cfg.conv_channels)
    y = tf.random.stateless_normal([*_shape(cfg)[:3], channels[-1]], seed=[7, 8])
    params = _hand.conv_variables(3, channels, KERNEL)
    flat = [v for pair in params for v in pair]
    net = subject.convnet(channels, KERNEL)
    hand = train_step(lambda inp: _hand.convnet(params, inp), lambda: flat, x, y)
    mine = train_step(net, lambda: subject.variables(net), x, y)
    return compare(hand, mine, cfg.reps, cfg.calls(10))


def _convnet_graph(subject, cfg: Config, hand: bool, connections: int = 10) -> tuple:
    channels = list(cfg.conv_channels)

    def make_input(placeholder: bool) -> tf.Tensor:
        return v1.placeholder(tf.float32, _shape(cfg)) if placeholder else _images(cfg)

    def make_net():
        if hand:
            return _hand.template_convnet(channels, KERNEL)
        return subject.graph_convnet(channels, KERNEL)

    return connected_graph(make_net, make_input, connections)


def graph_convnet_build(subject, cfg: Config) -> dict:
    return compare_graph_builds(
        lambda: _convnet_graph(subject, cfg, hand=True),
        lambda: _convnet_graph(subject, cfg, hand=False),
        cfg,
    )


def graph_convnet_session(subject, cfg: Config) -> dict:
    return compare_session_steps(
        lambda: _convnet_graph(subject, cfg, hand=True, connections=1),
        lambda: _convnet_graph(subject, cfg, hand=False, connections=1),
        cfg,
        10,
    )


WORKLOADS = {
    "eager_convnet": eager_convnet,
    "function_convnet_step": function_convnet_step,
    "graph_convnet_build": graph_convnet_build,
    "graph_convnet_session": graph_convnet_session,
}
