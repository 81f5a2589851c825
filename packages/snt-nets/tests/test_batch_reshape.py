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
    with pytest.raises(ValueError, match=r"batch_reshape_1: .*at most one -1; got \[-1, -1\]"):
        BatchReshape([-1, -1])
    with pytest.raises(TypeError, match="batch_reshape_2: shape must be"):
        BatchReshape(3)
    with pytest.raises(ValueError, match="batch_dim_from: dim_from must be >= 1"):
        FlattenTrailingDimensions(0)
    with pytest.raises(snt.IncompatibleShapeError, match=r"batch_reshape_3: cannot reshape \[3\]"):
        BatchReshape([2])(tf.ones([1, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match="batch_reshape_4: input of rank 2"):
        BatchReshape([2], preserve_dims=3)(tf.ones([1, 2]))
    with pytest.raises(snt.NotConnectedError, match="batch_reshape_5: "):
        _ = BatchReshape([2]).input_shape


def test_underspecified(graph):
    with pytest.raises(snt.UnderspecifiedError, match=r"batch_flatten: with -1 in shape"):
        BatchFlatten()(tf.compat.v1.placeholder(tf.float32, [2, None]))
