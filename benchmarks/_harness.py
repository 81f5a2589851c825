"""Shared measurement helpers: pinned threads, interleaved timing, machine facts, JSON lines.

Every benchmark script times a subject against a reference in the same process,
alternating the two, and reports the median of the per-repetition ratios next
to the absolute medians. A script run as a subprocess hands its results back as
one ``RESULT {json}`` line on stdout (see :func:`emit` and :func:`run_json`).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from typing import Any

RESULT_PREFIX = "RESULT "

#: Environment for benchmark subprocesses: quiet TensorFlow, one thread everywhere.
PINNED_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}


def pin_threads() -> None:
    """One intra-op and one inter-op thread for eager and tf.function execution."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def per_call_us(
    fn: Callable[[], object], calls: int, clock: Callable[[], float] = time.process_time
) -> float:
    """CPU time of this process per call (``time.process_time``), in microseconds.

    CPU time, not wall time: the machines are shared, and time spent waiting
    for a core another process holds is not the subject's cost. With one
    intra-op and one inter-op thread, TensorFlow's own threads are counted too.
    """
    start = clock()
    for _ in range(calls):
        fn()
    return (clock() - start) / calls * 1e6


def compare(
    reference: Callable[[], object],
    subject: Callable[[], object],
    reps: int,
    calls: int,
    clock: Callable[[], float] = time.process_time,
) -> dict[str, float]:
    """Warm-up, then ``reps`` interleaved blocks of ``calls`` calls each.

    Returns the median of the per-repetition ratios subject/reference and the
    two absolute medians in microseconds per call. The order alternates between
    repetitions so neither side always runs on a warmer cache. ``clock`` is CPU
    time (``time.process_time``) by default, which other processes on the
    shared machine disturb less than wall time.
    """
    for _ in range(max(1, min(calls, 10))):
        reference()
        subject()
    ratios, refs, subs = [], [], []
    for rep in range(reps):
        if rep % 2:
            s = per_call_us(subject, calls, clock)
            r = per_call_us(reference, calls, clock)
        else:
            r = per_call_us(reference, calls, clock)
            s = per_call_us(subject, calls, clock)
        ratios.append(s / r)
        refs.append(r)
        subs.append(s)
    return {
        "ratio": statistics.median(ratios),
        "ref_us": statistics.median(refs),
        "sub_us": statistics.median(subs),
        "reps": reps,
        "calls": calls,
        "clock": "cpu" if clock is time.process_time else "wall",
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """The facts a reader needs to judge the numbers."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "loadavg": [round(x, 2) for x in load],
    }


def emit(result: Any) -> None:
    """Hands a result to the parent process (one line on stdout)."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def run_json(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 1500) -> Any:
    """Runs ``cmd`` and returns the object of its last ``RESULT`` line.

    Raises:
      RuntimeError: the process failed or printed no result; the message ends
        with the last line of its stderr.
    """
    full_env = {**os.environ, **PINNED_ENV, **(env or {})}
    proc = subprocess.run(
        cmd, env=full_env, capture_output=True, text=True, timeout=timeout, check=False
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode or not lines:
        tail = [line for line in proc.stderr.strip().splitlines() if line.strip()][-1:]
        raise RuntimeError(f"exit {proc.returncode}: {tail[0] if tail else 'no output'}")
    return json.loads(lines[-1][len(RESULT_PREFIX) :])
