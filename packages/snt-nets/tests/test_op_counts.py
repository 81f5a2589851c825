"""Graph size: each module builds the ops Sonnet 1 built, no more (issue 22).

Every case builds a module into a fresh ``tf.Graph`` and, in another fresh
graph, a hand-written TF1 reference (``tf.compat.v1.get_variable`` plus the
maths Sonnet 1.36 did for that configuration); the two graphs must hold the
same number of ops of each type. Where a Python boolean decides a branch
(``is_training``, ``test_local_stats``, ``use_bias``, a keep probability of 1)
only that branch may be in the graph.

Known, intended differences from Sonnet 1.36 (the references below follow
this project, and say so where they do):

* ``Conv1D``/``Conv3D`` with a bias: one ``BiasAdd`` where Sonnet 1 reshaped
  the bias and added it (``Reshape`` + shape ``Const`` + ``AddV2``): same values,
  two ops fewer.
* ``MLP(use_dropout=True)`` with ``is_training=False``: no dropout ops, where
  Sonnet 1 built ``tf.nn.dropout`` with a constant keep probability of 1.
* ``BatchNormV2(fused=True)`` (its default) builds the unfused graph below,
  not ``FusedBatchNormV3``.

Op counts are graph facts, so these tests build graphs only; the values the
modules compute are tested, graph and eager, in each module's own test file.
"""

from __future__ import annotations

import math

import pytest
import tensorflow as tf

import sonnet as snt
from sonnet.mode_testing import assert_same_op_types, graph_op_types

v1 = tf.compat.v1
MOVING = [v1.GraphKeys.MOVING_AVERAGE_VARIABLES, v1.GraphKeys.GLOBAL_VARIABLES]


def placeholder(*shape: int) -> tf.Tensor:
    return v1.placeholder(tf.float32, shape)


# -- hand-written references -----------------------------------------------------------


def ref_linear(x, size: int, use_bias: bool = True, scope: str = "linear"):
    with v1.variable_scope(scope):
        fan_in = x.shape[-1]
        init = v1.truncated_normal_initializer(stddev=1 / math.sqrt(fan_in))
        w = v1.get_variable("w", [fan_in, size], initializer=init)
        out = tf.matmul(x, w)
        if use_bias:
            out += v1.get_variable("b", [size], initializer=tf.zeros_initializer())
        return out


def ref_conv(x, channels: int, kernel: int, use_bias: bool = True, scope: str = "conv"):
    """SAME padding, stride 1, channels last; the bias through ``BiasAdd`` (see above)."""
    with v1.variable_scope(scope):
        spatial = x.shape.rank - 2
        fan_in = kernel**spatial * x.shape[-1]
        init = v1.truncated_normal_initializer(stddev=1 / math.sqrt(fan_in))
        shape = [kernel] * spatial + [x.shape[-1], channels]
        out = tf.nn.convolution(x, v1.get_variable("w", shape, initializer=init), padding="SAME")
        if use_bias:
            b = v1.get_variable("b", [channels], initializer=tf.zeros_initializer())
            out = tf.nn.bias_add(out, b)
        return out


