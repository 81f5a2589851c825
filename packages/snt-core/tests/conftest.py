"""Shared fixtures: run each test in graph mode and in eager mode."""

import os
import sys

import pytest

from sonnet.mode_testing import MODES, run_in_mode

# Test helper modules (core_test_modules.py) import by name from this folder.
sys.path.insert(0, os.path.dirname(__file__))


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
