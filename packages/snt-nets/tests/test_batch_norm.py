import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.batch_norm import BatchNorm

X = np.random.RandomState(0).randn(6, 3).astype(np.float32) * 2 + 1


def np_bn(x, mean, var, eps=1e-3):
    return (x - mean) / np.sqrt(var + eps)


def test_train_and_test_numerics(mode):
    bn = BatchNorm(decay_rate=0.5)
    x = tf.constant(X)
    train = bn(x, is_training=True)
    assert [
        (v.name, v.shape.as_list())
        for v in bn.get_variables(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)
    ] == [
        ("batch_norm/beta:0", [1, 3]),
        ("batch_norm/moving_mean:0", [1, 3]),
        ("batch_norm/moving_variance:0", [1, 3]),
    ]
    out = mode.evaluate(train)
    np.testing.assert_allclose(out, np_bn(X, X.mean(0), X.var(0)), rtol=1e-4, atol=1e-4)
    if not mode.eager:
        updates = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
        assert len(updates) == 2
        mode.evaluate(updates)
    mean, var = mode.evaluate([bn.moving_mean, bn.moving_variance])
    np.testing.assert_allclose(mean[0], 0.5 * X.mean(0), rtol=1e-5)
    np.testing.assert_allclose(var[0], 0.5 + 0.5 * X.var(0), rtol=1e-5)
    test = mode.evaluate(bn(x, is_training=False, test_local_stats=False))
    np.testing.assert_allclose(test, np_bn(X, mean, var), rtol=1e-4, atol=1e-4)
    local = mode.evaluate(bn(x, is_training=False))
    np.testing.assert_allclose(local, out, rtol=1e-5, atol=1e-5)


def test_update_with_control_dependencies(mode):
    bn = BatchNorm(decay_rate=0.0, update_ops_collection=None, scale=True)
    out = bn(tf.constant(X), is_training=True)
    mode.evaluate(out)
    np.testing.assert_allclose(mode.evaluate(bn.moving_mean)[0], X.mean(0), rtol=1e-5)
    assert bn.gamma.shape.as_list() == [1, 3]


def test_is_training_tensor(graph):
    bn = BatchNorm(decay_rate=0.0)
    flag = tf.compat.v1.placeholder(tf.bool, [])
    out = bn(tf.constant(X), is_training=flag, test_local_stats=False)
    updates = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
    graph.evaluate(out, {flag: False})
    np.testing.assert_allclose(graph.evaluate(bn.moving_mean), 0)
    graph.evaluate([out, updates], {flag: True})
    np.testing.assert_allclose(graph.evaluate(bn.moving_mean)[0], X.mean(0), rtol=1e-5)


def test_axis_and_trains(mode, check_trains):
    bn = BatchNorm(axis=[0, 1, 2], scale=True)
    x = tf.constant(np.random.RandomState(1).randn(2, 3, 3, 2).astype(np.float32))
    bn(x, is_training=True)
    assert bn.moving_mean.shape.as_list() == [1, 1, 1, 2]
    assert len(bn.trainable_variables) == 2
    check_trains(
        mode,
        lambda: tf.reduce_mean(tf.square(bn(x, is_training=True) - x)),
        lambda: bn.trainable_variables,
    )


def test_tf_function_updates(eager):
    bn = BatchNorm(decay_rate=0.0)
    step = tf.function(lambda x: bn(x, is_training=True))
    step(tf.constant(X))
    np.testing.assert_allclose(bn.moving_mean.numpy()[0], X.mean(0), rtol=1e-5)


def test_errors(graph):
    with pytest.raises(snt.IncompatibleShapeError, match="batch_norm: axis .0, 0. names the same"):
        BatchNorm(axis=[0, 0])(tf.ones([2, 3]), is_training=True)
    with pytest.raises(ValueError, match="batch_norm_1: decay_rate must be in"):
        BatchNorm(decay_rate=2)
    with pytest.raises(KeyError, match="batch_norm_2: Invalid partitioner keys"):
        BatchNorm(partitioners={"moving_mean": tf.compat.v1.fixed_size_partitioner(2)})
    bn = BatchNorm()
    with pytest.raises(snt.NotConnectedError, match="batch_norm_3"):
        _ = bn.moving_mean
    with pytest.raises(snt.IncompatibleShapeError, match="bn_axis: One or more index in axis"):
        BatchNorm(axis=[5], name="bn_axis")(tf.ones([2, 3]), is_training=True)
    with pytest.raises(snt.UnderspecifiedError, match="batch_norm_3: the dimensions not in axis"):
        bn(tf.compat.v1.placeholder(tf.float32, [None, None]), is_training=True)
    bn(tf.ones([2, 3]), is_training=True)
    with pytest.raises(snt.IncompatibleShapeError, match=r"batch_norm_3: .*must stay \[1, 3\]"):
        bn(tf.ones([2, 4]), is_training=True)
