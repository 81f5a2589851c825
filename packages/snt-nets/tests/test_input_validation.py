"""Bad arguments and inputs raise documented errors naming the module.

Found by the property-based hardening tests
(tests/integration/hardening/property_cases_nets_layers.py): before, these
raised raw TensorFlow errors, IndexError or TypeError without the module's
name, or nothing at all (a silently wrong shape).
"""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.add_bias import AddBias, calculate_bias_shape
from snt_nets.batch_apply import BatchApply
from snt_nets.batch_norm import BatchNorm
from snt_nets.batch_norm_v2 import BatchNormV2
from snt_nets.batch_reshape import BatchFlatten, FlattenTrailingDimensions
from snt_nets.concat_linear import ConcatLinear
from snt_nets.embed import Embed
from snt_nets.linear import Linear
from snt_nets.merge_dims import MergeDims
from snt_nets.sequential import Sequential
from snt_nets.slice_tile import SliceByDim, TileByDim
from snt_nets.trainable_variable import TrainableVariable

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


# SliceByDim / TileByDim


@pytest.mark.parametrize(("begin", "size"), [(4, -1), (6, -1), (0, 4), (2, 2), (5, 1)])
def test_slice_beyond_the_dimension(mode, begin, size):
    # Eagerly this was an InvalidArgumentError; in graph mode a wrong static shape.
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_slice: the slice from .* dimension 1"):
        SliceByDim([1], [begin], [size], name="m_slice")(tf.constant(X))


def test_slice_up_to_the_end_is_fine(mode):
    out = SliceByDim([1, -1], [3, 1], [0, -1], name="m_slice")(tf.constant(X))
    assert out.shape.as_list() == [2, 0, 3]
    out = SliceByDim([-2], [1], [-1])(tf.constant(X))
    np.testing.assert_array_equal(mode.evaluate(out), X[:, 1:])


@pytest.mark.parametrize(
    ("dims", "begin", "size", "error", "match"),
    [
        ([1], [-1], [1], ValueError, "begin must all be >= 0"),
        ([1], [0], [-2], ValueError, "size must all be >= -1"),
        ([1], [0.5], [1], TypeError, "begin must be a sequence of ints"),
        ([1.0], [0], [1], TypeError, "dims must be a sequence of ints"),
        ([None], [0], [1], TypeError, "dims must be a sequence of ints"),
        (1, [0], [1], TypeError, "dims must be a sequence of ints; got int"),
        ([], [], [], ValueError, "dims must not be empty"),
    ],
)
def test_slice_arguments(mode, dims, begin, size, error, match):
    with pytest.raises(error, match=f"m_slice: {match}"):
        SliceByDim(dims, begin, size, name="m_slice")


@pytest.mark.parametrize(
    ("dims", "error", "match"),
    [
        ([-4], ValueError, r"Rank of inputs must be at least 4 for dims \[-4\]"),
        ([3], ValueError, r"Rank of inputs must be at least 4 for dims \[3\]"),
        ([1, -2], snt.IncompatibleShapeError, "dims .*same dim"),
    ],
)
def test_slice_and_tile_dims_against_the_rank(mode, dims, error, match):
    # -4 was an IndexError; [1, -2] an aliasing TensorFlow could not report.
    with pytest.raises(error, match=f"m_slice: {match}"):
        SliceByDim(dims, [0] * len(dims), [1] * len(dims), name="m_slice")(tf.constant(X))
    with pytest.raises(error, match=f"m_tile: {match}"):
        TileByDim(dims, [2] * len(dims), name="m_tile")(tf.constant(X))


@pytest.mark.parametrize(
    ("multiples", "error", "match"),
    [
        ([-1], ValueError, "multiples must all be >= 0"),
        ([2.5], TypeError, "multiples must be a sequence of ints"),
        (["2"], TypeError, "multiples must be a sequence of ints"),
    ],
)
def test_tile_multiples(mode, multiples, error, match):
    # -1 was an InvalidArgumentError eagerly and an unknown dimension in graph mode.
    with pytest.raises(error, match=f"m_tile: {match}"):
        TileByDim([1], multiples, name="m_tile")


