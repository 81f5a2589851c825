"""Shared fixtures: run each test in graph mode and in eager mode."""

import pytest

from sonnet.mode_testing import MODES, run_in_mode


@pytest.fixture(params=MODES)
def mode(request):
    with run_in_mode(request.param) as runner:
        yield runner


@pytest.fixture
def eager():
    with run_in_mode("eager") as runner:
        yield runner


@pytest.fixture
def graph():
    """For what exists only in graph mode (tensor names)."""
    with run_in_mode("graph") as runner:
        yield runner
