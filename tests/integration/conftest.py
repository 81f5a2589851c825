"""Integration tests: real installed distributions and real entry-point discovery.

Run them with ``nox -s integration``, which installs the four packages and the
fixture distributions from tests/fixtures. Scenarios that depend on environment
variables run in fresh interpreters (``sys.executable -c ...``).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys

import pytest

FIXTURES = (
    "snt-dummy",
    "snt-broken",
    "snt-conflict-a",
    "snt-conflict-b",
    "snt-incompatible",
    "snt-squatter",
    "snt-fragile",
)
FIRST_PARTY = ("snt-core", "snt-nets", "snt-rnn", "snt-transpose")
_CLEAN = ("SNT_PLUGINS", "SNT_DISABLE_PLUGINS", "SNT_STRICT_PLUGINS")


def _missing() -> list[str]:
    missing = []
    for dist in FIXTURES + FIRST_PARTY:
        try:
            importlib.metadata.distribution(dist)
        except importlib.metadata.PackageNotFoundError:
            missing.append(dist)
    return missing


#: The warnings the fixture distributions cause on purpose (one each).
EXPECTED_WARNINGS = (
    "(snt-broken 0.1.0) failed to load: RuntimeError: snt-broken exploded on import",
    "(snt-incompatible 0.1.0) was skipped: it requires snt-core>=9",
    "snt.Shared is declared by both snt-conflict-a 0.1.0 and snt-conflict-b 0.1.0",
    "(snt-squatter 0.1.0) declares snt.Linear, a name reserved for snt-nets",
)


def build_registry_catching_the_fixture_warnings() -> None:
    """Builds this process' registry, catching (and checking) the fixtures' warnings.

    Test modules here look names up in-process (some at collection), so the
    registry is built once, first, inside ``pytest.warns``: the run's output
    then carries no plugin warnings, and each deliberate one is checked.
    """
    import sonnet as snt
    from sonnet.plugins import PluginWarning

    with pytest.warns(PluginWarning) as caught:
        snt.plugins.refresh()
    messages = [str(w.message) for w in caught]
    for expected in EXPECTED_WARNINGS:
        assert any(expected in m for m in messages), (expected, messages)
    assert len(messages) == len(EXPECTED_WARNINGS), messages


if not _missing():  # otherwise pytest_collection_modifyitems says what to install
    build_registry_catching_the_fixture_warnings()


def pytest_collection_modifyitems(config, items):
    missing = _missing()
    if missing:
        raise pytest.UsageError(
            f"integration tests need installed distributions {missing}; run `nox -s integration`"
        )


def _run_python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Runs Python code (or ``-m`` args) in a fresh interpreter with extra env vars."""
    full_env = {k: v for k, v in os.environ.items() if k not in _CLEAN}
    full_env.update(env)
    full_env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    argv = [sys.executable, *(args or ("-c", code))]
    return subprocess.run(argv, env=full_env, capture_output=True, text=True, timeout=300)


PROBE = """
import json, sys, warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    import sonnet as snt
    out = {"after_import": sorted(m for m in sys.modules if m.endswith("._plugin"))}
    results = {}
    for name in NAMES:
        try:
            obj = snt
            for part in name.split("."):
                obj = getattr(obj, part)
            results[name] = ["ok", repr(obj)]
        except Exception as e:
            cause = type(e.__cause__).__name__ if e.__cause__ else None
            results[name] = [type(e).__name__, str(e), cause]
    out["results"] = results
    try:
        out["status"] = {i.name: i.status for i in snt.plugins.status()}
    except Exception as e:
        out["status"] = {"error": type(e).__name__}
out["warnings"] = [str(w.message) for w in caught]
print("PROBE" + json.dumps(out))
"""


def _probe(names, **env: str) -> dict:
    """Looks ``names`` up in a fresh interpreter; returns results, statuses, warnings."""
    proc = _run_python(f"NAMES = {list(names)!r}\n" + PROBE, **env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("PROBE")]
    if proc.returncode or not lines:
        raise AssertionError(f"probe failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(lines[-1][len("PROBE") :])


@pytest.fixture(scope="session")
def default_probe() -> dict:
    """One fresh interpreter, default environment, many lookups."""
    return _probe(
        [
            "SAME",
            "DATA_FORMAT_NHWC",
            "LSTMState",
            "DummyModule",
            "DUMMY_CONSTANT",
            "dummy.helper",
            "nets.DummyNet",
            "Shared",
            "OnlyA",
            "OnlyB",
            "Linear",
            "SquatterOk",
            "Fragile",
            "Incompatible",
            "Dumy",
            "LSTM",
            "nets.ConvNet2DTranspose",
        ]
    )


@pytest.fixture
def run_python():
    """``run_python(code, *args, **env)``: a fresh interpreter (see :func:`_run_python`)."""
    return _run_python


@pytest.fixture
def probe():
    """``probe(names, **env)``: lookups in a fresh interpreter (see :func:`_probe`)."""
    return _probe
