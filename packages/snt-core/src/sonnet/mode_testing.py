"""Helpers to run one test body in graph mode and in eager mode.

Every module behaviour is tested both ways. A test takes the ``mode``
fixture (see each package's ``tests/conftest.py``) and uses
``mode.evaluate(...)`` to get NumPy values out:

    def test_linear(mode):
        lin = snt.Linear(3)
        y = lin(tf.ones([2, 4]))
        np.testing.assert_allclose(mode.evaluate(y), ...)

In graph mode the body runs inside a fresh ``tf.Graph`` and ``evaluate``
initializes any new variables and runs a ``tf.compat.v1.Session``. In eager
mode the default graph (which holds eager scope-name counters) is reset first,
so module names start from ``linear`` again.
"""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import tensorflow as tf

MODES = ("graph", "eager")


class ModeRunner:
    """Evaluates tensors in the mode a test runs in."""

    def __init__(self, name: str, graph: tf.Graph | None = None) -> None:
        self.name = name
        self.graph = graph
        self._session: tf.compat.v1.Session | None = None
        self._initialized: set[str] = set()

    @property
    def eager(self) -> bool:
        return self.name == "eager"

    def session(self) -> tf.compat.v1.Session:
        if self._session is None:
            self._session = tf.compat.v1.Session(graph=self.graph)
        return self._session

    def initialize(self) -> None:
        """Initializes the graph's variables not initialized by this runner yet."""
        if self.eager:
            return
        new = [
            v
            for v in tf.compat.v1.global_variables() + tf.compat.v1.local_variables()
            if v.name not in self._initialized
        ]
        if new:
            self.session().run(tf.compat.v1.variables_initializer(new))
            self._initialized.update(v.name for v in new)

    def evaluate(self, structure: Any, feed_dict: dict | None = None) -> Any:
        """NumPy values of a structure of tensors (or variables)."""
        if self.eager:
            return tf.nest.map_structure(
                lambda t: t.numpy() if hasattr(t, "numpy") else np.asarray(t), structure
            )
        self.initialize()
        return self.session().run(structure, feed_dict=feed_dict)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


@contextlib.contextmanager
def run_in_mode(name: str) -> Iterator[ModeRunner]:
    """Runs the block in ``"graph"`` or ``"eager"`` mode; yields a ModeRunner."""
    if name == "eager":
        tf.compat.v1.reset_default_graph()
        runner = ModeRunner("eager")
        yield runner
    elif name == "graph":
        graph = tf.Graph()
        with graph.as_default():
            runner = ModeRunner("graph", graph)
            try:
                yield runner
            finally:
                runner.close()
    else:
        raise ValueError(f"Unknown mode {name!r}; expected one of {MODES}.")


def check_trains(
    mode: ModeRunner,
    loss_fn: Any,
    variables_fn: Any,
    learning_rate: float = 0.05,
) -> None:
    """Asserts every variable gets a gradient and one SGD step lowers the loss.

    ``loss_fn()`` connects the model and returns a scalar loss;
    ``variables_fn()`` returns the variables to train (called after the first
    ``loss_fn()``, so a model built by it has its variables). Works in the
    mode of ``mode`` (eagerly with a ``tf.GradientTape``, in graph mode with a
    ``GradientDescentOptimizer`` step run in ``mode``'s session).
    """
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


def graph_op_types(build: Callable[[], object]) -> collections.Counter:
    """The op types (with multiplicity) that ``build()`` adds to a fresh graph.

    >>> import sonnet as snt, tensorflow as tf
    >>> counts = snt.mode_testing.graph_op_types(lambda: tf.add(tf.ones([2]), 1.0))
    >>> counts["AddV2"], counts["Const"]
    (1, 2)
    """
    graph = tf.Graph()
    with graph.as_default():
        build()
    return collections.Counter(op.type for op in graph.get_operations())


def assert_same_op_types(
    module_build: Callable[[], object], reference: Callable[[], object]
) -> None:
    """Asserts that a module's build and a hand-written reference make the same ops.

    Both run in fresh graphs; the message lists the op types whose counts differ.
    """
    mine, ref = graph_op_types(module_build), graph_op_types(reference)
    differ = {k: (mine[k], ref[k]) for k in sorted(set(mine) | set(ref)) if mine[k] != ref[k]}
    assert not differ, (
        f"module {sum(mine.values())} ops, reference {sum(ref.values())}; "
        f"differing (module, reference): {differ}"
    )
