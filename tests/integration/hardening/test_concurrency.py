"""Threads: independent graphs, the first plugin lookup, and one module called at once.

Counts and names are compared, never timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt

THREADS = 6
#: Fresh modules raced on their first call (each trial is a few milliseconds).
TRIALS = 12


def _run_threads(target: Callable[[int], Any], count: int = THREADS) -> list[Any]:
    """Runs ``target(i)`` in ``count`` threads released together; re-raises the first error."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def body(index: int) -> None:
        barrier.wait()
        try:
            results[index] = target(index)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "a thread did not finish (deadlock?)"
    if errors:
        raise errors[0]
    return results


def _build_graph(_: int = 0) -> dict[str, Any]:
    """Builds the same small model in a graph of its own; returns what it created."""
    with tf.Graph().as_default() as graph:
        images = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 3])
        conv = snt.Conv2D(4, 3, stride=2, name="conv")
        norm = snt.LayerNorm(name="norm")
        flat = snt.BatchFlatten(name="flat")
        mlp = snt.nets.MLP([6, 5], name="mlp")
        lstm = snt.LSTM(5, name="lstm")
        for _ in range(2):  # the second connection reuses every variable
            features = mlp(flat(norm(conv(images))))
            state = lstm.initial_state(tf.shape(images)[0])
            out, _ = lstm(features, state)
        return {
            "variables": sorted(v.name for v in tf.compat.v1.global_variables()),
            "trainable": sorted(v.name for v in tf.compat.v1.trainable_variables()),
            "ops": len(graph.get_operations()),
            "op_types": sorted(op.type for op in graph.get_operations()),
            "output": tuple(out.shape.as_list()),
        }


def test_threads_building_their_own_graphs_match_a_sequential_build():
    sequential = [_build_graph() for _ in range(2)]
    assert sequential[0] == sequential[1]  # deterministic to begin with
    concurrent = _run_threads(_build_graph)
    for result in concurrent:
        assert result["variables"] == sequential[0]["variables"]
        assert result["trainable"] == sequential[0]["trainable"]
        assert result["ops"] == sequential[0]["ops"]
        assert result["op_types"] == sequential[0]["op_types"]
        assert result["output"] == (None, 5)


FIRST_LOOKUP = r"""
import collections, dataclasses, json, threading
import sonnet as snt
from sonnet.plugins import _discover, _resolve

loads = collections.Counter()
builds = []
original_discover = _discover.discover
original_build = _resolve.PluginState._build

def counting_discover(*args, **kwargs):
    sources, problems = original_discover(*args, **kwargs)
    counted = []
    for src in sources:
        def load(src=src):
            loads[src.info.name] += 1
            return src.load()
        counted.append(dataclasses.replace(src, load=load))
    return counted, problems

def counting_build(self):
    builds.append(threading.get_ident())
    return original_build(self)

_discover.discover = counting_discover
_resolve.PluginState._build = counting_build

NAMES = ["Linear", "LSTM", "Conv2DTranspose", "nets", "Conv2D", "GRU", "BatchFlatten", "LayerNorm"]
barrier = threading.Barrier(len(NAMES) * 2)
seen, errors = {}, []

def look(name):
    barrier.wait()
    try:
        seen.setdefault(name, set()).add(id(getattr(snt, name)))
    except Exception as e:
        errors.append(repr(e))

threads = [threading.Thread(target=look, args=(n,)) for n in NAMES * 2]
for t in threads: t.start()
for t in threads: t.join()
print("RESULT" + json.dumps({
    "builds": len(builds),
    "loads": dict(loads),
    "objects_per_name": {n: len(ids) for n, ids in seen.items()},
    "errors": errors,
    "status": {i.name: i.status for i in snt.plugins.status() if i.distribution in
               ("snt-nets", "snt-rnn", "snt-transpose")},
}))
"""


def test_concurrent_first_lookups_build_the_registry_and_load_each_plugin_once():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNT_")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    proc = subprocess.run(
        [sys.executable, "-c", FIRST_LOOKUP],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    result = json.loads(lines[-1][len("RESULT") :])
    assert result["errors"] == []
    assert result["builds"] == 1
    assert result["loads"], "no entry point was loaded"
    assert all(count == 1 for count in result["loads"].values()), result["loads"]
    assert {"nets", "rnn", "transpose"} <= set(result["loads"])
    assert all(n == 1 for n in result["objects_per_name"].values()), result
    assert set(result["status"].values()) == {"ok"}, result["status"]


def _eager_linear(name: str) -> tuple[snt.AbstractModule, tf.Tensor, np.ndarray]:
    module = snt.Linear(4, name=name)
    inputs = tf.reshape(tf.range(12, dtype=tf.float32), [3, 4]) / 10.0
    return module, inputs, inputs.numpy()


def _check_one_module_called_at_once(module, inputs, numpy_inputs):
    outputs = _run_threads(lambda i: module(inputs * float(i + 1)).numpy())
    names = [v.name for v in module.variables]
    assert names == [f"{module.module_name}/b:0", f"{module.module_name}/w:0"], names
    assert len(module.trainable_variables) == 2
    w, b = module.w.numpy(), module.b.numpy()
    for i, out in enumerate(outputs):
        np.testing.assert_allclose(out, numpy_inputs * (i + 1) @ w + b, rtol=1e-5, atol=1e-5)


def test_threads_calling_one_connected_module_eagerly():
    module, inputs, numpy_inputs = _eager_linear("shared_warm")
    module(inputs)  # variables exist before the threads start
    _check_one_module_called_at_once(module, inputs, numpy_inputs)
    seq = snt.Sequential([snt.Linear(3), tf.nn.relu, snt.Linear(2)], name="seq_warm")
    seq(inputs)
    before = [v.name for v in seq.variables]
    outputs = _run_threads(lambda i: seq(inputs).numpy())
    assert [v.name for v in seq.variables] == before
    assert all(np.array_equal(outputs[0], out) for out in outputs)


def test_threads_making_the_first_eager_call_of_one_module():
    # A race: several fresh modules, so one lucky interleaving cannot hide it.
    for trial in range(TRIALS):
        module, inputs, numpy_inputs = _eager_linear(f"shared_cold_{trial}")
        _check_one_module_called_at_once(module, inputs, numpy_inputs)
