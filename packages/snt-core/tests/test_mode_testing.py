"""sonnet.mode_testing's op-count helpers."""

import pytest
import tensorflow as tf

from sonnet.mode_testing import assert_same_op_types, graph_op_types


def add():
    return tf.add(tf.ones([2]), 1.0)


def add_twice():
    return tf.add(add(), 1.0)


def test_graph_op_types_counts_each_type():
    assert graph_op_types(add) == {"Const": 2, "AddV2": 1}
    assert graph_op_types(add_twice) == {"Const": 3, "AddV2": 2}


def test_assert_same_op_types_names_the_differences():
    assert_same_op_types(add, add)
    with pytest.raises(AssertionError, match=r"module 3 ops, reference 5.*'AddV2': \(1, 2\)"):
        assert_same_op_types(add, add_twice)
