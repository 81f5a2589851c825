"""Hardening of the core module system alone (no plugins): properties, threads, records.

* random input shapes through the conformance suite for modules that take the
  eager fast path (``snt.get_variable``), the template path
  (``tf.compat.v1.get_variable``) and build submodules inside ``_build``;
* threads building their own graphs end with what a sequential build makes;
* thousands of eager and ``tf.function`` calls keep no per-call records.
"""

from __future__ import annotations

import threading

import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

import sonnet as snt
from sonnet.conformance import ConformanceCase, check_case

PROFILE = settings(max_examples=8, deadline=None, database=None)


class FastDense(snt.AbstractModule):
    """Variables from ``snt.get_variable``: later eager calls take the fast path."""

    def __init__(self, size: int, name: str = "fast_dense") -> None:
        super().__init__(name=name)
        self._size = size

    def _build(self, x):
        w = snt.get_variable("w", [x.shape[-1], self._size])
        b = snt.get_variable("b", [self._size], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


class TemplateDense(snt.AbstractModule):
    """Sonnet 1 style: ``tf.compat.v1.get_variable`` directly (always the template path)."""

    def __init__(self, size: int, name: str = "template_dense") -> None:
        super().__init__(name=name)
        self._size = size

    def _build(self, x):
        w = tf.compat.v1.get_variable("w", [x.shape[-1], self._size])
        return tf.matmul(x, w)


class BuildsChildren(snt.AbstractModule):
    """Makes new submodules inside ``_build`` on every connection."""

    def __init__(self, sizes, name: str = "builds_children") -> None:
        super().__init__(name=name)
        self._sizes = tuple(sizes)

    def _build(self, x):
        for i, size in enumerate(self._sizes):
            x = tf.tanh(FastDense(size, name=f"d{i}")(x))
        return TemplateDense(1)(x)


def _ramp(rows: int, cols: int) -> tf.Tensor:
    return tf.reshape(tf.linspace(-1.0, 1.0, rows * cols), [rows, cols])


MODULES = {
    "FastDense": lambda sizes: FastDense(sizes[0]),
    "TemplateDense": lambda sizes: TemplateDense(sizes[0]),
    "BuildsChildren": lambda sizes: BuildsChildren(sizes),
    "Module": lambda sizes: snt.Module(lambda x: FastDense(sizes[0])(x) * 2.0, name="wrapped"),
}


@pytest.mark.parametrize("kind", list(MODULES))
def test_random_shapes_conform(kind, tmp_path):
    @PROFILE
    @given(
        sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
        rows=st.integers(1, 3),
        cols=st.integers(1, 4),
    )
    def run(sizes, rows, cols):
        case = ConformanceCase(
            name=kind, create=lambda: MODULES[kind](sizes), inputs=lambda: (_ramp(rows, cols),)
        )
        check_case(case, tmp_path)

    run()


def _graph_build():
    with tf.Graph().as_default() as graph:
        x = tf.compat.v1.placeholder(tf.float32, [None, 3])
        shared = FastDense(4, name="shared")
        nested = BuildsChildren([3, 2])
        plain = TemplateDense(2)
        for _ in range(3):
            out = plain(nested(shared(x)) + shared(x)[:, :1])
        return (
            sorted(v.name for v in tf.compat.v1.global_variables()),
            len(graph.get_operations()),
            tuple(out.shape.as_list()),
        )


def test_threads_building_their_own_graphs_match_a_sequential_build():
    expected = _graph_build()
    results, errors = [], []
    barrier = threading.Barrier(6)

    def work():
        barrier.wait()
        try:
            results.append(_graph_build())
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert results == [expected] * 6


def _record_sizes(module):
    modules = [module, *module._snt_descendants()]
    return {
        "subgraphs": sum(len(m._snt_state.subgraphs) for m in modules),
        "children": sum(len(m._snt_state.children) for m in modules),
        "child_ids": sum(len(m._snt_state.child_ids) for m in modules),
        "replayed": sum(len(m._snt_state.replay.by_name) for m in modules if m._snt_state.replay),
        "records": sum(len(m._snt_state.variables) for m in modules),
        "variables": len(module.variables),
    }


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
@pytest.mark.parametrize("kind", ["FastDense", "TemplateDense", "BuildsChildren"])
def test_many_calls_keep_no_per_call_records(kind, use_function, eager):
    module = MODULES[kind]([3, 2])
    call = tf.function(module) if use_function else module
    x = _ramp(2, 3)
    for _ in range(3):
        call(x)
    after_few = _record_sizes(module)
    for _ in range(2000):
        call(x)
    assert _record_sizes(module) == after_few
    assert after_few["subgraphs"] == 0  # only tf.compat.v1 graphs keep connection records
    assert after_few["records"] == after_few["variables"]


def test_graph_connections_keep_one_record_per_connection():
    with tf.Graph().as_default():
        module = FastDense(2)
        x = tf.ones([1, 3])
        for _ in range(50):
            module(x)
        assert len(module._snt_state.subgraphs) == 50
        assert len(module.variables) == 2
