"""BatchNorm, BatchNormV2 and LayerNorm details Sonnet 1.36 had and its users rely on.

16-bit inputs (float32 statistics), ``fused=True`` limits, axis checks with
Sonnet 1's phrases, ``snt.Error`` for a missing beta/gamma, BatchNormV2's
properties at the input's rank, and moving-average updates built inside a
``tf.cond`` branch.
"""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.batch_norm import BatchNorm
from snt_nets.batch_norm_v2 import BatchNormV2
from snt_nets.layer_norm import LayerNorm

RNG = np.random.RandomState(7)
X4 = RNG.uniform(-2, 3, size=(6, 3, 2, 4)).astype(np.float32)  # NHWC, 4 channels
X2 = RNG.uniform(-2, 3, size=(7, 5)).astype(np.float32)
EPS = 1e-3


def normalized(x, axes, mean=None, var=None, eps=EPS):
    """NumPy reference of batch normalization (batch statistics unless given)."""
    x = x.astype(np.float64)
    mean = x.mean(axes, keepdims=True) if mean is None else mean
    var = x.var(axes, keepdims=True) if var is None else var
    return (x - mean) / np.sqrt(var + eps)


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16])
def test_batch_norm_16bit_keeps_float32_statistics(mode, dtype):
    bn = BatchNorm(offset=True, scale=True, decay_rate=0.0, update_ops_collection=None)
    out = bn(tf.constant(X2, dtype=dtype), is_training=True)
    assert out.dtype == dtype
    assert bn.moving_mean.dtype.base_dtype == tf.float32
    assert bn.moving_variance.dtype.base_dtype == tf.float32
    assert bn.gamma.dtype.base_dtype == dtype and bn.beta.dtype.base_dtype == dtype
    x16 = X2.astype(dtype.as_numpy_dtype).astype(np.float64)  # what the module sees
    got = mode.evaluate(tf.cast(out, tf.float32))
    np.testing.assert_allclose(got, normalized(x16, (0,)), atol=5e-2)
    # decay_rate=0: the moving mean is the batch mean once the update has run.
    np.testing.assert_allclose(mode.evaluate(bn.moving_mean)[0], x16.mean(0), atol=5e-2)
    # The moving statistics (cast to the input's dtype) normalize at test time.
    test = bn(tf.constant(X2, dtype=dtype), is_training=False, test_local_stats=False)
    mean, var = mode.evaluate([bn.moving_mean, bn.moving_variance])
    np.testing.assert_allclose(
        mode.evaluate(tf.cast(test, tf.float32)), normalized(x16, (0,), mean, var), atol=5e-2
    )


def test_batch_norm_fused_float16_has_float32_scale_and_offset(mode):
    bn = BatchNorm(scale=True, fused=True, update_ops_collection=None)
    out = bn(tf.constant(X4, dtype=tf.float16), is_training=True)
    assert out.dtype == tf.float16
    assert bn.gamma.dtype.base_dtype == tf.float32 and bn.beta.dtype.base_dtype == tf.float32
    x16 = X4.astype(np.float16).astype(np.float64)
    np.testing.assert_allclose(
        mode.evaluate(tf.cast(out, tf.float32)), normalized(x16, (0, 1, 2)), atol=5e-2
    )


def test_fused_limits(mode):
    with pytest.raises(NotImplementedError, match="bn_fused: fused batch norm supports only"):
        BatchNorm(fused=True, name="bn_fused")(tf.constant(X2), is_training=True)
    with pytest.raises(ValueError, match=r"bn_fused_1: Invalid axis option \[1, 2, 3\]"):
        BatchNorm(axis=(1, 2, 3), fused=True, name="bn_fused")(tf.constant(X4), is_training=True)
    with pytest.raises(snt.NotSupportedError, match="does not support tf.bfloat16"):
        BatchNorm(fused=True)(tf.constant(X4, dtype=tf.bfloat16), is_training=True)
    with pytest.raises(snt.NotSupportedError, match="does not support tf.bfloat16"):
        BatchNormV2()(tf.constant(X4, dtype=tf.bfloat16), is_training=True)
    # NCHW reduction axes are fusable; the numbers are plain batch normalization.
    bn = BatchNorm(axis=(0, 2, 3), fused=True)
    out = bn(tf.constant(X4), is_training=False, test_local_stats=True)
    np.testing.assert_allclose(mode.evaluate(out), normalized(X4, (0, 2, 3)), atol=1e-4)


def test_axis_checks_use_sonnet1_phrases(mode):
    x = tf.constant(X2)
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"Too many indices specified in axis: len\(\[0, 1, 0\]\) > len\(\(7, 5\)\)",
    ):
        BatchNorm(axis=[0, 1, 0])(x, is_training=True)
    with pytest.raises(snt.IncompatibleShapeError, match=r"too large .*: \[2\] >= 2"):
        BatchNorm(axis=[2])(x, is_training=True)
    with pytest.raises(snt.IncompatibleShapeError, match=r"must be non-negative: \[-1\] < 0"):
        BatchNorm(axis=[-1])(x, is_training=True)
    with pytest.raises(snt.IncompatibleShapeError, match=r"axis \[0, 0\] names the same"):
        BatchNorm(axis=[0, 0])(x, is_training=True)


