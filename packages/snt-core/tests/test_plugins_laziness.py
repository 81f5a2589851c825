"""``import sonnet`` scans nothing; the first lookup builds once, even across threads."""

import os
import subprocess
import sys
import threading

import sonnet as snt
from sonnet.plugins import Export
from sonnet.testing import isolated_registry


def test_import_sonnet_scans_no_entry_points():
    code = (
        "import importlib.metadata as md, sys\n"
        "calls = []\n"
        "orig = md.entry_points\n"
        "md.entry_points = lambda *a, **k: calls.append(1) or orig(*a, **k)\n"
        "import sonnet\n"
        "assert sonnet.plugins._current()._registry is None\n"
        "assert not calls, 'entry points scanned at import'\n"
        "heavy = [m for m in ('pluggy', 'packaging.requirements') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "print('plugin modules:', sorted(m for m in sys.modules if m.endswith('._plugin')))\n"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "plugin modules: []" in out


def test_threads_doing_the_first_lookup_build_once():
    class Counting:
        calls = 0

        @snt.hookimpl
        def snt_exports(self):
            Counting.calls += 1
            return [Export("counted", 7, kind="constant")]

    n = 16
    barrier = threading.Barrier(n)
    results, errors = [], []

    def lookup():
        barrier.wait()
        try:
            results.append(snt.counted)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    with isolated_registry(plugins=[Counting()]):
        threads = [threading.Thread(target=lookup) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors and results == [7] * n
    assert Counting.calls == 1