def test_tile_negative_dim(mode):
    out = TileByDim([-1], [2])(tf.constant(X))
    np.testing.assert_array_equal(mode.evaluate(out), np.tile(X, [1, 1, 2]))


# AddBias


@pytest.mark.parametrize("bias_dims", [[3], [5], [-4], [1, 4]])
def test_add_bias_dims_beyond_the_rank(mode, bias_dims):
    # These wrapped around (3 -> 0 raised about the batch dimension, 5 -> 2 silently).
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_add: bias_dims .* \[-3, 3\)"):
        AddBias(bias_dims=bias_dims, name="m_add")(tf.constant(X))


def test_calculate_bias_shape_checks_the_range():
    with pytest.raises(ValueError, match=r"bias_dims \[5\] must be in \[-3, 3\)"):
        calculate_bias_shape((2, 3, 4), [5])
    assert calculate_bias_shape((2, 3, 4), [-1, 1]) == (3, 4)


@pytest.mark.parametrize("bias_dims", [["1"], [1.0], 1, [None]])
def test_add_bias_dims_type(mode, bias_dims):
    with pytest.raises(TypeError, match="m_add: bias_dims must be a sequence of ints"):
        AddBias(bias_dims=bias_dims, name="m_add")


# ConcatLinear


def test_concat_linear_inputs(mode):
    mod = ConcatLinear(2, name="m_cat")
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_cat: .* one batch size.*\[2, 3\]"):
        mod([tf.ones([2, 3]), tf.ones([3, 1])])
    # A fresh module: the input policy keeps the dtype of a module's first call.
    with pytest.raises(TypeError, match=r"m_mixed: the inputs must share one dtype"):
        ConcatLinear(2, name="m_mixed")([tf.ones([2, 3]), tf.ones([2, 1], tf.float64)])
    with pytest.raises(TypeError, match=r"m_cat: inputs_list must be a list or tuple"):
        mod(tf.ones([2, 3]))
    assert mod((tf.ones([2, 3]), np.ones([2, 1], np.float32))).shape.as_list() == [2, 2]


# TrainableVariable, Embed, MergeDims, BatchFlatten, Sequential


def test_constructor_argument_types(mode):
    with pytest.raises(TypeError, match="m_var: shape must be a sequence .*got int"):
        TrainableVariable(3, name="m_var")
    with pytest.raises(TypeError, match="m_dtype: dtype must be a TensorFlow dtype"):
        TrainableVariable([2], dtype="floaty", name="m_dtype")
    with pytest.raises(TypeError, match="m_merge: start must be an int"):
        MergeDims(1.5, 2, name="m_merge")
    with pytest.raises(TypeError, match="m_size: size must be an int"):
        MergeDims(0, "2", name="m_size")
    with pytest.raises(TypeError, match="m_flat: preserve_dims must be an int"):
        BatchFlatten("1", name="m_flat")
    with pytest.raises(TypeError, match="m_from: dim_from must be an int"):
        FlattenTrailingDimensions(1.5, name="m_from")
    with pytest.raises(TypeError, match="m_seq: layers must be an iterable of callables"):
        Sequential(None, name="m_seq")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"vocab_size": 0}, ValueError, "vocab_size must be >= 1; got 0"),
        ({"vocab_size": -2, "embed_dim": 3}, ValueError, "vocab_size must be >= 1"),
        ({"vocab_size": 3, "embed_dim": 0}, ValueError, "embed_dim must be >= 1"),
        ({"vocab_size": "3"}, TypeError, "vocab_size must be an int"),
        ({"vocab_size": 3, "embed_dim": 2.5}, TypeError, "embed_dim must be an int"),
    ],
)
def test_embed_sizes(mode, kwargs, error, match):
    # These were accepted, and failed (or not) later in TensorFlow.
    with pytest.raises(error, match=f"m_embed: {match}"):
        Embed(name="m_embed", **kwargs)


def test_embed_numpy_sizes(mode):
    embed = Embed(np.int64(4), np.int32(2))
    assert embed(tf.constant([0, 3])).shape.as_list() == [2, 2]


