import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.layer_norm import LayerNorm


def np_layer_norm(x, axis, gamma, beta, eps):
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


@pytest.mark.parametrize("axis", [None, -1, (1, 2)])
def test_numerics_and_names(mode, axis):
    init = {
        "gamma": tf.compat.v1.random_normal_initializer(seed=1),
        "beta": tf.compat.v1.random_normal_initializer(seed=2),
    }
    ln = LayerNorm(axis=axis, initializers=init)
    x = np.random.RandomState(0).randn(2, 3, 4).astype(np.float32) * 3 + 1
    y = ln(tf.constant(x))
    assert [(v.name, v.shape.as_list()) for v in ln.get_variables()] == [
        ("layer_norm/beta:0", [4]),
        ("layer_norm/gamma:0", [4]),
    ]
    gamma, beta, out = mode.evaluate([ln.gamma, ln.beta, y])
    np_axis = (1, 2) if axis is None else axis
    np.testing.assert_allclose(
        out, np_layer_norm(x, np_axis, gamma, beta, 1e-5), rtol=1e-4, atol=1e-4
    )


def test_no_scale_no_offset_and_trains(mode, check_trains):
    ln = LayerNorm(scale=False, offset=False)
    ln(tf.ones([2, 3]))
    assert ln.variables == ()
    with pytest.raises(ValueError, match="layer_norm: no gamma"):
        _ = ln.gamma
    ln2 = LayerNorm()
    x = tf.constant(np.random.RandomState(2).randn(3, 4).astype(np.float32))
    check_trains(mode, lambda: tf.reduce_mean(tf.square(ln2(x) - 0.5)), lambda: ln2.variables)


def test_errors(graph):
    for bad in ("x", True, 4.0, [2, "x"]):
        with pytest.raises(ValueError, match="bad_axis: axis should be an int or an iterable"):
            with tf.Graph().as_default():  # a fresh graph: the same scope name each time
                LayerNorm(axis=bad, name="bad_axis")
    ln = LayerNorm()
    with pytest.raises(snt.IncompatibleShapeError, match=r"layer_norm: .*rank >= 2.*\[3\]"):
        ln(tf.ones([3]))
    with pytest.raises(snt.IncompatibleShapeError, match="ln_axis: axis .* out of range"):
        LayerNorm(axis=3, name="ln_axis")(tf.ones([2, 3]))
    with pytest.raises(snt.UnderspecifiedError, match="layer_norm: the last dimension"):
        ln(tf.compat.v1.placeholder(tf.float32, [2, None]))
    ln(tf.ones([2, 3]))
    with pytest.raises(
        snt.IncompatibleShapeError, match="layer_norm: the last dimension must stay 3"
    ):
        ln(tf.ones([2, 4]))
    with pytest.raises(KeyError, match="layer_norm_1: Invalid initializer keys"):
        LayerNorm(initializers={"w": tf.zeros_initializer()})
