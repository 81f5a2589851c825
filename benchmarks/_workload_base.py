"""What every workload file shares: the configuration, the timing patterns, sessions.

A workload times one subject against hand-written TensorFlow in the same
process (``_harness.compare``) and returns its numbers; one a subject cannot
run raises :class:`NotApplicable` with the reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import tensorflow as tf
from _harness import compare

v1 = tf.compat.v1


class NotApplicable(Exception):
    """The subject has no meaningful version of this workload; the message says why."""


@dataclasses.dataclass
class Config:
    size: int = 256
    batch: int = 32
    layers: int = 4
    rnn_layers: int = 2
    steps: int = 50
    #: the ConvNet2D workloads: images [conv_batch, image, image, 3], 3×3 kernels.
    conv_channels: tuple[int, ...] = (32, 32, 32)
    conv_batch: int = 8
    image: int = 32
    #: the large Sonnet 1 conv model (issue 22): units of Conv3D → BatchNorm → ReLU.
    conv_bn_units: int = 57
    conv_bn_channels: int = 16
    reps: int = 7
    #: multiplies the call counts; 0 means one call per repetition (smoke test).
    scale: float = 1.0

    def calls(self, n: int) -> int:
        return max(1, int(n * self.scale))


SMOKE = Config(
    size=8,
    batch=2,
    layers=2,
    rnn_layers=2,
    steps=3,
    conv_channels=(4, 4, 4),
    conv_batch=2,
    image=8,
    conv_bn_units=2,
    conv_bn_channels=4,
    reps=1,
    scale=0,
)


def train_step(forward: Callable, variables: Callable, x: tf.Tensor, y: tf.Tensor):
    """A ``tf.function`` doing one SGD step on ``mean((forward(x) - y) ** 2)``."""

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((forward(x) - y) ** 2)
        for v, g in zip(variables(), tape.gradient(loss, variables()), strict=True):
            v.assign_sub(0.01 * g)
        return loss

    return step


def compare_graph_builds(make_hand: Callable, make_subject: Callable, cfg: Config) -> dict:
    """Build time of two ``() -> (graph, outputs)`` functions, plus their op counts."""
    subject_graph = make_subject()[0]  # NotApplicable before timing
    result = compare(make_hand, make_subject, cfg.reps, cfg.calls(3))
    hand_ops = len(make_hand()[0].get_operations())
    result["ops"] = {"ref": hand_ops, "sub": len(subject_graph.get_operations())}
    return result


def _session(graph: tf.Graph) -> v1.Session:
    config = v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    return v1.Session(graph=graph, config=config)


def _session_step(make_graph: Callable[[], tuple]) -> tuple[Callable, v1.Session]:
    graph, outputs = make_graph()
    with graph.as_default():
        out = outputs[-1] if isinstance(outputs, list) else outputs
        loss = tf.reduce_mean(out**2)
        train = v1.train.GradientDescentOptimizer(0.01).minimize(loss)
        init = v1.global_variables_initializer()
    sess = _session(graph)
    sess.run(init)
    return (lambda: sess.run(train)), sess


def compare_session_steps(make_hand: Callable, make_subject: Callable, cfg: Config, calls: int):
    """A Session training step (SGD on ``mean(out ** 2)``) of two graphs."""
    subject_step, subject_sess = _session_step(make_subject)
    hand_step, hand_sess = _session_step(make_hand)
    try:
        return compare(hand_step, subject_step, cfg.reps, cfg.calls(calls))
    finally:
        hand_sess.close()
        subject_sess.close()


def connected_graph(make_net: Callable, make_input: Callable, connections: int) -> tuple:
    """A fresh graph holding ``make_net()`` connected ``connections`` times to one input.

    ``make_input(placeholder)`` builds that input: a placeholder when the net is
    connected several times (build-time workloads), data when once (Session steps).
    """
    graph = tf.Graph()
    with graph.as_default():
        x = make_input(connections > 1)
        net = make_net()
        outputs = [net(x) for _ in range(connections)]
    return graph, outputs
