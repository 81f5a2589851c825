import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.linear import Linear


def test_names_shapes_and_numerics(mode):
    lin = Linear(3)
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    y = lin(tf.constant(x))
    assert [(v.name, v.shape.as_list()) for v in lin.get_variables()] == [
        ("linear/b:0", [3]),
        ("linear/w:0", [4, 3]),
    ]
    w, b, out = mode.evaluate([lin.w, lin.b, y])
    np.testing.assert_allclose(out, x @ w + b, rtol=1e-5)
    assert np.abs(w).max() <= 2.0 / np.sqrt(4) + 1e-6  # truncated normal, stddev 1/sqrt(4)
    np.testing.assert_array_equal(b, 0)
    assert lin.input_shape == (2, 4)
    assert lin.output_size == 3 and lin.has_bias


def test_shares_variables_across_connections(mode):
    lin = Linear(3)
    a = lin(tf.ones([2, 4]))
    b = lin(tf.ones([5, 4]))
    assert len(lin.variables) == 2
    out_a, out_b = mode.evaluate([a, b])
    np.testing.assert_allclose(out_a[0], out_b[0])


def test_placeholder_batch(graph):
    lin = Linear(2)
    x = tf.compat.v1.placeholder(tf.float32, [None, 3])
    y = lin(x)
    assert y.shape.as_list() == [None, 2]
    assert graph.evaluate(y, {x: np.ones([4, 3])}).shape == (4, 2)


def test_no_bias_and_initializers(mode):
    lin = Linear(2, use_bias=False, initializers={"w": tf.compat.v1.ones_initializer()})
    y = lin(tf.ones([1, 3]))
    assert [v.name for v in lin.variables] == ["linear/w:0"]
    np.testing.assert_allclose(mode.evaluate(y), [[3.0, 3.0]])
    with pytest.raises(
        AttributeError, match="linear: No bias Variable in Linear Module when `use_bias=False`"
    ):
        _ = lin.b


def test_trains(mode, check_trains):
    lin = Linear(2)
    x = tf.constant(np.random.RandomState(0).randn(4, 3).astype(np.float32))
    check_trains(mode, lambda: tf.reduce_mean(tf.square(lin(x) - 1.0)), lambda: lin.variables)


def test_allow_many_batch_dims(mode):
    lin = Linear(2, allow_many_batch_dims=True)
    x = np.random.RandomState(1).randn(2, 3, 4).astype(np.float32)
    y = lin(tf.constant(x))
    assert y.shape.as_list() == [2, 3, 2]
    w, b, out = mode.evaluate([lin.w, lin.b, y])
    np.testing.assert_allclose(out, x @ w + b, rtol=1e-5, atol=1e-6)


def test_rank_error(eager):
    lin = Linear(2)
    with pytest.raises(snt.IncompatibleShapeError, match=r"linear: .*rank 2.*\[2, 3, 4\]"):
        lin(tf.ones([2, 3, 4]))


