"""The workloads, each timed for one subject against hand-written TensorFlow.

A subject is an adapter object (see ``module_overhead.py``, ``peer_keras3.py``,
``peer_sonnet2.py``) with these methods; one that cannot run a workload raises
:class:`NotApplicable` with the reason:

* ``linear(size)``, ``mlp(sizes)``: callable modules; ``variables(module)``;
* ``lstm(size, batch)``: ``(step, state)`` with ``step(x, state) -> (out, state)``;
* ``graph_mlp(sizes)``: a module for ``tf.compat.v1`` graph mode, connected repeatedly;
* ``graph_deep_lstm(size, layers, batch)``: ``(cell, initial_state)`` for
  ``tf.compat.v1.nn.dynamic_rnn``;
* ``user_linear(size)`` (optional): a Sonnet 1 style user module;
* ``convnet(channels, kernel)``, ``graph_convnet(channels, kernel)``: a ConvNet2D
  (see ``_workloads_conv.py``);
* ``unrolled_deep_lstm(size, layers, batch)``: ``(forward, module)``, a stacked
  LSTM unrolled with a ``tf.while_loop`` (see ``_workloads_unroll.py``);
* ``graph_conv_bn(units, channels, kernel)``: a large Sonnet 1 style conv model
  (see ``_workloads_build.py``, which also times a first ``tf.function`` call).

Shared configuration and timing patterns are in ``_workload_base.py``.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import _hand
import _workloads_build
import _workloads_conv
import _workloads_unroll
import tensorflow as tf
from _harness import compare
from _workload_base import (
    SMOKE,
    Config,
    NotApplicable,
    compare_graph_builds,
    compare_session_steps,
    connected_graph,
    train_step,
)

v1 = tf.compat.v1

__all__ = ["SMOKE", "WORKLOADS", "Config", "NotApplicable", "run_all"]


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
    return compare(train_step(*hand, x, y), train_step(*mine, x, y), cfg.reps, cfg.calls(100))


def function_trace(subject, cfg: Config) -> dict:
    hand, mine, x, y = _function_pair(subject, cfg)

    def trace(pair):
        return lambda: train_step(*pair, x, y).get_concrete_function()

    return compare(trace(hand), trace(mine), cfg.reps, cfg.calls(3))


def function_trace_forward(subject, cfg: Config) -> dict:
    """Tracing a fresh ``tf.function(lambda x: model(x))`` over an already-built MLP.

    The model's variables exist (one eager call first); each repetition makes a
    new ``tf.function`` and traces it for a ``tf.TensorSpec`` (issue 21's workload).
    """
    x = _inputs(cfg)
    spec = tf.TensorSpec([cfg.batch, cfg.size], tf.float32)
    params = _hand.variables(cfg.size, [cfg.size] * cfg.layers)
    net = subject.mlp([cfg.size] * cfg.layers)
    net(x)

    def hand():
        return tf.function(lambda inp: _hand.mlp(params, inp)).get_concrete_function(spec)

    def mine():
        return tf.function(lambda inp: net(inp)).get_concrete_function(spec)

    return compare(hand, mine, cfg.reps, cfg.calls(10))


# -- graph mode ------------------------------------------------------------------------


def _mlp_graph(subject, cfg: Config, hand: bool, connections: int = 10) -> tuple:
    """The MLP connected ``connections`` times to a placeholder (once: to random inputs)."""
    sizes = [cfg.size] * cfg.layers

    def make_input(placeholder: bool) -> tf.Tensor:
        if placeholder:
            return v1.placeholder(tf.float32, [cfg.batch, cfg.size])
        return tf.random.stateless_normal([cfg.batch, cfg.size], seed=[1, 2])

    make_net = (lambda: _hand.template_mlp(sizes)) if hand else (lambda: subject.graph_mlp(sizes))
    return connected_graph(make_net, make_input, connections)


def graph_mlp_build(subject, cfg: Config) -> dict:
    return compare_graph_builds(
        lambda: _mlp_graph(subject, cfg, hand=True),
        lambda: _mlp_graph(subject, cfg, hand=False),
        cfg,
    )


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
    return compare_graph_builds(
        lambda: _lstm_graph(subject, cfg, hand=True),
        lambda: _lstm_graph(subject, cfg, hand=False),
        cfg,
    )


def graph_mlp_session(subject, cfg: Config) -> dict:
    return compare_session_steps(
        lambda: _mlp_graph(subject, cfg, hand=True, connections=1),
        lambda: _mlp_graph(subject, cfg, hand=False, connections=1),
        cfg,
        100,
    )


def graph_lstm_session(subject, cfg: Config) -> dict:
    return compare_session_steps(
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
    "function_trace_forward": function_trace_forward,
    "graph_mlp_build": graph_mlp_build,
    "graph_mlp_session": graph_mlp_session,
    "graph_lstm_build": graph_lstm_build,
    "graph_lstm_session": graph_lstm_session,
    **_workloads_conv.WORKLOADS,
    **_workloads_unroll.WORKLOADS,
    **_workloads_build.WORKLOADS,
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
