"""The workloads, each timed for one subject against hand-written TensorFlow.

A subject is an adapter object (see ``module_overhead.py``, ``peer_keras3.py``,
``peer_sonnet2.py``) with these methods; one that cannot run a workload raises
:class:`NotApplicable` with the reason:

* ``linear(size)``, ``mlp(sizes)``: callable modules; ``variables(module)``;
* ``lstm(size, batch)``: ``(step, state)`` with ``step(x, state) -> (out, state)``;
* ``graph_mlp(sizes)``: a module for ``tf.compat.v1`` graph mode, connected repeatedly;
* ``graph_deep_lstm(size, layers, batch)``: ``(cell, initial_state)`` for
  ``tf.compat.v1.nn.dynamic_rnn``;
* ``user_linear(size)`` (optional): a Sonnet 1 style user module.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable
from typing import Any

import _hand
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
    reps: int = 7
    #: multiplies the call counts; 0 means one call per repetition (smoke test).
    scale: float = 1.0

    def calls(self, n: int) -> int:
        return max(1, int(n * self.scale))


SMOKE = Config(size=8, batch=2, layers=2, rnn_layers=2, steps=3, reps=1, scale=0)


def _inputs(cfg: Config) -> tf.Tensor:
    return tf.random.stateless_normal([cfg.batch, cfg.size], seed=[1, 2])


# -- eager ---------------------------------------------------------------------------


def eager_linear(subject, cfg: Config) -> dict:
    x = _inputs(cfg)
    ((w, b),) = _hand.variables(cfg.size, [cfg.size])
    lin = subject.linear(cfg.size)
    return compare(lambda: tf.matmul(x, w) + b, lambda: lin(x), cfg.reps, cfg.calls(500))


def eager_mlp(subject, cfg: Config) -> dict:
    x = _inputs(cfg)
    params = _hand.variables(cfg.size, [cfg.size] * cfg.layers)
    net = subject.mlp([cfg.size] * cfg.layers)
    return compare(lambda: _hand.mlp(params, x), lambda: net(x), cfg.reps, cfg.calls(200))


def eager_lstm_step(subject, cfg: Config) -> dict:
    x = _inputs(cfg)
    ((w, b),) = _hand.variables(2 * cfg.size, [4 * cfg.size])
    zeros = tf.zeros([cfg.batch, cfg.size])
    step, state = subject.lstm(cfg.size, cfg.batch)
    return compare(
        lambda: _hand.lstm_step(w, b, x, (zeros, zeros)),
        lambda: step(x, state),
        cfg.reps,
        cfg.calls(300),
    )


def eager_user_module(subject, cfg: Config) -> dict:
    x = _inputs(cfg)
    ((w, b),) = _hand.variables(cfg.size, [cfg.size])
    user = subject.user_linear(cfg.size)
    return compare(lambda: tf.matmul(x, w) + b, lambda: user(x), cfg.reps, cfg.calls(500))


# -- tf.function ---------------------------------------------------------------------


def _train_step(forward: Callable, variables: Callable, x: tf.Tensor, y: tf.Tensor):
    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((forward(x) - y) ** 2)
        for v, g in zip(variables(), tape.gradient(loss, variables()), strict=True):
            v.assign_sub(0.01 * g)
        return loss

    return step


def _function_pair(subject, cfg: Config):
    x, y = _inputs(cfg), _inputs(cfg) * 0.5
    params = _hand.variables(cfg.size, [cfg.size] * cfg.layers)
    flat = [v for pair in params for v in pair]
    net = subject.mlp([cfg.size] * cfg.layers)
    hand = (lambda inp: _hand.mlp(params, inp)), (lambda: flat)
    mine = net, (lambda: subject.variables(net))
    return hand, mine, x, y


def function_step(subject, cfg: Config) -> dict:
    hand, mine, x, y = _function_pair(subject, cfg)
    return compare(_train_step(*hand, x, y), _train_step(*mine, x, y), cfg.reps, cfg.calls(100))


def function_trace(subject, cfg: Config) -> dict:
    hand, mine, x, y = _function_pair(subject, cfg)

    def trace(pair):
        return lambda: _train_step(*pair, x, y).get_concrete_function()

    return compare(trace(hand), trace(mine), cfg.reps, cfg.calls(3))


# -- graph mode ------------------------------------------------------------------------


def _session(graph: tf.Graph) -> v1.Session:
    config = v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    return v1.Session(graph=graph, config=config)


def _mlp_graph(subject, cfg: Config, hand: bool, connections: int = 10) -> tuple:
    """The MLP connected ``connections`` times to a placeholder (once: to random inputs)."""
    graph = tf.Graph()
    with graph.as_default():
        if connections == 1:
            x = tf.random.stateless_normal([cfg.batch, cfg.size], seed=[1, 2])
        else:
            x = v1.placeholder(tf.float32, [cfg.batch, cfg.size])
        sizes = [cfg.size] * cfg.layers
        net = _hand.template_mlp(sizes) if hand else subject.graph_mlp(sizes)
        outputs = [net(x) for _ in range(connections)]
    return graph, outputs


def graph_mlp_build(subject, cfg: Config) -> dict:
    subject_graph = _mlp_graph(subject, cfg, hand=False)[0]  # NotApplicable before timing
    result = compare(
        lambda: _mlp_graph(subject, cfg, hand=True),
        lambda: _mlp_graph(subject, cfg, hand=False),
        cfg.reps,
        cfg.calls(3),
    )
    hand_ops = len(_mlp_graph(subject, cfg, hand=True)[0].get_operations())
    result["ops"] = {"ref": hand_ops, "sub": len(subject_graph.get_operations())}
    return result


def _lstm_graph(subject, cfg: Config, hand: bool) -> tuple:
    graph = tf.Graph()
    with graph.as_default():
        x = tf.random.stateless_normal([cfg.batch, cfg.steps, cfg.size], seed=[3, 4])
        if hand:
            cell = _hand.TemplateDeepLSTM(cfg.size, cfg.rnn_layers)
            state = cell.zero_state(cfg.batch)
        else:
            cell, state = subject.graph_deep_lstm(cfg.size, cfg.rnn_layers, cfg.batch)
        outputs, _ = v1.nn.dynamic_rnn(cell, x, initial_state=state)
    return graph, outputs


def graph_lstm_build(subject, cfg: Config) -> dict:
    subject_graph = _lstm_graph(subject, cfg, hand=False)[0]
    result = compare(
        lambda: _lstm_graph(subject, cfg, hand=True),
        lambda: _lstm_graph(subject, cfg, hand=False),
        cfg.reps,
        cfg.calls(3),
    )
    hand_ops = len(_lstm_graph(subject, cfg, hand=True)[0].get_operations())
    result["ops"] = {"ref": hand_ops, "sub": len(subject_graph.get_operations())}
    return result


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


def _session_compare(make_hand, make_subject, cfg: Config, calls: int) -> dict:
    subject_step, subject_sess = _session_step(make_subject)
    hand_step, hand_sess = _session_step(make_hand)
    try:
        return compare(hand_step, subject_step, cfg.reps, cfg.calls(calls))
    finally:
        hand_sess.close()
        subject_sess.close()


def graph_mlp_session(subject, cfg: Config) -> dict:
    return _session_compare(
        lambda: _mlp_graph(subject, cfg, hand=True, connections=1),
        lambda: _mlp_graph(subject, cfg, hand=False, connections=1),
        cfg,
        100,
    )


def graph_lstm_session(subject, cfg: Config) -> dict:
    return _session_compare(
        lambda: _lstm_graph(subject, cfg, hand=True),
        lambda: _lstm_graph(subject, cfg, hand=False),
        cfg,
        4,
    )


WORKLOADS: dict[str, Callable[[Any, Config], dict]] = {
    "eager_linear": eager_linear,
    "eager_mlp": eager_mlp,
    "eager_lstm_step": eager_lstm_step,
    "eager_user_module": eager_user_module,
    "function_step": function_step,
    "function_trace": function_trace,
    "graph_mlp_build": graph_mlp_build,
    "graph_mlp_session": graph_mlp_session,
    "graph_lstm_build": graph_lstm_build,
    "graph_lstm_session": graph_lstm_session,
}


def run_all(subject, cfg: Config, only: list[str] | None = None) -> dict[str, dict]:
    """Every workload for one subject: its numbers, ``{"na": why}`` or ``{"error": what}``."""
    results = {}
    for key, workload in WORKLOADS.items():
        if only and key not in only:
            continue
        try:
            results[key] = workload(subject, cfg)
        except NotApplicable as e:
            results[key] = {"na": str(e)}
        except Exception as e:  # noqa: BLE001 - reported in the table, never fatal
            traceback.print_exc()
            results[key] = {"error": f"{type(e).__name__}: {e}".splitlines()[0][:200]}
    return results
