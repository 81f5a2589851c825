"""Prints the cost of ``import sonnet`` and of plugin-name lookups.

Each number is the median of several fresh interpreters. Targets (printed, not
asserted): ``import sonnet`` beyond ``import tensorflow`` <= 30 ms; first
plugin-name lookup with the four packages installed <= 30 ms; later lookups
<= 1 us (a plain module attribute). Also printed: importing a Sonnet 1 path
(``sonnet.python.modules.basic``) and its first name. ``bench.py`` uses
:func:`measure` for the peers too (``import keras``; dm-sonnet's ``import sonnet``
in its own venv).
"""

from __future__ import annotations

import argparse
import statistics
import sys

from _harness import run_json

RUNS = 5

PROBE = """
import importlib, json, sys, time
t0 = time.perf_counter()
import tensorflow
t1 = time.perf_counter()
preloaded = {module!r} in sys.modules
mod = importlib.import_module({module!r})
t2 = time.perf_counter()
result = {{"tf": t1 - t0, "module": t2 - t1, "preloaded": preloaded}}
if {lookup!r}:
    getattr(mod, {lookup!r})
    t3 = time.perf_counter()
    n = 200_000
    for _ in range(n):
        getattr(mod, {lookup!r})
    result.update(first=t3 - t2, later=(time.perf_counter() - t3) / n)
print("RESULT " + json.dumps(result))
"""


def measure(
    python: str = sys.executable, module: str = "sonnet", lookup: str = "", runs: int = RUNS
) -> dict[str, float]:
    """Medians (seconds) over ``runs`` fresh interpreters, after one discarded warm-up.

    Keys: ``tf`` (import tensorflow), ``module`` (the module beyond TF),
    ``preloaded`` (1 if ``import tensorflow`` had imported the module already) and, with
    ``lookup``, ``first`` (the first ``getattr``) and ``later`` (each one after).
    """
    cmd = [python, "-c", PROBE.format(module=module, lookup=lookup)]
    # Measure what users get: cached bytecode (the warm-up run writes it).
    env = {"PYTHONDONTWRITEBYTECODE": ""}
    run_json(cmd, env=env)  # warm-up: writes .pyc files, fills the OS file cache
    samples = [run_json(cmd, env=env) for _ in range(max(runs, 1))]
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    m = measure(lookup="SAME", runs=args.runs)
    print(f"median of {args.runs} fresh interpreters")
    print(f"import tensorflow:              {m['tf'] * 1e3:8.1f} ms")
    print(f"import sonnet (beyond TF):      {m['module'] * 1e3:8.1f} ms   (target <= 30 ms)")
    print(f"first plugin lookup (snt.SAME): {m['first'] * 1e3:8.1f} ms   (target <= 30 ms)")
    print(f"later lookups:                  {m['later'] * 1e9:8.1f} ns   (target <= 1000 ns)")
    legacy = measure(module="sonnet.python.modules.basic", lookup="Linear", runs=args.runs)
    print(f"import sonnet.python.modules.basic (beyond TF): {legacy['module'] * 1e3:8.1f} ms")
    print(f"first basic.Linear:             {legacy['first'] * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
