"""The shared conformance suite every exported module goes through.

Plugins hand their modules to it with the ``snt_conformance_cases`` hook (a
list of :class:`sonnet.plugins.ConformanceCase`). :func:`check_case` runs one
case through every check and raises ``AssertionError`` naming the case and
the check that failed:

* **sharing**: connecting twice creates the variables once and reuses them;
* **modes**: the same variable names, and the same outputs once the variables
  hold the same values, in ``tf.compat.v1`` graph mode, eager mode and inside
  ``tf.function``;
* **checkpoint**: ``tf.train.Checkpoint`` saves and restores exactly;
* **pickling** is refused with ``snt.NotSupportedError``.

A plugin author runs it from a test, for example::

    @pytest.mark.parametrize("case", my_plugin.conformance_cases(), ids=lambda c: c.name)
    def test_conformance(case, tmp_path):
        sonnet.conformance.check_case(case, tmp_path)

and :func:`missing_cases` lists exports with no case (a test should fail on
it, so every new export gets one).
"""

from __future__ import annotations

import pathlib
import pickle
import tempfile
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import tensorflow as tf

from sonnet._abstract_module import AbstractModule
from sonnet._conformance_case import ConformanceCase
from sonnet.errors import NotSupportedError

__all__ = ["check_case", "missing_cases", "ConformanceCase"]

_SEED = 1234


def _fill_values(variables: Iterable[Any]) -> dict[str, np.ndarray]:
    """Deterministic values per variable name, so every mode computes the same."""
    values = {}
    for variable in variables:
        name = variable.name.split(":")[0]
        rng = np.random.default_rng(zlib.crc32(name.encode()) ^ _SEED)
        dtype = variable.dtype.base_dtype.as_numpy_dtype
        if np.issubdtype(dtype, np.floating):
            value = rng.uniform(-0.5, 0.5, size=variable.shape).astype(dtype)
        else:
            value = np.zeros(variable.shape, dtype)
        values[name] = value
    return values


def _names(module: AbstractModule) -> list[str]:
    return [v.name for v in module.variables]


def _fail(case: ConformanceCase, check: str, detail: str) -> None:
    raise AssertionError(f"conformance case {case.name!r}, check {check!r}: {detail}")


def _graph_run(case: ConformanceCase) -> tuple[list[str], Any]:
    with tf.Graph().as_default() as graph:
        module = case.create()
        inputs = case.inputs()
        first = module(*inputs, **case.kwargs)
        names_first = _names(module)
        second = module(*inputs, **case.kwargs)
        names = _names(module)
        if names != names_first:
            _fail(
                case, "sharing", f"graph mode: second connection changed {names_first} to {names}"
            )
        if len(tf.compat.v1.global_variables()) != len({n for n in names}):
            _fail(
                case,
                "sharing",
                "graph mode: variables outside the module were created: "
                f"{[v.name for v in tf.compat.v1.global_variables()]}",
            )
        values = _fill_values(module.variables)
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            for v in module.variables:
                v.load(values[v.name.split(":")[0]], sess)
            out_first, out_second = sess.run([first, second])
    if not _allclose(out_first, out_second):
        _fail(case, "sharing", "graph mode: two connections gave different outputs")
    return names, out_first


def _assign(module: AbstractModule) -> None:
    values = _fill_values(module.variables)
    for v in module.variables:
        v.assign(values[v.name.split(":")[0]])


def _allclose(a: Any, b: Any) -> bool:
    flat_a, flat_b = tf.nest.flatten(a), tf.nest.flatten(b)
    return len(flat_a) == len(flat_b) and all(
        np.allclose(np.asarray(x), np.asarray(y), rtol=1e-4, atol=1e-5)
        for x, y in zip(flat_a, flat_b, strict=True)
    )


def _numpy(structure: Any) -> Any:
    return tf.nest.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, structure)


def check_case(case: ConformanceCase, workdir: str | pathlib.Path | None = None) -> None:
    """Runs every conformance check on ``case``.

    Args:
      case: the module factory and inputs.
      workdir: a folder for the checkpoint check (a temporary one if None).

    Raises:
      AssertionError: a check failed; the message names the case and check.
    """
    graph_names, graph_out = _graph_run(case)

    tf.compat.v1.reset_default_graph()  # eager scope names start afresh
    module = case.create()
    inputs = case.inputs()
    module(*inputs, **case.kwargs)
    eager_names = _names(module)
    if eager_names != graph_names:
        _fail(case, "modes", f"graph names {graph_names} != eager names {eager_names}")
    _assign(module)
    eager_out = _numpy(module(*inputs, **case.kwargs))
    if _names(module) != eager_names:
        _fail(case, "sharing", "eager mode: a second call created variables")
    if not _allclose(eager_out, graph_out):
        _fail(case, "modes", "eager and graph outputs differ for the same variable values")

    function_out = _numpy(tf.function(lambda *a: module(*a, **case.kwargs))(*inputs))
    if _names(module) != eager_names:
        _fail(case, "modes", "tf.function created new variables")
    if not _allclose(function_out, eager_out):
        _fail(case, "modes", "tf.function and eager outputs differ")

    _check_checkpoint(case, module, inputs, eager_out, workdir)

    try:
        pickle.dumps(module)
    except NotSupportedError:
        pass
    else:
        _fail(case, "pickling", "pickle.dumps did not raise snt.NotSupportedError")


def _check_checkpoint(
    case: ConformanceCase,
    module: AbstractModule,
    inputs: tuple[Any, ...],
    expected: Any,
    workdir: str | pathlib.Path | None,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(pathlib.Path(workdir or tmp) / f"conformance_{case.name}")
        path = tf.train.Checkpoint(module=module).save(prefix)
        for v in module.variables:
            v.assign(tf.zeros_like(v))
        tf.train.Checkpoint(module=module).restore(path).assert_existing_objects_matched()
        restored = _numpy(module(*inputs, **case.kwargs))
    if not _allclose(restored, expected):
        _fail(case, "checkpoint", "outputs after restoring differ from before saving")


def missing_cases(exports: Iterable[str], cases: Iterable[ConformanceCase]) -> list[str]:
    """Module exports (``"Linear"``, ``"nets.MLP"``) that have no case."""
    covered = {c.name for c in cases}
    return sorted(name for name in exports if name not in covered)