# BatchApply


@pytest.mark.parametrize(("n_dims", "shape"), [(3, [2, 4]), (2, [4]), (2, [])])
def test_batch_apply_example_rank(mode, n_dims, shape):
    # Was a reshape error from TensorFlow (or Linear's, naming only the Linear).
    with pytest.raises(snt.IncompatibleShapeError, match=f"m_apply: .*n_dims={n_dims}"):
        BatchApply(Linear(3), n_dims=n_dims, name="m_apply")(tf.ones(shape))


def test_batch_apply_outputs_that_cannot_be_split(mode):
    error = tf.errors.InvalidArgumentError if mode.eager else ValueError
    apply = BatchApply(tf.reduce_sum, name="m_apply")
    with pytest.raises(error, match=r"m_apply: .*got shape \[\]"):
        apply(tf.constant(X))
    apply = BatchApply(lambda x: x[:1], name="m_apply_1")
    with pytest.raises(error, match=r"m_apply_1: .* 6 first.*\[1, 4\]"):
        apply(tf.constant(X))


def test_batch_apply_argument_types(mode):
    with pytest.raises(TypeError, match="m_apply: n_dims must be an int"):
        BatchApply(tf.identity, n_dims=2.5, name="m_apply")
    with pytest.raises(TypeError, match="m_apply_1: input_example_index must be an int"):
        BatchApply(tf.identity, input_example_index="0", name="m_apply_1")
    with pytest.raises(TypeError, match="m_apply_2: the input at input_example_index 0 .*float"):
        BatchApply(tf.identity, name="m_apply_2")(2.0)


# BatchNorm / BatchNormV2


@pytest.mark.parametrize(("axis", "shape"), [([1, -1], [2, 3]), ([0, -3], [2, 3, 4])])
def test_batch_norm_aliased_axis(mode, axis, shape):
    # Was an InvalidArgumentError eagerly ("duplicate dimension"), accepted in graph mode.
    # Negative entries are refused outright, as in Sonnet 1.
    with pytest.raises(snt.IncompatibleShapeError, match="m_bn: Indices in axis must be non-neg"):
        BatchNorm(axis=axis, name="m_bn")(tf.ones(shape), is_training=True)


@pytest.mark.parametrize("axis", [0, "0", [0.5], [None]])
def test_batch_norm_axis_type(mode, axis):
    with pytest.raises(TypeError, match="m_bn: axis must be a sequence of ints"):
        BatchNorm(axis=axis, name="m_bn")


@pytest.mark.parametrize("module", [BatchNorm, BatchNormV2])
@pytest.mark.parametrize("dtype", [tf.int32, tf.bool])
def test_batch_norm_needs_floats(mode, module, dtype):
    # Refused by core's input policy, before the module runs.
    match = f"m_bn: input_batch must be floating point; got {dtype.name}"
    with pytest.raises(TypeError, match=match):
        module(name="m_bn")(tf.ones([2, 3], dtype), is_training=False)


@pytest.mark.parametrize("flag", [None, "yes", 2, -1, 2.5, [True], tf.float32])
@pytest.mark.parametrize("which", ["is_training", "test_local_stats"])
def test_batch_norm_flags(mode, which, flag):
    kwargs = {"is_training": False, which: flag}
    with pytest.raises(TypeError, match=rf"m_bn: {which} must be a bool \(or 0/1\) or a boolean"):
        BatchNorm(name="m_bn")(tf.ones([2, 3]), **kwargs)


def test_batch_norm_flags_accepted(mode):
    bn = BatchNorm(name="m_bn", eps=1.0)
    outs = [
        bn(tf.constant(X[0]), is_training=np.bool_(False), test_local_stats=np.array(True)),
        bn(tf.constant(X[0]), is_training=tf.constant(False), test_local_stats=False),
        bn(tf.constant(X[0]), is_training=0, test_local_stats=1),  # Sonnet 1 took 0 and 1
    ]
    assert [o.shape.as_list() for o in outs] == [[3, 4], [3, 4], [3, 4]]
    mode.evaluate(outs)
