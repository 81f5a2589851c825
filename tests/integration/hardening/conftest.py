"""Shared settings of the hardening tests: bounded hypothesis runs and a hang guard.

Every test here gets a soft time limit (``signal.alarm`` raises in the test) and,
as a last resort, a hard one (``faulthandler`` dumps the stacks and exits), so a
hang fails the run instead of stalling CI. The limits are generous: they catch
hangs, not slowness.

The directory goes on ``sys.path`` so the test files can import the shared
``property_support`` and ``property_cases_*`` modules (pytest runs with
``--import-mode=importlib``, which adds nothing to ``sys.path``).
"""

from __future__ import annotations

import faulthandler
import os
import pathlib
import signal
import sys

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(pathlib.Path(__file__).parent))

SOFT_LIMIT_S = 240
HARD_LIMIT_S = 420

#: CI draws the same examples on every run (derandomized), so a run's result does
#: not depend on luck; ``SNT_HARDENING_EXPLORE=1`` draws new, and more, examples.
EXPLORE = os.environ.get("SNT_HARDENING_EXPLORE") == "1"

settings.register_profile(
    "hardening",
    max_examples=40 if EXPLORE else 6,
    derandomize=not EXPLORE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class HangError(Exception):
    """A hardening test ran past its soft time limit (a hang, not slowness)."""


def _on_alarm(signum, frame):
    raise HangError(f"test still running after {SOFT_LIMIT_S} s: probable hang")


@pytest.fixture(autouse=True)
def hang_guard():
    """Fails a test that runs far past any reasonable duration."""
    faulthandler.dump_traceback_later(HARD_LIMIT_S, exit=True, file=sys.stderr)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(SOFT_LIMIT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()
