"""Prints the cost of ``import sonnet`` and of plugin-name lookups.

Each number is the median of several fresh interpreters. Targets (printed, not
asserted): ``import sonnet`` beyond ``import tensorflow`` <= 30 ms; first
plugin-name lookup with the four packages installed <= 30 ms; later lookups
<= 1 us (a plain module attribute).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

RUNS = 5

PROBE = """
import json, time
t0 = time.perf_counter()
import tensorflow
t1 = time.perf_counter()
import sonnet as snt
t2 = time.perf_counter()
snt.SAME
t3 = time.perf_counter()
n = 200_000
start = time.perf_counter()
for _ in range(n):
    snt.SAME
t4 = time.perf_counter()
print("RESULT" + json.dumps({"tf": t1 - t0, "sonnet": t2 - t1, "first": t3 - t2,
                             "later": (t4 - start) / n}))
"""


def _run() -> dict[str, float]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    # Measure what users get: cached bytecode (a first, discarded run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])


def main() -> None:
    _run()  # warm-up: writes .pyc files, fills the OS file cache
    runs = [_run() for _ in range(RUNS)]

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"median of {RUNS} fresh interpreters")
    print(f"import tensorflow:              {median('tf') * 1e3:8.1f} ms")
    print(f"import sonnet (beyond TF):      {median('sonnet') * 1e3:8.1f} ms   (target <= 30 ms)")
    print(f"first plugin lookup (snt.SAME): {median('first') * 1e3:8.1f} ms   (target <= 30 ms)")
    print(f"later lookups:                  {median('later') * 1e9:8.1f} ns   (target <= 1000 ns)")


if __name__ == "__main__":
    main()
