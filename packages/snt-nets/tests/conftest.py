"""Shared fixtures: run each test in graph mode and in eager mode."""

import pytest

from sonnet import mode_testing
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
    with run_in_mode("graph") as runner:
        yield runner


@pytest.fixture
def check_trains():
    return mode_testing.check_trains
