"""What the property-based hardening tests share: drawn cases, inputs, the checks.

Each ``property_cases_*.py`` module holds hypothesis strategies for a group of
exports, in two dicts keyed by export name (``"Linear"``, ``"nets.MLP"``):

* ``VALID``: strategies drawing a :class:`Drawn` (a random valid configuration
  and input, plus the output shape and variable count the docs promise);
* ``INVALID``: strategies drawing a scenario ``(stage, make, connect)``, a bad
  configuration (``stage == CONSTRUCTION``, ``make(name)`` must raise) or a bad
  input (``stage == CONNECTION``, ``make(name)`` succeeds and
  ``connect(module)`` must raise). A key may name several exports joined by
  ``/`` (``"Conv1D/Conv2D"``).

test_property_valid.py and test_property_invalid.py run every entry;
test_property_coverage.py fails when an exported module has no entry.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import math
import pathlib
import string
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import strategies as st

import sonnet as snt
from sonnet.conformance import ConformanceCase, check_case

CASE_MODULES = sorted(p.stem for p in pathlib.Path(__file__).parent.glob("property_cases_*.py"))

#: AttributeError: Sonnet 1's class for a ModelRNN model without output_size.
DOCUMENTED = (snt.Error, AttributeError, KeyError, TypeError, ValueError)
CONSTRUCTION, CONNECTION = "construction", "connection"
#: Checks of tensor values: ``tf.errors.InvalidArgumentError`` when the graph runs
#: (eagerly: at the call), as docs/errors.md lists them.
RUN = "run"

names = st.text(string.ascii_lowercase, min_size=3, max_size=8).map(lambda s: "m_" + s)
small = st.integers(1, 4)
sizes = st.integers(1, 5)
batches = st.integers(1, 3)


@dataclasses.dataclass
class Drawn:
    """A drawn configuration: the case and what the docs say it must produce."""

    case: ConformanceCase
    shapes: Any  # expected output shape(s), nested like the output
    num_variables: int


def ramp(*shape: int) -> tf.Tensor:
    """Distinct values from -1 to 1 in ``shape`` (no random ops: every mode sees the same)."""
    count = math.prod(shape)
    return tf.reshape(tf.linspace(-1.0, 1.0, count), shape) if count else tf.zeros(shape)


def ones(*shape: int) -> tf.Tensor:
    return tf.ones(shape)


def case(
    name: str,
    create: Callable[[], Any],
    inputs: Callable[[], tuple],
    kwargs: dict[str, Any] | None = None,
) -> ConformanceCase:
    return ConformanceCase(name=name, create=create, inputs=inputs, kwargs=kwargs or {})


def bad_key(draw: Any, allowed: set[str]) -> str:
    """An initializer/partitioner/regularizer key the module does not accept."""
    return draw(
        st.text(string.ascii_lowercase, min_size=1, max_size=4).filter(lambda k: k not in allowed)
    )


def _case_modules() -> list[Any]:
    return [importlib.import_module(name) for name in CASE_MODULES]


def all_valid() -> dict[str, Any]:
    return {key: s for module in _case_modules() for key, s in module.VALID.items()}


def all_invalid() -> dict[str, Any]:
    return {key: s for module in _case_modules() for key, s in module.INVALID.items()}


def check_valid(drawn: Drawn, workdir: pathlib.Path) -> None:
    """The conformance suite, then the documented shapes and variable count, eagerly."""
    check_case(drawn.case, workdir)  # modes agree, sharing, checkpoint, pickling
    tf.compat.v1.reset_default_graph()
    module = drawn.case.create()
    out = module(*drawn.case.inputs(), **drawn.case.kwargs)
    actual = [tuple(t.shape) for t in tf.nest.flatten(out)]
    assert [d for shape in actual for d in shape] == tf.nest.flatten(drawn.shapes), (
        drawn.case,
        actual,
        drawn.shapes,
    )
    assert len(module.variables) == drawn.num_variables, [v.name for v in module.variables]
    before = [id(v) for v in module.variables]
    out_again = module(*drawn.case.inputs(), **drawn.case.kwargs)
    assert [id(v) for v in module.variables] == before
    for a, b in zip(tf.nest.flatten(out), tf.nest.flatten(out_again), strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


def _mode_context(mode: str) -> Any:
    return tf.Graph().as_default() if mode == "graph" else contextlib.nullcontext()


def _run(outputs: Any, mode: str) -> None:
    if mode == "graph":
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            sess.run(outputs)


def check_documented_error(
    stage: str,
    make: Callable[[str], Any],
    connect: Callable[[Any], Any] | None,
    name: str,
    mode: str,
) -> None:
    """Runs one invalid scenario and checks class, stage and message of its error."""
    with _mode_context(mode):
        if stage == CONSTRUCTION:
            with pytest.raises(DOCUMENTED) as info:
                make(name)
        elif stage == RUN:
            assert connect is not None
            module = make(name)
            with pytest.raises(tf.errors.InvalidArgumentError) as info:
                _run(connect(module), mode)
        else:
            assert connect is not None
            module = make(name)  # a bad input must not fail construction
            with pytest.raises(DOCUMENTED) as info:
                connect(module)
    assert name in str(info.value), f"{type(info.value).__name__} without {name!r}: {info.value}"
