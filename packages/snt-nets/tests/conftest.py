"""Shared fixtures: run each test in graph mode and in eager mode.

The directory goes on ``sys.path`` so tests can import the NumPy references in
``nets_numpy_reference`` (pytest runs with ``--import-mode=importlib``).
"""

import pathlib
import sys

import pytest

from sonnet import mode_testing
from sonnet.mode_testing import MODES, run_in_mode

sys.path.insert(0, str(pathlib.Path(__file__).parent))


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
