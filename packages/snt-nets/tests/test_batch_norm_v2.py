import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.batch_norm_v2 import BatchNormV2


@pytest.mark.parametrize(
    ("data_format", "shape", "channel"),
    [
        (None, (4, 3), 1),
        ("NC", (4, 3), 1),
        ("NWC", (2, 5, 3), 2),
        ("NCW", (2, 3, 5), 1),
        ("NHWC", (2, 2, 2, 3), 3),
        ("NCHW", (2, 3, 2, 2), 1),
        ("NCDHW", (2, 3, 2, 2, 2), 1),
    ],
)
def test_numerics(mode, data_format, shape, channel):
    x = np.random.RandomState(0).randn(*shape).astype(np.float32)
    init = {"gamma": tf.compat.v1.random_normal_initializer(seed=1)}
    bn = BatchNormV2(data_format=data_format, scale=True, decay_rate=0.0, initializers=init)
    out = bn(tf.constant(x), is_training=True)
    assert [
        (v.name, v.shape.as_list())
        for v in bn.get_variables(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)
    ] == [
        ("batch_norm/beta:0", [3]),
        ("batch_norm/gamma:0", [3]),
        ("batch_norm/moving_mean:0", [3]),
        ("batch_norm/moving_variance:0", [3]),
    ]
    axes = tuple(i for i in range(len(shape)) if i != channel)
    bshape = [1] * len(shape)
    bshape[channel] = 3
    gamma = mode.evaluate(bn.gamma).reshape(bshape)
    ref = (x - x.mean(axes, keepdims=True)) / np.sqrt(x.var(axes, keepdims=True) + 1e-3) * gamma
    np.testing.assert_allclose(mode.evaluate(out), ref, rtol=1e-4, atol=1e-4)
    # The properties are the [3] variables reshaped to the input's rank (Sonnet 1).
    for prop in (bn.moving_mean, bn.moving_variance, bn.gamma, bn.beta):
        assert prop.shape.as_list() == bshape
    np.testing.assert_allclose(
        mode.evaluate(bn.moving_mean), x.mean(axes).reshape(bshape), rtol=1e-4, atol=1e-6
    )
    test = bn(tf.constant(x), is_training=False)
    np.testing.assert_allclose(
        mode.evaluate(test),
        (x - x.mean(axes).reshape(bshape)) / np.sqrt(x.var(axes).reshape(bshape) + 1e-3) * gamma,
        rtol=1e-4,
        atol=1e-4,
    )


def test_errors(graph):
    with pytest.raises(ValueError, match="batch_norm: data_format must be None or one of"):
        BatchNormV2(data_format="HWC")
    bn = BatchNormV2(data_format="NHWC")
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"batch_norm_1: Incorrect data format NHWC for input shape \[2, 3\]",
    ):
        bn(tf.ones([2, 3]), is_training=True)
    with pytest.raises(snt.UnderspecifiedError, match="batch_norm_1: the number of channels"):
        bn(tf.compat.v1.placeholder(tf.float32, [2, 2, 2, None]), is_training=True)
    bn(tf.ones([2, 2, 2, 3]), is_training=True)
    with pytest.raises(snt.IncompatibleShapeError, match=r"batch_norm_1: .*must stay \[3\]"):
        bn(tf.ones([2, 2, 2, 4]), is_training=True)
