"""Helpers for the tf.distribute and checkpoint tests.

Anything that configures TensorFlow devices or a cluster runs in a fresh
interpreter (``scripts/*.py``): logical devices and ``TF_CONFIG`` must be set
before TensorFlow initializes its runtime. Every child process gets a hard
timeout and is killed (with its process group) if the test fails early.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys

import pytest

SCRIPTS = pathlib.Path(__file__).parent / "scripts"
#: Small and quiet on a 2-core machine shared with other test runs.
TF_QUIET = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SNT_", "TF_CONFIG"))}
    # Only the first-party plugins: the fixture plugins of the integration session
    # (broken, conflicting, ...) would only add warnings to these runs.
    env.update(TF_QUIET, SNT_PLUGINS="nets,rnn,transpose")
    env.update(extra)
    return env


def start(script: str, *args: str, **env: str) -> subprocess.Popen:
    """Starts ``scripts/<script>`` in its own process group."""
    return subprocess.Popen(
        [sys.executable, str(SCRIPTS / script), *args],
        env=child_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def kill(proc: subprocess.Popen) -> None:
    """Kills ``proc`` and its process group (ours: started with a new session)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.communicate()


def result_of(proc: subprocess.Popen, timeout: float) -> dict:
    """Waits for ``proc`` and parses its last ``RESULT{json}`` line; kills it on timeout."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(proc)
        pytest.fail(f"{proc.args} did not finish within {timeout}s (killed)")
    lines = [line for line in out.splitlines() if line.startswith("RESULT")]
    if proc.returncode or not lines:
        pytest.fail(f"{proc.args} failed ({proc.returncode}):\n{out[-3000:]}\n{err[-6000:]}")
    return json.loads(lines[-1][len("RESULT") :])


def run_script(script: str, *args: str, timeout: float = 120, **env: str) -> dict:
    proc = start(script, *args, **env)
    try:
        return result_of(proc, timeout)
    finally:
        kill(proc)


@pytest.fixture(scope="session")
def mirrored_results() -> dict:
    """One fresh interpreter runs every MirroredStrategy check (see the script)."""
    return run_script("mirrored_checks.py", timeout=150)


@pytest.fixture
def run_script_fn():
    """``run_script_fn(script, *args, timeout=..., **env) -> dict`` (fresh interpreter)."""
    return run_script


class Processes:
    """Children started by one test; all of them are killed at teardown."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, script: str, *args: str, **env: str) -> subprocess.Popen:
        proc = start(script, *args, **env)
        self.started.append(proc)
        return proc

    result_of = staticmethod(result_of)

    def reap(self) -> None:
        for proc in self.started:
            kill(proc)


@pytest.fixture
def processes():
    procs = Processes()
    try:
        yield procs
    finally:
        procs.reap()