def test_reconnect_with_other_input_size_raises(mode):
    lin = Linear(2)
    lin(tf.ones([1, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match="linear: input size must stay 3.*got 5"):
        lin(tf.ones([1, 5]))


def test_unknown_input_size_raises(graph):
    lin = Linear(2)
    with pytest.raises(
        snt.IncompatibleShapeError, match="linear: Input size must be specified at module build"
    ):
        lin(tf.compat.v1.placeholder(tf.float32, [None, None]))


def test_integer_inputs_with_a_given_weight_initializer(mode):
    lin = Linear(3, initializers={"w": tf.compat.v1.ones_initializer()})
    x = np.arange(8, dtype=np.int32).reshape(2, 4)
    y = lin(tf.constant(x))
    assert lin.w.dtype.base_dtype == tf.int32 and lin.b.dtype.base_dtype == tf.int32
    assert y.dtype == tf.int32
    np.testing.assert_array_equal(mode.evaluate(y), x @ np.ones([4, 3], np.int32))


def test_integer_inputs_need_a_weight_initializer(mode):
    with pytest.raises(ValueError, match="linear: Expected floating point type .*int32"):
        Linear(3)(tf.ones([2, 4], tf.int32))
    with pytest.raises(ValueError, match="linear_1: Expected floating point type .*int64"):
        Linear(3)(np.ones([2, 4], np.int64))


def test_numpy_inputs(mode):
    lin = Linear(3)
    x = np.random.RandomState(0).randn(2, 4).astype(np.float32)
    y = lin(x)
    w, b, out = mode.evaluate([lin.w, lin.b, y])
    np.testing.assert_allclose(out, x @ w + b, rtol=1e-5, atol=1e-6)


def test_unknown_initializer_key(eager):
    with pytest.raises(KeyError, match="linear: Invalid initializer keys"):
        Linear(2, initializers={"x": tf.zeros_initializer()})
    with pytest.raises(KeyError, match=r"linear_\d: Invalid partitioner keys"):
        Linear(2, use_bias=False, partitioners={"b": tf.compat.v1.fixed_size_partitioner(2)})
    with pytest.raises(KeyError, match=r"linear_\d: Invalid regularizer keys"):
        Linear(2, regularizers={"q": snt.regularizers.l2(1.0)})


def test_not_connected_errors(eager):
    lin = Linear(2)
    for attr in ("input_shape", "w", "b"):
        with pytest.raises(snt.NotConnectedError, match="Variables in linear not instantiated"):
            getattr(lin, attr)


def test_transpose_defers_output_size(mode):
    lin = Linear(2)
    back = lin.transpose()
    assert back.module_name == "linear_transpose"
    y = back(lin(tf.ones([3, 5])))
    assert y.shape.as_list() == [3, 5]
    assert back.w.shape.as_list() == [2, 5]
    assert back.transpose().output_size == 2


def test_transpose_before_connection_raises_on_use(eager):
    lin = Linear(2)
    back = lin.transpose(name="back")
    with pytest.raises(snt.NotConnectedError, match="Variables in linear not instantiated"):
        back(tf.ones([1, 2]))


def test_clone(mode):
    lin = Linear(4, use_bias=False)
    clone = lin.clone()
    assert clone.module_name == "linear_clone"
    clone(tf.ones([1, 2]))
    assert [v.name for v in clone.variables] == ["linear_clone/w:0"]
    assert clone.output_size == 4 and not clone.has_bias


def test_regularizers_graph_collection(graph):
    lin = Linear(2, regularizers={"w": snt.regularizers.l2(0.5)})
    lin(tf.ones([1, 3]))
    losses = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 1


def test_regularizers_eager(eager):
    lin = Linear(2, regularizers={"w": snt.regularizers.l2(0.5)})
    lin(tf.ones([1, 3]))
    (loss,) = lin.get_regularization_losses()
    np.testing.assert_allclose(loss.numpy(), 0.25 * np.sum(lin.w.numpy() ** 2), rtol=1e-5)


def test_partitioners(graph):
    lin = Linear(4, partitioners={"w": tf.compat.v1.fixed_size_partitioner(2)})
    y = lin(tf.ones([1, 3]))
    assert graph.evaluate(y).shape == (1, 4)
    assert sorted(v.name for v in lin.get_variables()) == [
        "linear/b:0",
        "linear/w/part_0:0",
        "linear/w/part_1:0",
    ]


def test_tf_function_parity(eager):
    lin = Linear(3)
    x = tf.ones([2, 4])
    expected = lin(x)
    np.testing.assert_allclose(tf.function(lin)(x).numpy(), expected.numpy())
    assert len(lin.variables) == 2


def test_custom_getter(mode):
    def double(getter, *args, **kwargs):
        return 2.0 * getter(*args, **kwargs)

    lin = Linear(
        1, use_bias=False, initializers={"w": tf.compat.v1.ones_initializer()}, custom_getter=double
    )
    np.testing.assert_allclose(mode.evaluate(lin(tf.ones([1, 2]))), [[4.0]])
