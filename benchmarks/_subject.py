"""The command line every subject script shares.

``python benchmarks/<subject>.py`` prints that subject's table;
``--emit`` prints the result as a ``RESULT {json}`` line instead (for
``bench.py``); ``--smoke`` runs each workload once at a tiny size.
"""

from __future__ import annotations

import argparse
import dataclasses

import _harness
import _report
import _workloads


def run(key: str, subject, versions: dict[str, str], cfg: _workloads.Config) -> dict:
    """One subject's full result: versions, machine, config and every workload."""
    return {
        "subject": key,
        "versions": versions,
        "machine": _harness.machine(),
        "config": dataclasses.asdict(cfg),
        "workloads": _workloads.run_all(subject, cfg),
    }


def main(key: str, make_subject, versions) -> None:
    """``make_subject()`` builds the adapter; ``versions()`` names what is measured."""
    parser = argparse.ArgumentParser(description=f"benchmarks of {_report.SUBJECTS[key]}")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="each workload once, tiny")
    parser.add_argument("--emit", action="store_true", help="print one RESULT json line")
    args = parser.parse_args()
    _harness.pin_threads()
    cfg = _workloads.SMOKE if args.smoke else _workloads.Config(reps=max(args.reps, 1))
    result = run(key, make_subject(), versions(), cfg)
    if args.emit:
        _harness.emit(result)
    else:
        print(_report.header({key: result}))
        print()
        print(_report.table({key: result}))
