import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.add_bias import AddBias, calculate_bias_shape


@pytest.mark.parametrize(
    ("bias_dims", "expected"),
    [(None, (3, 4)), ([], ()), ([-1], (4,)), ([1], (3, 1)), ([1, 2], (3, 4))],
)
def test_calculate_bias_shape(bias_dims, expected):
    assert calculate_bias_shape((2, 3, 4), bias_dims) == expected


def test_calculate_bias_shape_batch_dim():
    with pytest.raises(ValueError, match="batch dimension"):
        calculate_bias_shape((2, 3), [0])


@pytest.mark.parametrize("bias_dims", [None, [-1], [1], []])
def test_numerics_and_names(mode, bias_dims):
    init = {"b": tf.compat.v1.random_normal_initializer(seed=1)}
    add = AddBias(bias_dims=bias_dims, initializers=init)
    x = np.random.RandomState(0).randn(2, 3, 4).astype(np.float32)
    y = add(tf.constant(x), multiplier=2.0)
    assert [v.name for v in add.get_variables()] == ["add/b:0"]
    assert add.b.shape.as_list() == list(calculate_bias_shape((2, 3, 4), bias_dims))
    b, out = mode.evaluate([add.b, y])
    np.testing.assert_allclose(out, x + 2.0 * b, rtol=1e-6)


def test_sharing_and_trains(mode, check_trains):
    add = AddBias()
    x = tf.ones([2, 3])
    add(x)
    add(2 * x)
    assert len(add.variables) == 1
    check_trains(mode, lambda: tf.reduce_mean(tf.square(add(x) - 3.0)), lambda: add.variables)


def test_errors(eager):
    add = AddBias()
    with pytest.raises(snt.NotConnectedError, match="add: "):
        _ = add.input_shape
    with pytest.raises(snt.IncompatibleShapeError, match=r"add: .*rank >= 2.*got shape \[3\]"):
        add(tf.ones([3]))
    add(tf.ones([2, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"add: .*must stay \[3\]; got \[4\]"):
        add(tf.ones([2, 4]))
    with pytest.raises(KeyError, match="add_1: Invalid initializer keys"):
        AddBias(initializers={"w": tf.zeros_initializer()})
    with pytest.raises(ValueError, match="add_2: .*batch dimension"):
        AddBias(bias_dims=[0])(tf.ones([2, 3]))


def test_underspecified(graph):
    add = AddBias()
    with pytest.raises(snt.UnderspecifiedError, match=r"add: .*unknown size"):
        add(tf.compat.v1.placeholder(tf.float32, [None, None]))


def test_transpose(mode):
    add = AddBias()
    back = add.transpose()
    assert back.module_name == "add_transpose"
    y = back(add(tf.ones([2, 3])))
    assert y.shape.as_list() == [2, 3]
    with pytest.raises(snt.IncompatibleShapeError, match=r"add_transpose_1: .*output_shape \[3\]"):
        AddBias(output_shape=(3,), name="add_transpose")(tf.ones([2, 5]))