def ref_batch_norm(
    x,
    is_training: bool,
    test_local_stats: bool,
    *,
    v2: bool = False,
    scale: bool = False,
    offset: bool = True,
    collection: str | None = "update_ops",
):
    """Sonnet 1's unfused batch norm with Python flags: only the selected branch."""
    rank = x.shape.rank
    channels = x.shape[-1]
    axes = list(range(rank - 1))
    broadcast = [1] * (rank - 1) + [channels]
    stats = [channels] if v2 else broadcast
    with v1.variable_scope("batch_norm"):
        zeros, ones = tf.zeros_initializer(), tf.ones_initializer()
        moving = dict(trainable=False, collections=MOVING)
        mm = v1.get_variable("moving_mean", stats, initializer=zeros, **moving)
        mv = v1.get_variable("moving_variance", stats, initializer=ones, **moving)
        beta = v1.get_variable("beta", stats, initializer=zeros) if offset else None
        gamma = v1.get_variable("gamma", stats, initializer=ones) if scale else None
        if is_training or test_local_stats:
            mean, var = tf.nn.moments(x, axes, keepdims=True)
        else:
            mean, var = tf.identity(mm), tf.identity(mv)
        params = [mean, var, beta, gamma]
        if v2:
            params = [None if p is None else tf.reshape(p, broadcast) for p in params]
        out = tf.nn.batch_normalization(x, *params, 1e-3)
        if not is_training:
            return out
        if v2:
            mean, var = tf.reshape(mean, stats), tf.reshape(var, stats)
        updates = [v1.assign_sub(v, (v - s) * (1.0 - 0.999)) for v, s in ((mm, mean), (mv, var))]
        if collection:
            for u in updates:
                v1.add_to_collection(collection, u)
            return out
        with tf.control_dependencies(updates):
            return tf.identity(out)


# -- Linear and MLP ----------------------------------------------------------------


@pytest.mark.parametrize("use_bias", [True, False])
def test_linear(use_bias):
    assert_same_op_types(
        lambda: snt.Linear(5, use_bias=use_bias)(placeholder(2, 4)),
        lambda: ref_linear(placeholder(2, 4), 5, use_bias),
    )


def _ref_mlp(x, sizes, activate_final=False, use_bias=True, keep_prob=None):
    for i, size in enumerate(sizes):
        x = ref_linear(x, size, use_bias, scope=f"mlp/linear_{i}")
        if i < len(sizes) - 1 or activate_final:
            if keep_prob is not None and keep_prob < 1:
                x = tf.nn.dropout(x, rate=1 - keep_prob)
            x = tf.nn.relu(x)
    return x


MLP_CASES = {
    "default": ({}, {}, {}),
    "activate_final": ({"activate_final": True}, {}, {"activate_final": True}),
    "no_bias": ({"use_bias": False}, {}, {"use_bias": False}),
    "dropout_training": ({"use_dropout": True}, {}, {"keep_prob": 0.5}),
    "dropout_keep_1": ({"use_dropout": True}, {"dropout_keep_prob": 1.0}, {"keep_prob": 1.0}),
    "dropout_testing": ({"use_dropout": True}, {"is_training": False}, {}),
}


@pytest.mark.parametrize("case", sorted(MLP_CASES))
def test_mlp(case):
    ctor, call, ref = MLP_CASES[case]
    assert_same_op_types(
        lambda: snt.nets.MLP([6, 5], **ctor)(placeholder(2, 4), **call),
        lambda: _ref_mlp(placeholder(2, 4), [6, 5], **ref),
    )


# -- convolutions and ConvNet2D -------------------------------------------------------

CONVS = {1: "Conv1D", 2: "Conv2D", 3: "Conv3D"}


@pytest.mark.parametrize("spatial", sorted(CONVS))
@pytest.mark.parametrize("use_bias", [True, False])
def test_conv(spatial, use_bias):
    shape = [2] + [5] * spatial + [3]
    conv = getattr(snt, CONVS[spatial])
    assert_same_op_types(
        lambda: conv(4, 3, use_bias=use_bias)(placeholder(*shape)),
        lambda: ref_conv(placeholder(*shape), 4, 3, use_bias),
    )


def test_convnet2d():
    def ref():
        x = placeholder(2, 6, 6, 3)
        x = tf.nn.relu(ref_conv(x, 4, 3, scope="conv_net_2d/conv_2d_0"))
        return ref_conv(x, 5, 3, scope="conv_net_2d/conv_2d_1")

    assert_same_op_types(
        lambda: snt.nets.ConvNet2D([4, 5], [3], [1], [snt.SAME])(placeholder(2, 6, 6, 3)),
        ref,
    )


