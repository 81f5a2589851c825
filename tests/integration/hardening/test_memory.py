"""Memory: repeated calls retain nothing per call; graph connections grow linearly.

Runs ``benchmarks/memory.py --json`` in a fresh interpreter (so the numbers do
not depend on what other tests allocated) and checks generous bounds: the
point is to catch per-call records or caches that grow without limit, not to
time anything.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

SCRIPT = pathlib.Path(__file__).parents[3] / "benchmarks" / "memory.py"
CALLS, MODULES = 10_000, 1_000
#: A per-call leak of even ~2.5 KB over 10,000 calls exceeds this.
CALL_GROWTH_LIMIT_MB = 24.0
#: Far above the ~60-90 KB a Linear (or hand-written matmul+bias) costs in a graph.
PER_MODULE_LIMIT_KB = 512.0


@pytest.fixture(scope="module")
def measured() -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    argv = [sys.executable, str(SCRIPT), "--json", "--no-baseline"]
    argv += ["--calls", str(CALLS), "--modules", str(MODULES)]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=400)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", ["eager", "function"])
def test_repeated_calls_do_not_grow_memory(measured, mode):
    result = measured[mode]
    assert result["calls"] == CALLS
    assert result["rss_growth_mb"] < CALL_GROWTH_LIMIT_MB, result


@pytest.mark.parametrize("mode", ["eager", "function"])
def test_repeated_calls_keep_no_per_call_records(measured, mode):
    mlp, linear = measured[mode]["mlp"], measured[mode]["linear_0"]
    assert mlp["subgraphs"] == 0 and linear["subgraphs"] == 0  # only v1 graphs keep them
    assert mlp["children"] == 3 and linear["children"] == 0
    assert mlp["variables"] == mlp["recorded_variables"] == 6
    assert linear["variables"] == linear["recorded_variables"] == 2
    # Each module's replay holds each of its variables once (built after the first
    # connection, eager or traced), whatever the number of calls.
    assert mlp["replayed_by_name"] == 6


def test_function_is_traced_a_bounded_number_of_times(measured):
    # The first call traces twice (variable creation, then a clean trace); never per call.
    assert measured["function"]["traces"] <= 2


def test_graph_connections_grow_linearly_and_modestly(measured):
    points = measured["graph"]["points"]
    assert [p["modules"] for p in points][-1] == MODULES
    ops_per_module = {(p["ops"] - 1) / p["modules"] for p in points}  # 1 op: the placeholder
    assert len(ops_per_module) == 1, points
    total = points[-1]["rss_growth_mb"] * 1024 / MODULES
    assert total < PER_MODULE_LIMIT_KB, points
    rates = [p["stretch_kb_per_module"] for p in points]
    # Linear, not accelerating: the last stretch costs about what the first did.
    assert rates[-1] < 3 * max(rates[0], 32.0), points
    assert max(rates) < PER_MODULE_LIMIT_KB, points
