"""ConcatLinear, TrainableVariable, SelectInput, MergeDims, SliceByDim, TileByDim."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.concat_linear import ConcatLinear
from snt_nets.merge_dims import MergeDims
from snt_nets.select_input import SelectInput
from snt_nets.slice_tile import SliceByDim, TileByDim
from snt_nets.trainable_variable import TrainableVariable

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


def test_concat_linear(mode, check_trains):
    mod = ConcatLinear(3)
    rng = np.random.RandomState(0)
    a, b = rng.randn(2, 4).astype(np.float32), rng.randn(2, 1).astype(np.float32)
    y = mod([tf.constant(a), tf.constant(b)])
    mod([tf.constant(a), tf.constant(b)])
    assert [(v.name, v.shape.as_list()) for v in mod.get_variables()] == [
        ("concat_linear/linear/b:0", [3]),
        ("concat_linear/linear/w:0", [4, 3]),
        ("concat_linear/linear_1/w:0", [1, 3]),
    ]
    assert [layer.scope_name for layer in mod.layers] == [
        "concat_linear/linear",
        "concat_linear/linear_1",
    ]
    bias, w0, w1 = mode.evaluate(list(mod.get_variables()))
    np.testing.assert_allclose(mode.evaluate(y), a @ w0 + b @ w1 + bias, rtol=1e-5, atol=1e-6)
    check_trains(
        mode,
        lambda: tf.reduce_mean(tf.square(mod([tf.constant(a), tf.constant(b)]))),
        lambda: mod.variables,
    )


def test_concat_linear_initializes_each_weight_for_its_input_size(graph):
    # Sonnet 1's reason for ConcatLinear: w_i ~ stddev 1/sqrt(input_size_i).
    mod = ConcatLinear(200, use_bias=False)
    mod([tf.ones([1, 4]), tf.ones([1, 400])])
    w0, w1 = graph.evaluate(list(mod.get_variables()))
    assert abs(w0.std() * np.sqrt(4) - 0.88) < 0.1  # truncated normal: ~0.88 stddev
    assert abs(w1.std() * np.sqrt(400) - 0.88) < 0.05


def test_concat_linear_dicts_go_to_every_layer(mode):
    ones = tf.compat.v1.ones_initializer()
    mod = ConcatLinear(2, initializers={"w": ones, "b": ones})
    y = mod([tf.ones([1, 3]), tf.ones([1, 2]), tf.ones([1, 1])])
    np.testing.assert_allclose(mode.evaluate(y), [[7.0, 7.0]])  # 3 + 2 + 1 + bias 1
    assert len(mod.variables) == 4
    with pytest.raises(KeyError, match="concat_linear_1: Invalid initializer keys"):
        ConcatLinear(2, use_bias=False, initializers={"b": ones})


def test_concat_linear_in_tf_function(eager):
    mod = ConcatLinear(3)
    step = tf.function(lambda a, b: mod([a, b]))
    a, b = tf.ones([2, 4]), tf.ones([2, 1])
    np.testing.assert_allclose(step(a, b).numpy(), mod([a, b]).numpy(), rtol=1e-6)
    step(tf.ones([5, 4]), tf.ones([5, 1]))
    assert len(mod.variables) == 3


def test_concat_linear_errors(eager):
    mod = ConcatLinear(3)
    with pytest.raises(snt.IncompatibleShapeError, match="concat_linear: every input .* input 1"):
        mod([tf.ones([2, 3]), tf.ones([2, 3, 1])])
    with pytest.raises(snt.IncompatibleShapeError, match="concat_linear: inputs_list must not"):
        mod([])
    mod([tf.ones([2, 3])])
    with pytest.raises(snt.IncompatibleShapeError, match="concat_linear: .*hold 1 tensors.*got 2"):
        mod([tf.ones([2, 3]), tf.ones([2, 1])])
    with pytest.raises(snt.IncompatibleShapeError, match="concat_linear/linear: input size"):
        mod([tf.ones([2, 4])])


def test_trainable_variable(mode, check_trains):
    var = TrainableVariable([2, 3], initializers={"w": tf.compat.v1.ones_initializer()})
    out = var()
    var()
    assert [(v.name, v.shape.as_list()) for v in var.get_variables()] == [
        ("trainable_variable/w:0", [2, 3])
    ]
    np.testing.assert_allclose(mode.evaluate(out), np.ones([2, 3]))
    check_trains(mode, lambda: tf.reduce_sum(tf.square(var())), lambda: var.variables)


def test_trainable_variable_errors(eager):
    with pytest.raises(ValueError, match=r"trainable_variable: shape must be .*\[2, -1\]"):
        TrainableVariable([2, -1])
    with pytest.raises(KeyError, match="trainable_variable_1: Invalid initializer keys"):
        TrainableVariable([2], initializers={"b": tf.zeros_initializer()})
    with pytest.raises(snt.NotConnectedError, match="trainable_variable_2"):
        _ = TrainableVariable([2]).w


def test_select_input(mode):
    a, b, c = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)
    assert mode.evaluate(SelectInput(1)(a, b, c)) == 2.0
    out = SelectInput([2, [0, 1]])(a, b, c)
    assert isinstance(out, tuple) and isinstance(out[1], tuple)  # lists become tuples
    assert mode.evaluate(out) == (3.0, (1.0, 2.0))
    assert mode.evaluate(SelectInput((0, 0))(a)) == (1.0, 1.0)
    assert mode.evaluate(SelectInput({"x": 1, "y": [2]})(a, b, c)) == {"x": 2.0, "y": (3.0,)}
    with pytest.raises(
        TypeError, match=r"select_input_4: `idx` should be a \(nested\) array/tuple, or an int"
    ):
        SelectInput("a")
    with pytest.raises(TypeError, match=r"select_input_5: `idx` should be"):
        SelectInput(0.5)
    with pytest.raises(ValueError, match="select_input_6: idx values must be non-negative"):
        SelectInput([-1])
    with pytest.raises(
        ValueError,
        match=r"select_input_7: `idx` contains out of bound entries \(they should be in the "
        r"range \[0, 2\)\)",
    ):
        SelectInput([3])(a, b)


def test_select_input_outputs_new_tensors(graph):
    ph = tf.compat.v1.placeholder(tf.float32, [2])
    out = SelectInput(0)(ph)
    assert out is not ph  # fetchable while ph is fed
    np.testing.assert_array_equal(graph.evaluate(out, {ph: [1.0, 2.0]}), [1.0, 2.0])


def test_merge_dims(mode):
    out = MergeDims(start=1, size=2)(tf.constant(X))
    np.testing.assert_array_equal(mode.evaluate(out), X.reshape(2, 12))
    nested = MergeDims(0, 2)({"a": tf.constant(X), "b": (tf.ones([2, 2]),)})
    assert nested["a"].shape.as_list() == [6, 4] and nested["b"][0].shape.as_list() == [4]
    with pytest.raises(ValueError, match="merge_dims_2: `size` should be strictly greater than 1"):
        MergeDims(0, 1)
    with pytest.raises(ValueError, match="merge_dims_3: merging 3 dimensions from start=-2 runs"):
        MergeDims(-2, 3)
    with pytest.raises(ValueError, match="merge_dims_4: Rank of inputs must be at least 4 to"):
        MergeDims(1, 3)(tf.constant(X))
    with pytest.raises(ValueError, match="merge_dims_5: Rank of inputs must be at least 4 .*-4"):
        MergeDims(-4, 2)(tf.constant(X))


@pytest.mark.parametrize(("start", "expected"), [(-3, (6, 4)), (-2, (2, 12)), (-4, (6, 4, 5))])
def test_merge_dims_negative_start(mode, start, expected):
    x = X if len(expected) == 2 else np.arange(120, dtype=np.float32).reshape(2, 3, 4, 5)
    out = MergeDims(start=start, size=2)(tf.constant(x))
    assert out.shape.as_list() == list(expected)
    np.testing.assert_array_equal(mode.evaluate(out), x.reshape(expected))


def test_merge_dims_dynamic(graph):
    ph = tf.compat.v1.placeholder(tf.float32, [None, 3, 4])
    out = MergeDims(1, 2)(ph)
    assert out.shape.as_list() == [None, 12]
    assert graph.evaluate(out, {ph: X}).shape == (2, 12)


def test_slice_and_tile(mode):
    sliced = SliceByDim(dims=[1, 2], begin=[1, 0], size=[2, 3])(tf.constant(X))
    np.testing.assert_array_equal(mode.evaluate(sliced), X[:, 1:3, 0:3])
    tiled = TileByDim(dims=[0, 2], multiples=[2, 3])(tf.constant(X))
    np.testing.assert_array_equal(mode.evaluate(tiled), np.tile(X, [2, 1, 3]))


def test_slice_and_tile_errors(eager):
    with pytest.raises(
        ValueError, match="slice_by_dim: begin must have the same length as dims: 1"
    ):
        SliceByDim([1], [0, 1], [1])
    with pytest.raises(ValueError, match="slice_by_dim_1: size must have the same length as dims"):
        SliceByDim([1], [0], [1, 1])
    with pytest.raises(ValueError, match="slice_by_dim_2: dims must not have any repeated"):
        SliceByDim([1, 1], [0, 0], [1, 1])
    with pytest.raises(ValueError, match="tile_by_dim: multiples must have the same length as"):
        TileByDim([1], [1, 2])
    with pytest.raises(ValueError, match="tile_by_dim_1: dims must not have any repeated"):
        TileByDim([0, 0, 1], [1, 2, 3])
    with pytest.raises(ValueError, match=r"slice_by_dim_3: Rank of inputs must be at least 4"):
        SliceByDim([3], [0], [1])(tf.constant(X))
    with pytest.raises(ValueError, match=r"tile_by_dim_2: Rank of inputs must be at least 6"):
        TileByDim([5], [2])(tf.constant(X))
