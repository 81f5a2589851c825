"""Memory of repeated calls and of many connections: printed numbers, no asserts.

``python benchmarks/memory.py [--calls N] [--modules M] [--no-baseline] [--json]`` prints

* the resident-set growth over ``--calls`` eager calls of an MLP (three
  Linears inside), and over as many calls of a ``tf.function`` wrapping it,
  with the sizes of the modules' internal records afterwards (connected
  subgraphs, children, variable caches, variables) and the trace count;
* the growth while connecting ``--modules`` fresh Linear modules (and, for
  comparison, as many hand-written matmul+bias layers) into one
  ``tf.compat.v1`` graph, at four checkpoints, with the KB per module of each
  stretch between checkpoints (it should be flat, i.e. linear growth, and modest).

``tests/integration/hardening/test_memory.py`` runs it with ``--json`` and
checks generous bounds; this script itself never fails on a number.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import resource
import sys
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

import sonnet as snt  # noqa: E402

_MB = 1024 * 1024


def rss_mb() -> float:
    """The current resident set size in MB (the peak where /proc is unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / _MB
    except (OSError, ValueError):  # pragma: no cover - not Linux
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (_MB if sys.platform == "darwin" else 1024)


def records(module: snt.AbstractModule) -> dict[str, int]:
    """Sizes of a module's (and its descendants') per-module bookkeeping."""
    modules = [module, *module._snt_descendants()]
    return {
        "subgraphs": sum(len(m._snt_state.subgraphs) for m in modules),
        "children": sum(len(m._snt_state.children) for m in modules),
        "replayed_by_name": sum(
            len(m._snt_state.replay.by_name) for m in modules if m._snt_state.replay
        ),
        "recorded_variables": sum(len(m._snt_state.variables) for m in modules),
        "variables": len(module.variables),
    }


def _trim() -> None:
    """Hands freed heap pages back to the OS (glibc), so RSS follows live memory."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _settle() -> float:
    gc.collect()
    _trim()
    return rss_mb()


def repeated_calls(calls: int, wrap_in_function: bool) -> dict[str, Any]:
    """RSS growth and records after ``calls`` calls of an MLP (three Linears inside)."""
    mlp = snt.nets.MLP([64, 32, 10], name="mem_mlp")
    x = tf.random.stateless_normal([16, 32], seed=[1, 2])
    fn = tf.function(mlp) if wrap_in_function else mlp
    for _ in range(min(200, calls)):  # warm-up: variables, traces, allocator pools
        fn(x)
    before = _settle()
    for _ in range(calls):
        fn(x)
    after = _settle()
    result = {
        "calls": calls,
        "rss_before_mb": round(before, 2),
        "rss_growth_mb": round(after - before, 2),
        "mlp": records(mlp),
        "linear_0": records(mlp.layers[0]),
    }
    if wrap_in_function:
        result["traces"] = fn.experimental_get_tracing_count()
    return result


def _hand_linear(net: tf.Tensor, index: int) -> tf.Tensor:
    """The hand-written TensorFlow equivalent of one Linear connection."""
    with tf.compat.v1.variable_scope(f"hand_{index}"):
        w = tf.compat.v1.get_variable("w", [8, 8])
        b = tf.compat.v1.get_variable("b", [8], initializer=tf.zeros_initializer())
    return tf.matmul(net, w) + b


def graph_connections(modules: int, hand_written: bool = False) -> dict[str, Any]:
    """RSS at four checkpoints while connecting ``modules`` Linears into one graph."""
    checkpoints = sorted({modules // 4, modules // 2, 3 * modules // 4, modules})
    points = []
    with tf.Graph().as_default() as graph:
        net = tf.compat.v1.placeholder(tf.float32, [None, 8])
        start = _settle()
        made = 0
        for target in checkpoints:
            while made < target:
                if hand_written:
                    net = _hand_linear(net, made)
                else:
                    net = snt.Linear(8, name=f"lin_{made}")(net)
                made += 1
            growth = _settle() - start
            previous = points[-1] if points else {"modules": 0, "rss_growth_mb": 0.0}
            stretch = made - previous["modules"]
            points.append(
                {
                    "modules": made,
                    "rss_growth_mb": round(growth, 2),
                    "stretch_kb_per_module": round(
                        1024 * (growth - previous["rss_growth_mb"]) / stretch, 1
                    ),
                    "ops": len(graph.get_operations()),
                }
            )
    return {"modules": modules, "points": points}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--modules", type=int, default=1_000)
    parser.add_argument("--no-baseline", action="store_true", help="skip hand-written TF")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    if not args.no_baseline:  # first, so memory freed by later graphs does not hide its growth
        results["graph_hand_written"] = graph_connections(args.modules, hand_written=True)
    results["graph"] = graph_connections(args.modules)
    results["eager"] = repeated_calls(args.calls, wrap_in_function=False)
    results["function"] = repeated_calls(args.calls, wrap_in_function=True)
    if args.json:
        print(json.dumps(results))
        return results
    for mode in ("eager", "function"):
        r = results[mode]
        print(
            f"{mode:8s} {r['calls']} calls: RSS {r['rss_before_mb']:.1f} MB, "
            f"growth {r['rss_growth_mb']:+.2f} MB; mlp {r['mlp']}; linear_0 {r['linear_0']}"
            + (f"; traces {r['traces']}" if "traces" in r else "")
        )
    for key, label in (("graph", "snt.Linear"), ("graph_hand_written", "hand-written")):
        for point in results.get(key, {}).get("points", []):
            print(
                f"graph    {point['modules']:5d} x {label}: growth "
                f"{point['rss_growth_mb']:+.2f} MB ({point['stretch_kb_per_module']:.1f} KB "
                f"per module since the last line), {point['ops']} ops"
            )
    return results


if __name__ == "__main__":
    main()
