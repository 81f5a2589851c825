"""Module-system overhead: Sonnet modules against hand-written TensorFlow.

Prints one Markdown table of ratios (Sonnet time / hand-written time, the
median of per-repetition ratios; the two are timed interleaved in the same
process) with the absolute medians, plus op counts. Targets (issue 3/4):

* eager Linear 256->256 at batch 32: <= 1.10x; eager MLP 4x256: <= 1.15x;
  a user module calling ``tf.compat.v1.get_variable`` directly: <= 1.6x;
* ``tf.function`` training step within 3%, tracing <= 1.3x;
* graph mode, MLP 4x256 built and connected 10 times: <= 1.15x a hand-written
  ``make_template`` version, the same op count, Session step within 3%.

Run: ``nox -s bench`` or ``python benchmarks/module_overhead.py [--reps N]``.
Numbers, not asserts: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import sonnet as snt
import tensorflow as tf

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)

v1 = tf.compat.v1
SIZE, BATCH, LAYERS = 256, 32, 4


def per_call_us(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * 1e6


def compare(
    reference: Callable[[], object], subject: Callable[[], object], reps: int, calls: int
) -> tuple[float, float, float]:
    """Median ratio subject/reference and the two absolute medians (us)."""
    for _ in range(max(3, calls // 10)):
        reference()
        subject()
    ratios, refs, subs = [], [], []
    for _ in range(reps):
        r = per_call_us(reference, calls)
        s = per_call_us(subject, calls)
        ratios.append(s / r)
        refs.append(r)
        subs.append(s)
    return statistics.median(ratios), statistics.median(refs), statistics.median(subs)


# -- hand-written references ---------------------------------------------------


def hand_variables(sizes: list[int], seed: int = 0) -> list[tuple[tf.Variable, tf.Variable]]:
    rng = np.random.default_rng(seed)
    params, fan_in = [], SIZE
    for size in sizes:
        w = rng.normal(scale=1 / math.sqrt(fan_in), size=(fan_in, size)).astype(np.float32)
        params.append((tf.Variable(w), tf.Variable(np.zeros(size, np.float32))))
        fan_in = size
    return params


def hand_mlp(params, x):
    for i, (w, b) in enumerate(params):
        x = tf.matmul(x, w) + b
        if i < len(params) - 1:
            x = tf.nn.relu(x)
    return x


class UserLinear(snt.AbstractModule):
    """A user module written Sonnet 1 style: tf.compat.v1.get_variable in _build."""

    def __init__(self, size: int, name: str = "user_linear") -> None:
        super().__init__(name=name)
        self._size = size

    def _build(self, x):
        w = v1.get_variable("w", [x.shape[-1], self._size])
        b = v1.get_variable("b", [self._size], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


def template_mlp(x):
    """Hand-written graph-mode MLP with Sonnet 1's names and initializers."""
    fan_in = x.shape[-1]
    for i in range(LAYERS):
        with v1.variable_scope(f"linear_{i}"):
            init = v1.truncated_normal_initializer(stddev=1 / math.sqrt(fan_in))
            w = v1.get_variable("w", [fan_in, SIZE], initializer=init)
            b = v1.get_variable("b", [SIZE], initializer=tf.zeros_initializer())
        x = tf.matmul(x, w) + b
        if i < LAYERS - 1:
            x = tf.nn.relu(x)
        fan_in = SIZE
    return x


# -- workloads -------------------------------------------------------------------


def eager_rows(reps: int) -> list[tuple[str, float, float, float, str]]:
    x = tf.random.normal([BATCH, SIZE])
    rows = []
    ((w, b),) = hand_variables([SIZE])
    lin = snt.Linear(SIZE)
    lin(x)
    rows.append(
        (
            "eager Linear(256) call",
            *compare(lambda: tf.matmul(x, w) + b, lambda: lin(x), reps, 500),
            "<= 1.10",
        )
    )
    params = hand_variables([SIZE] * LAYERS)
    mlp = snt.nets.MLP([SIZE] * LAYERS)
    mlp(x)
    rows.append(
        (
            "eager MLP 4x256 forward",
            *compare(lambda: hand_mlp(params, x), lambda: mlp(x), reps, 200),
            "<= 1.15",
        )
    )
    user = UserLinear(SIZE)
    user(x)
    rows.append(
        (
            "eager user module (v1.get_variable)",
            *compare(lambda: tf.matmul(x, w) + b, lambda: user(x), reps, 500),
            "<= 1.6",
        )
    )
    return rows


