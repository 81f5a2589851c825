import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.batch_reshape import BatchFlatten, BatchReshape, FlattenTrailingDimensions


def test_reshape_numerics(mode):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    mod = BatchReshape([-1, 2])
    y = mod(tf.constant(x))
    assert y.shape.as_list() == [2, 6, 2]
    np.testing.assert_array_equal(mode.evaluate(y), x.reshape(2, 6, 2))
    assert mod.input_shape == (3, 4)


def test_preserve_dims_and_transpose(mode):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    mod = BatchReshape([2, 2], preserve_dims=2)
    back = mod.transpose()
    y = mod(tf.constant(x))
    z = back(y)
    assert back.module_name == "batch_reshape_transpose"
    assert y.shape.as_list() == [2, 3, 2, 2]
    np.testing.assert_array_equal(mode.evaluate(z), x)


def test_placeholder_batch(graph):
    ph = tf.compat.v1.placeholder(tf.float32, [None, 2, 3])
    y = BatchFlatten()(ph)
    assert y.shape.as_list() == [None, 6]
    assert graph.evaluate(y, {ph: np.ones([4, 2, 3])}).shape == (4, 6)


def test_flatten_variants(mode):
    x = tf.ones([2, 3, 4, 5])
    assert BatchFlatten()(x).shape.as_list() == [2, 60]
    assert BatchFlatten(preserve_dims=2)(x).shape.as_list() == [2, 3, 20]
    mod = FlattenTrailingDimensions(2)
    assert mod.module_name == "batch_dim_from"
    assert mod(x).shape.as_list() == [2, 3, 20]


def test_errors(eager):
    with pytest.raises(ValueError, match=r"batch_reshape: preserve_dims must be >= 1 .*got 0"):
        BatchReshape([2], preserve_dims=0)
    with pytest.raises(
        ValueError, match=r"batch_reshape_1: Wildcard -1 can appear only once .*\[-1, -1\]"
    ):
        BatchReshape([-1, -1])
    with pytest.raises(TypeError, match="batch_reshape_2: shape must be"):
        BatchReshape(3)
    with pytest.raises(ValueError, match="batch_dim_from: dim_from must be >= 1"):
        FlattenTrailingDimensions(0)
    with pytest.raises(
        ValueError, match=r"batch_reshape_3: Output shape is incompatible .*reshape \[3\]"
    ):
        BatchReshape([2])(tf.ones([1, 3]))
    with pytest.raises(
        ValueError,
        match=r"batch_reshape_4: Input tensor has 2 dimensions.* preserve_dims=3; got shape",
    ):
        BatchReshape([2], preserve_dims=3)(tf.ones([1, 2]))
    with pytest.raises(snt.NotConnectedError, match="batch_reshape_5 not instantiated yet"):
        _ = BatchReshape([2]).input_shape
    with pytest.raises(ValueError, match=r"batch_dim_from: Input tensor has 1 .*dim_from=2"):
        FlattenTrailingDimensions(2)(tf.ones([5]))


@pytest.mark.parametrize("shape", [[2, 3, -2], [7, "7"], [2.0], [0, 3]])
def test_invalid_shape_entries(eager, shape):
    with pytest.raises(
        ValueError, match="batch_reshape: Desired shape can only contain positive integral"
    ):
        BatchReshape(shape)


def test_invalid_shape_from_a_callable(mode):
    mod = BatchReshape(lambda: [-1, -1])
    with pytest.raises(ValueError, match="batch_reshape: Wildcard -1 can appear only once"):
        mod(tf.ones([2, 3, 4]))


@pytest.mark.parametrize("shape", [[-1], [6]])
def test_single_dimension_needs_no_reshape(mode, shape):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 6))
    assert BatchReshape(shape)(x) is x


def test_single_unknown_dimension_is_kept(graph):
    ph = tf.compat.v1.placeholder(tf.float32, [2, None])
    assert BatchFlatten()(ph) is ph


@pytest.mark.parametrize(
    ("trailing", "shape"),
    [((None,), (5,)), ((None, None), (5,)), ((5, None), (5, 5)), ((None, 5), (-1,))],
)
def test_unknown_non_preserved_dimensions(graph, trailing, shape):
    ph = tf.compat.v1.placeholder(tf.float32, (10, *trailing))
    with pytest.raises(ValueError, match="batch_reshape: Unknown non-preserved dimensions"):
        BatchReshape(shape)(ph)


def test_unknown_preserved_dimensions(graph):
    ph = tf.compat.v1.placeholder(tf.float32, [None, 3, None, 2, 6])
    y = BatchReshape([4, 3], preserve_dims=3)(ph)
    assert y.shape.as_list() == [None, 3, None, 4, 3]
    x = np.random.RandomState(0).randn(2, 3, 5, 2, 6).astype(np.float32)
    np.testing.assert_array_equal(graph.evaluate(y, {ph: x}), x.reshape(2, 3, 5, 4, 3))


def test_add_dimensions_and_transpose_back(mode):
    x = tf.constant(np.arange(4, dtype=np.float32))
    mod = BatchReshape([1, 1])
    y = mod(x)
    assert y.shape.as_list() == [4, 1, 1]
    back = mod.transpose()
    np.testing.assert_array_equal(mode.evaluate(back(y)), np.arange(4))
