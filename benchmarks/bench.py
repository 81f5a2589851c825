"""Runs every subject in its own process and prints one table against hand-written TF.

Subjects: this project (``module_overhead.py``), dm-sonnet 2.0.2
(``peer_sonnet2.py``, in the interpreter given by ``--sonnet2-python``: it
installs its own ``sonnet`` package), bare ``tf.Module`` (``peer_tf_module.py``)
and Keras 3 (``peer_keras3.py``). Each process
times hand-written TensorFlow interleaved with its subject; import times come
from fresh interpreters (``import_time.py``). A subject that cannot run shows
as "unavailable: <reason>".

Run: ``nox -s bench`` (records ``benchmarks/RESULTS.md`` and ``results.json``),
or ``python benchmarks/bench.py [--reps N] [--sonnet2-python PATH] [--smoke]``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import shlex
import subprocess
import sys

import _harness
import _report
import import_time

HERE = pathlib.Path(__file__).parent

#: subject -> (script, module whose import is timed, plugin lookup to time)
SCRIPTS = {
    "project": ("module_overhead.py", "sonnet", "SAME"),
    "sonnet2": ("peer_sonnet2.py", "sonnet", ""),
    "tf_module": ("peer_tf_module.py", "", ""),
    "keras3": ("peer_keras3.py", "keras", ""),
}


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def run_subject(key: str, python: str | None, args: argparse.Namespace) -> dict:
    if python is None:
        return {"unavailable": "no interpreter (pass --sonnet2-python)"}
    if not pathlib.Path(python).exists():
        return {"unavailable": f"{python} does not exist"}
    script, module, lookup = SCRIPTS[key]
    flags = ["--smoke"] if args.smoke else ["--reps", str(args.reps)]
    print(f"[bench] {key}: {script} ...", file=sys.stderr, flush=True)
    try:
        result = _harness.run_json([python, str(HERE / script), "--emit", *flags])
    except Exception as e:  # noqa: BLE001 - reported in the table
        return {"unavailable": str(e)[:160]}
    if not module:  # nothing beyond TensorFlow to import
        result["imports"] = {}
        return result
    try:
        result["imports"] = import_time.measure(python, module, lookup, runs=args.import_runs)
    except Exception as e:  # noqa: BLE001
        result["imports"] = {"error": str(e)[:160]}
    return result


def write_record(meta: dict, text: str) -> None:
    lines = [
        "# Benchmark results",
        "",
        "The latest full run of `nox -s bench` (written by `benchmarks/bench.py --record`).",
        "Ratios are subject / hand-written TensorFlow: the median of per-repetition ratios,",
        "both timed interleaved in the subject's own process (CPU time, `time.process_time`);",
        "absolute medians in brackets.",
        "Numbers are printed, never asserted.",
        "",
        f"- date: {meta['date']}",
        f"- command: `{meta['command']}`",
        f"- load before: `{meta['uptime_before']}`",
        f"- load after: `{meta['uptime_after']}`",
        f"- wall time: {meta['seconds']:.0f} s",
        "",
        "Other work shares the machine; a load average above the core count makes the",
        "absolute numbers and ratios within ~±30% (e.g. Session steps with equal op counts)",
        'noise. Compare ratios across runs, not single cells. Rows marked "CPU time"',
        "(graph builds, first tf.function call: pure Python work) are timed with",
        "`time.process_time`, which other processes disturb far less than wall time;",
        "even so, single runs of them move by ~±0.1× on a loaded 2-core machine.",
        "",
        text,
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--import-runs", type=int, default=import_time.RUNS)
    parser.add_argument("--sonnet2-python", help="interpreter of the dm-sonnet 2.0.2 venv")
    parser.add_argument("--smoke", action="store_true", help="each workload once, tiny")
    parser.add_argument("--json", help="write all results to this file")
    parser.add_argument("--record", action="store_true", help="write RESULTS.md + results.json")
    parser.add_argument("--command", help="how this run was started, for RESULTS.md")
    args = parser.parse_args()
    if args.smoke:
        args.import_runs = 1
    start = datetime.datetime.now(datetime.timezone.utc)
    uptime_before = _uptime()
    pythons = {
        "project": sys.executable,
        "sonnet2": args.sonnet2_python,
        "tf_module": sys.executable,
        "keras3": sys.executable,
    }
    results = {key: run_subject(key, pythons[key], args) for key in SCRIPTS}
    seconds = (datetime.datetime.now(datetime.timezone.utc) - start).total_seconds()
    meta = {
        "date": start.strftime("%Y-%m-%d %H:%M UTC"),
        "command": args.command or shlex.join(["python", *sys.argv]),
        "uptime_before": uptime_before,
        "uptime_after": _uptime(),
        "seconds": seconds,
    }
    text = f"{_report.header(results)}\n\n{_report.table(results)}"
    print(text)
    print(f"\nload: {meta['uptime_after']}; {seconds:.0f} s")
    if args.record:
        args.json = args.json or str(HERE / "results.json")
        write_record(meta, text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "subjects": results}, f, indent=2)


if __name__ == "__main__":
    main()
