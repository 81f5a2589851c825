"""Inside tf.function, AutoGraph runs modules as written (as Sonnet 1 ran them; issue 22).

A module's ``__call__``, its connection path and its ``_build`` run unconverted
on every path into a ``tf.function``: the first connection (variables made in
the trace), a module built eagerly first (replayed), and later traces.
Converted code would run from a generated file, not from this one.
"""

from __future__ import annotations

import sys

import pytest
import tensorflow as tf

import sonnet as snt


class RecordsItsCode(snt.AbstractModule):
    def __init__(self, name: str = "records_its_code") -> None:
        super().__init__(name=name)
        self.files: list[str] = []

    def _build(self, x):
        self.files.append(sys._getframe().f_code.co_filename)
        w = tf.compat.v1.get_variable("w", [], initializer=tf.ones_initializer())
        return x * w


@pytest.mark.parametrize("built_eagerly_first", [False, True])
def test_build_runs_unconverted_in_tf_function(built_eagerly_first):
    module = RecordsItsCode()
    x = tf.constant([1.0, 2.0])
    if built_eagerly_first:
        module(x)

    @tf.function
    def step(inputs):
        return module(inputs) * 2.0

    first = step(x)
    retraced = step(tf.constant([[1.0]]))  # another input signature: a second trace
    assert first.numpy().tolist() == [2.0, 4.0]
    assert retraced.numpy().tolist() == [[2.0]]
    assert module.files and set(module.files) == {__file__}, module.files


def test_module_call_is_not_converted():
    module = RecordsItsCode()
    converted = tf.autograph.to_graph(lambda x: module(x))  # noqa: PLW0108
    assert float(tf.function(converted)(tf.constant(3.0))) == 3.0
    assert set(module.files) == {__file__}
