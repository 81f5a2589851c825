"""Shared fixtures: run each test in graph mode and in eager mode.

The directory goes on ``sys.path`` so tests can import the NumPy references in
``nets_numpy_reference`` (pytest runs with ``--import-mode=importlib``).
"""

import pathlib
import sys

import numpy as np
import pytest
import tensorflow as tf

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


def _check_trains(mode, loss_fn, variables_fn, learning_rate=0.05):
    """Asserts every variable gets a gradient and one SGD step lowers the loss."""
    if mode.eager:
        with tf.GradientTape() as tape:
            loss = loss_fn()
        variables = list(variables_fn())
        grads = tape.gradient(loss, variables)
        assert variables and all(g is not None for g in grads), [v.name for v in variables]
        before = float(loss)
        for v, g in zip(variables, grads, strict=True):
            v.assign_sub(learning_rate * tf.convert_to_tensor(g))
        after = float(loss_fn())
    else:
        loss = loss_fn()
        variables = list(variables_fn())
        grads = tf.gradients(loss, variables)
        assert variables and all(g is not None for g in grads), [v.name for v in variables]
        step = tf.compat.v1.train.GradientDescentOptimizer(learning_rate).apply_gradients(
            list(zip(grads, variables, strict=True))
        )
        before = mode.evaluate(loss)
        mode.session().run(step)
        after = mode.evaluate(loss)
    assert np.isfinite(after) and after < before, (before, after)


@pytest.fixture
def check_trains():
    return _check_trains
