"""Smoke test of benchmarks/: every workload once, tiny, so the benchmark code cannot rot.

Numbers are never asserted (``nox -s bench`` prints them); only that each
workload runs or says why it does not apply. dm-sonnet 2 is not installed here
(its ``sonnet`` package would clash), so its subject is only covered by the bench.
"""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / "benchmarks"))

import _report  # noqa: E402
import _subject  # noqa: E402
import _workloads  # noqa: E402


def _subjects():
    import module_overhead
    import peer_keras3

    return {
        "project": (module_overhead.ProjectSubject, module_overhead.versions),
        "keras3": (peer_keras3.KerasSubject, peer_keras3.versions),
    }


@pytest.fixture(scope="module")
def results():
    return {
        key: _subject.run(key, make(), versions(), _workloads.SMOKE)
        for key, (make, versions) in _subjects().items()
    }


@pytest.mark.parametrize("subject", ["project", "keras3"])
def test_every_workload_runs_or_is_not_applicable(results, subject):
    workloads = results[subject]["workloads"]
    assert set(workloads) == set(_workloads.WORKLOADS)
    errors = {k: w["error"] for k, w in workloads.items() if "error" in w}
    assert not errors
    assert all("ratio" in w or "na" in w for w in workloads.values())


def test_project_runs_every_workload(results):
    assert not [k for k, w in results["project"]["workloads"].items() if "na" in w]


def test_one_table_with_targets(results):
    results = {**results, "sonnet2": {"unavailable": "not installed"}}
    text = _report.table(results)
    lines = text.splitlines()
    assert len(lines) == 2 + len(_report.ROWS)
    assert "Sonnet 2 (dm-sonnet)" in lines[0] and "unavailable: not installed" in text
    assert all(line.rstrip(" |").endswith(("✓", "✗", "–")) for line in lines[2:])
    assert "machine:" in _report.header(results)
