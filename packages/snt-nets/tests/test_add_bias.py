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
    with pytest.raises(snt.NotConnectedError, match="add not instantiated yet"):
        _ = add.input_shape
    with pytest.raises(snt.IncompatibleShapeError, match=r"add: .*rank >= 2.*got shape \[3\]"):
        add(tf.ones([3]))
    add(tf.ones([2, 3]))
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"add: Input shape has changed.*must stay \[3\]; got \[4\]",
    ):
        add(tf.ones([2, 4]))
    with pytest.raises(KeyError, match="add_1: Invalid initializer keys"):
        AddBias(initializers={"w": tf.zeros_initializer()})
    with pytest.raises(ValueError, match="add_2: .*Cannot apply bias across the minibatch"):
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


@pytest.mark.parametrize("bias_dims", [None, [-1], [1], []])
def test_transpose_created_before_the_original_is_connected(mode, bias_dims):
    add = AddBias(bias_dims=bias_dims, initializers={"b": tf.compat.v1.ones_initializer()})
    early = add.transpose()
    x = np.random.RandomState(0).randn(2, 3, 4).astype(np.float32)
    with pytest.raises(snt.ParentNotBuiltError, match=r"add_transpose: .*Build the original"):
        early(tf.constant(x))
    assert not early.is_connected
    back = add.transpose()
    y = back(add(tf.constant(x)), multiplier=-1.0)
    assert back.b.shape == add.b.shape
    assert y.shape.as_list() == [2, 3, 4]
    # add's bias is ones; back's own bias (same initializers) is ones, times -1.
    np.testing.assert_allclose(mode.evaluate(y), x, rtol=1e-6)
    # After the original is connected, the early transposed module works too.
    z = early(tf.constant(x))
    np.testing.assert_allclose(mode.evaluate(z), x + 1.0, rtol=1e-6)


def test_transpose_checks_the_original_input_shape(mode):
    add = AddBias()
    back = add.transpose()
    add(tf.ones([2, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"add_transpose: .*\[3\]; got \[5\]"):
        back(tf.ones([2, 5]))
    assert back(tf.ones([7, 3])).shape.as_list() == [7, 3]


def test_transpose_in_tf_function(eager):
    add = AddBias()
    back = add.transpose()

    @tf.function
    def step(x):
        return back(add(x))

    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    np.testing.assert_allclose(step(x).numpy(), x.numpy())
    assert back.b.shape.as_list() == [3]


@pytest.mark.parametrize("output_shape", [(None, 3), (7, 3), [2, 3], (3,), lambda: (5, 3)])
def test_output_shape_with_or_without_the_batch_dimension(mode, output_shape):
    add = AddBias(output_shape=output_shape)
    assert add(tf.ones([2, 3])).shape.as_list() == [2, 3]


def test_output_shape_mismatch(mode):
    with pytest.raises(snt.IncompatibleShapeError, match=r"add: .*output_shape \[4\]; got \[3\]"):
        AddBias(output_shape=(2, 4))(tf.ones([2, 3]))
