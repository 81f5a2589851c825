"""Build cost (issue 22): a large Sonnet 1 conv model's graph, and a first tf.function call.

* ``graph_conv_bn_build``: ``conv_bn_units`` units of Conv3D (no bias) → BatchNorm
  (``is_training=False, test_local_stats=False``) → ReLU, built once into a fresh
  ``tf.compat.v1`` graph; the reference is ``_hand.template_conv_bn`` (``make_template``
  plus ``get_variable``). The subject provides ``graph_conv_bn(units, channels, kernel)``,
  a callable ``(x, is_training) -> y``.
* ``function_first_call``: a fresh 4×256 MLP and a fresh ``tf.function`` training step,
  called once: tracing plus variable creation plus one step. The reference creates its
  ``tf.Variable``\\ s from TensorFlow initializers (``_hand.tf_variables``) on that first
  call too, as hand-written code must when the sizes come from the inputs: tf.function
  then traces once to create them, runs their initializers and traces again without
  creating (every subject pays that, as does the reference).

Both are pure Python work, timed in process CPU time (``time.process_time``): on a
shared machine that is far less noisy than wall time.
"""

from __future__ import annotations

import time

import _hand
import tensorflow as tf
from _harness import compare
from _workload_base import Config, NotApplicable, train_step

v1 = tf.compat.v1
KERNEL = 3


def _video_shape(cfg: Config) -> list[int]:
    return [2, 4, cfg.image // 2, cfg.image // 2, 3]


def _conv_bn_graph(subject, cfg: Config, hand: bool) -> tuple:
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, _video_shape(cfg))
        if hand:
            y = _hand.template_conv_bn(cfg.conv_bn_units, cfg.conv_bn_channels, KERNEL)(x)
        else:
            net = subject.graph_conv_bn(cfg.conv_bn_units, cfg.conv_bn_channels, KERNEL)
            y = net(x, False)
    return graph, y


def graph_conv_bn_build(subject, cfg: Config) -> dict:
    subject_graph = _conv_bn_graph(subject, cfg, hand=False)[0]  # NotApplicable before timing
    result = compare(
        lambda: _conv_bn_graph(subject, cfg, hand=True),
        lambda: _conv_bn_graph(subject, cfg, hand=False),
        cfg.reps,
        cfg.calls(1),  # ~1 s a build: one per repetition keeps the run within its timeout
        clock=time.process_time,
    )
    hand_graph = _conv_bn_graph(subject, cfg, hand=True)[0]
    result["ops"] = {
        "ref": len(hand_graph.get_operations()),
        "sub": len(subject_graph.get_operations()),
    }
    return result


def function_first_call(subject, cfg: Config) -> dict:
    x = tf.random.stateless_normal([cfg.batch, cfg.size], seed=[1, 2])
    y = x * 0.5
    sizes = [cfg.size] * cfg.layers
    if not callable(getattr(subject, "mlp", None)):
        raise NotApplicable("no MLP")

    def hand():
        params: list = []

        def forward(inp):  # variables made on the first call, as a module makes them
            if not params:
                params.extend(_hand.tf_variables(inp.shape[-1], sizes))
            return _hand.mlp(params, inp)

        return train_step(forward, lambda: [v for pair in params for v in pair], x, y)()

    def mine():
        net = subject.mlp(sizes)
        return train_step(net, lambda: subject.variables(net), x, y)()

    return compare(hand, mine, cfg.reps, cfg.calls(3), clock=time.process_time)


WORKLOADS = {
    "graph_conv_bn_build": graph_conv_bn_build,
    "function_first_call": function_first_call,
}