def test_too_many_axes_prints_unknown_dims_as_tf1_did(graph):
    x = tf.compat.v1.placeholder(tf.float32, [None, 5])
    with pytest.raises(snt.IncompatibleShapeError, match=r"len\(\(\?, 5\)\)"):
        BatchNorm(axis=[0, 1, 1])(x, is_training=True)


@pytest.mark.parametrize("cls", [BatchNorm, BatchNormV2])
def test_missing_beta_and_gamma_raise_snt_error(mode, cls):
    bn = cls(offset=False, scale=False, fused=False)
    bn(tf.constant(X2), is_training=True)
    with pytest.raises(snt.Error, match="doesn't have an offset, so no beta"):
        _ = bn.beta
    with pytest.raises(snt.Error, match="doesn't have a scale, so no gamma"):
        _ = bn.gamma


def test_sonnet1_private_variable_names(mode):
    bn = BatchNorm()
    bn(tf.constant(X2), is_training=True)
    assert bn._moving_mean is bn.moving_mean
    assert bn._moving_variance is bn.moving_variance
    v2 = BatchNormV2(data_format="NCHW")
    v2(tf.constant(X4), is_training=True)
    assert v2._moving_mean.shape.as_list() == [3]  # the variable; the property is [1, 3, 1, 1]
    assert v2.moving_mean.shape.as_list() == [1, 3, 1, 1]
    assert v2.moving_mean.dtype == tf.float32  # a tensor, never a reference dtype


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16])
def test_batch_norm_v2_16bit(mode, dtype):
    bn = BatchNormV2(offset=True, scale=True, fused=False)
    out = bn(tf.constant(X4, dtype=dtype), is_training=False, test_local_stats=False)
    assert out.dtype == dtype
    assert bn.moving_mean.dtype == tf.float32 and bn.gamma.dtype == dtype
    # Fresh moving statistics: mean 0, variance 1.
    x16 = X4.astype(dtype.as_numpy_dtype).astype(np.float64)
    np.testing.assert_allclose(
        mode.evaluate(tf.cast(out, tf.float32)), x16 / np.sqrt(1 + EPS), rtol=2e-2, atol=2e-2
    )
    fused = BatchNormV2(scale=True)
    fused(tf.constant(X4, dtype=tf.float16), is_training=True)
    assert fused._gamma.dtype.base_dtype == tf.float32


def test_batch_norm_v2_data_format_phrases(mode):
    with pytest.raises(snt.IncompatibleShapeError, match="Incorrect data format NCW for input"):
        BatchNormV2(data_format="NCW")(tf.constant(X4), is_training=True)
    with pytest.raises(snt.IncompatibleShapeError, match="has too many or too few dimensions"):
        BatchNormV2()(tf.ones([1, 1, 1, 1, 1, 2]), is_training=True)


@pytest.mark.parametrize("collection", [None, "update_ops"])
def test_updates_built_inside_cond(graph, collection):
    x = tf.constant(X2)
    bn = BatchNorm(decay_rate=0.5, offset=False, update_ops_collection=collection)
    flag = tf.compat.v1.placeholder(tf.bool, [])
    out = tf.cond(flag, lambda: bn(x, is_training=True), lambda: x)
    np.testing.assert_allclose(graph.evaluate(out, {flag: False}), X2)
    np.testing.assert_allclose(
        graph.evaluate(out, {flag: True}), normalized(X2, (0,)), rtol=1e-4, atol=1e-4
    )
    mean = graph.evaluate(bn.moving_mean)
    if collection is None:  # the branch's output depends on the updates
        np.testing.assert_allclose(mean[0], 0.5 * X2.mean(0), rtol=1e-5)
    else:  # in the outer graph's collection, where running them fails (as in Sonnet 1)
        np.testing.assert_allclose(mean, 0.0)
        updates = tf.compat.v1.get_collection(collection)
        assert len(updates) == 2
        with pytest.raises(ValueError, match="Operation"):
            graph.evaluate(updates)


def test_updates_inside_cond_in_tf_function(eager):
    bn = BatchNorm(decay_rate=0.5, offset=False)
    step = tf.function(lambda x, f: tf.cond(f, lambda: bn(x, is_training=True), lambda: x))
    step(tf.constant(X2), tf.constant(False))
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.0)
    step(tf.constant(X2), tf.constant(True))
    np.testing.assert_allclose(bn.moving_mean.numpy()[0], 0.5 * X2.mean(0), rtol=1e-5)


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16])
def test_layer_norm_16bit_computes_in_float32(mode, dtype):
    ln = LayerNorm()
    out = ln(tf.constant(X2, dtype=dtype))
    assert out.dtype == dtype
    assert ln.gamma.dtype.base_dtype == tf.float32 and ln.beta.dtype.base_dtype == tf.float32
    x16 = X2.astype(dtype.as_numpy_dtype).astype(np.float64)
    np.testing.assert_allclose(
        mode.evaluate(tf.cast(out, tf.float32)), normalized(x16, (1,), eps=1e-5), atol=2e-2
    )
