import numpy as np
import pytest
import tensorflow as tf

from snt_nets.leading_dims import merge_leading_dims, split_leading_dim


def test_round_trip(mode):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    merged = merge_leading_dims(tf.constant(x))
    assert merged.shape.as_list() == [6, 4]
    split = split_leading_dim(merged, tf.constant(x))
    np.testing.assert_array_equal(mode.evaluate(split), x)
    assert merge_leading_dims(tf.constant(x), n_dims=3).shape.as_list() == [24]


def test_low_rank_and_scalars_unchanged():
    assert merge_leading_dims(3.0) == 3.0
    t = tf.ones([4])
    assert merge_leading_dims(t) is t


def test_dynamic_shapes(graph):
    ph = tf.compat.v1.placeholder(tf.float32, [None, 3, 4])
    merged = merge_leading_dims(ph)
    assert merged.shape.as_list() == [None, 4]
    split = split_leading_dim(merged, ph)
    assert split.shape.as_list() == [None, 3, 4]
    out = graph.evaluate(split, {ph: np.ones([5, 3, 4])})
    assert out.shape == (5, 3, 4)


def test_unknown_rank(graph):
    with pytest.raises(ValueError, match="merge_leading_dims: .*unknown rank"):
        merge_leading_dims(tf.compat.v1.placeholder(tf.float32))