def function_rows(reps: int) -> list[tuple[str, float, float, float, str]]:
    x = tf.random.normal([BATCH, SIZE])
    y = tf.random.normal([BATCH, SIZE])

    def make_step(forward, variables):
        @tf.function
        def step():
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((forward(x) - y) ** 2)
            for v, g in zip(variables(), tape.gradient(loss, variables()), strict=True):
                v.assign_sub(0.01 * g)
            return loss

        return step

    params = hand_variables([SIZE] * LAYERS)
    flat = [v for pair in params for v in pair]
    hand_step = make_step(lambda inp: hand_mlp(params, inp), lambda: flat)
    mlp = snt.nets.MLP([SIZE] * LAYERS)
    mlp(x)
    snt_step = make_step(mlp, lambda: mlp.trainable_variables)
    rows = [
        ("tf.function MLP training step", *compare(hand_step, snt_step, reps, 100), "within 3%")
    ]

    def trace(forward_factory):
        def run():
            forward, variables = forward_factory()
            make_step(forward, variables).get_concrete_function()

        return run

    def hand_factory():
        return (lambda inp: hand_mlp(params, inp)), (lambda: flat)

    def snt_factory():
        return mlp, (lambda: mlp.trainable_variables)

    rows.append(
        (
            "tf.function tracing (MLP step)",
            *compare(trace(hand_factory), trace(snt_factory), reps, 3),
            "<= 1.3",
        )
    )
    return rows


def graph_rows(reps: int) -> tuple[list[tuple[str, float, float, float, str]], dict]:
    def build(kind: str) -> tf.Graph:
        graph = tf.Graph()
        with graph.as_default():
            x = v1.placeholder(tf.float32, [BATCH, SIZE])
            net = (
                snt.nets.MLP([SIZE] * LAYERS)
                if kind == "snt"
                else v1.make_template("mlp", template_mlp)
            )
            for _ in range(10):
                net(x)
        return graph

    rows = [
        (
            "graph: build MLP 4x256, connect 10x",
            *compare(lambda: build("hand"), lambda: build("snt"), reps, 3),
            "<= 1.15",
        )
    ]
    ops = {k: len(build(k).get_operations()) for k in ("hand", "snt")}

    def session_step(kind: str):
        graph = tf.Graph()
        with graph.as_default():
            x = tf.random.normal([BATCH, SIZE], seed=1)
            net = (
                snt.nets.MLP([SIZE] * LAYERS)
                if kind == "snt"
                else v1.make_template("mlp", template_mlp)
            )
            loss = tf.reduce_mean(net(x) ** 2)
            train = v1.train.GradientDescentOptimizer(0.01).minimize(loss)
            config = v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
            sess = v1.Session(graph=graph, config=config)
            sess.run(v1.global_variables_initializer())
        return lambda: sess.run(train)

    rows.append(
        (
            "graph: Session training step",
            *compare(session_step("hand"), session_step("snt"), reps, 100),
            "within 3%",
        )
    )
    return rows, ops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    rows = eager_rows(args.reps) + function_rows(args.reps)
    more, ops = graph_rows(args.reps)
    rows += more
    print(
        f"Python {platform.python_version()}, TensorFlow {tf.__version__}, "
        f"snt-core {snt.__version__}, {platform.machine()}, 1 thread, {args.reps} reps"
    )
    print()
    print("| workload | ratio (snt / hand-written) | hand-written | snt | target |")
    print("|---|---|---|---|---|")
    for name, ratio, ref, sub, target in rows:
        print(f"| {name} | {ratio:.3f}x | {ref:,.1f} us | {sub:,.1f} us | {target} |")
    print()
    print(f"graph op count, MLP 4x256 connected 10x: hand-written {ops['hand']}, snt {ops['snt']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "ops": ops}, f, indent=2)


if __name__ == "__main__":
    main()