@pytest.mark.parametrize("is_training", [False, True])
def test_convnet2d_batch_norm(is_training):
    """BatchNorm between layers, no conv bias: the common Sonnet 1 configuration."""

    def module():
        net = snt.nets.ConvNet2D(
            [4, 5], [3], [1], [snt.SAME], normalization_ctor=snt.BatchNorm, use_bias=False
        )
        return net(placeholder(2, 6, 6, 3), is_training=is_training, test_local_stats=False)

    def ref():
        x = ref_conv(placeholder(2, 6, 6, 3), 4, 3, use_bias=False, scope="conv_0")
        x = tf.nn.relu(ref_batch_norm(x, is_training, False))
        return ref_conv(x, 5, 3, use_bias=False, scope="conv_1")

    assert_same_op_types(module, ref)


# -- BatchNorm, BatchNormV2, LayerNorm -----------------------------------------------

FLAGS = [(False, False), (False, True), (True, False), (True, True)]


@pytest.mark.parametrize("is_training,test_local_stats", FLAGS)
def test_batch_norm(is_training, test_local_stats):
    assert_same_op_types(
        lambda: snt.BatchNorm()(placeholder(2, 4, 4, 3), is_training, test_local_stats),
        lambda: ref_batch_norm(placeholder(2, 4, 4, 3), is_training, test_local_stats),
    )


@pytest.mark.parametrize("is_training,test_local_stats", FLAGS)
def test_batch_norm_scale_no_collection(is_training, test_local_stats):
    assert_same_op_types(
        lambda: snt.BatchNorm(scale=True, update_ops_collection=None)(
            placeholder(2, 3), is_training, test_local_stats
        ),
        lambda: ref_batch_norm(
            placeholder(2, 3), is_training, test_local_stats, scale=True, collection=None
        ),
    )


@pytest.mark.parametrize("is_training,test_local_stats", FLAGS)
@pytest.mark.parametrize("shape", [(2, 3), (2, 4, 4, 3)])
def test_batch_norm_v2(is_training, test_local_stats, shape):
    assert_same_op_types(
        lambda: snt.BatchNormV2(fused=False)(placeholder(*shape), is_training, test_local_stats),
        lambda: ref_batch_norm(
            placeholder(*shape), is_training, test_local_stats, v2=True, collection=None
        ),
    )


def test_batch_norm_testing_builds_no_moments():
    """The issue's case: Python False for both flags: no batch statistics at all."""
    graph = tf.Graph()
    with graph.as_default():
        snt.BatchNorm()(placeholder(2, 4, 4, 3), is_training=False, test_local_stats=False)
    types = {op.type for op in graph.get_operations()}
    assert not types & {"Mean", "SquaredDifference", "StopGradient", "AssignSub"}, types


def test_batch_norm_tensor_flag_keeps_both_branches():
    """A runtime flag still builds both branches: conds choosing at run time."""

    def build(flag):
        return lambda: snt.BatchNorm()(placeholder(2, 3), flag(), test_local_stats=False)

    dynamic = graph_op_types(build(lambda: v1.placeholder(tf.bool, [])))
    static = graph_op_types(build(lambda: False))
    conds = {"If", "StatelessIf", "Switch", "Merge"}
    assert any(dynamic[t] for t in conds), dynamic
    assert not any(static[t] for t in conds), static
    assert sum(dynamic.values()) > sum(static.values())


@pytest.mark.parametrize("kwargs", [{}, {"scale": False}, {"offset": False}])
def test_layer_norm(kwargs):
    def ref():
        x = placeholder(2, 3, 4)
        with v1.variable_scope("layer_norm"):
            gamma = beta = None
            if kwargs.get("scale", True):
                gamma = v1.get_variable("gamma", [4], initializer=tf.ones_initializer())
            if kwargs.get("offset", True):
                beta = v1.get_variable("beta", [4], initializer=tf.zeros_initializer())
            mean, var = tf.nn.moments(x, [1, 2], keepdims=True)
            return tf.nn.batch_normalization(x, mean, var, beta, gamma, 1e-5)

    assert_same_op_types(lambda: snt.LayerNorm(**kwargs)(placeholder(2, 3, 4)), ref)
