"""The batch normalizations inside ``BatchNormLSTM``: statistics per step, moving averages."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import batch_norm_utils

#: Constants of the inner batch normalizations (Sonnet 1's ``BatchNorm`` defaults).
_EPS = 1e-3
_DECAY = 0.999


def normalize(
    scope: str,
    x: tf.Tensor,
    index: Any,
    sets: int,
    is_training: Any,
    test_local_stats: Any,
) -> tf.Tensor:
    """``(x - mean) / sqrt(variance + eps)`` over the batch, with moving averages.

    Args:
      scope: variable scope of the statistics (``batch_norm_h``...).
      x: ``[batch, n]``.
      index: which of the ``sets`` sets of statistics this step uses (an int32
        scalar tensor), or None for the only one.
      sets: how many sets of statistics there are (``max_unique_stats``).
      is_training: bool or boolean tensor: use the batch statistics and move
        the current set towards them.
      test_local_stats: when not training, use the batch statistics anyway.
    """
    stats_shape = [1, x.shape[-1]]
    collections = [
        tf.compat.v1.GraphKeys.MOVING_AVERAGE_VARIABLES,
        tf.compat.v1.GraphKeys.GLOBAL_VARIABLES,
    ]
    moving = []
    with tf.compat.v1.variable_scope(scope):
        for k in range(sets):
            with tf.compat.v1.variable_scope("batch_norm" if k == 0 else f"batch_norm_{k}"):
                moving.append(
                    tuple(
                        snt.get_variable(
                            stat,
                            stats_shape,
                            x.dtype,
                            initializer=init,
                            trainable=False,
                            collections=collections,
                        )
                        for stat, init in (
                            ("moving_mean", tf.compat.v1.zeros_initializer()),
                            ("moving_variance", tf.compat.v1.ones_initializer()),
                        )
                    )
                )
    if index is None:
        current = tuple(tf.convert_to_tensor(v) for v in moving[0])
    else:
        current = tuple(
            tf.gather(tf.stack([tf.convert_to_tensor(pair[n]) for pair in moving]), index)
            for n in range(2)
        )
    batch_stats = tf.nn.moments(x, axes=[0], keepdims=True)
    mean, variance = batch_norm_utils.select_statistics(
        is_training, test_local_stats, batch_stats, current
    )
    outputs = (x - mean) * tf.math.rsqrt(variance + _EPS)
    return _update(outputs, moving, index, is_training, batch_stats)


def _update(
    outputs: tf.Tensor,
    moving: list[tuple[Any, Any]],
    index: Any,
    is_training: Any,
    batch_stats: tuple[tf.Tensor, tf.Tensor],
) -> tf.Tensor:
    """Moves the statistics of set ``index`` towards the batch's when training."""
    if batch_norm_utils.static_bool(is_training) is False:
        return outputs

    def update() -> list[tf.Tensor]:
        ops = []
        for k, pair in enumerate(moving):
            rate = 1.0 - _DECAY
            if index is not None:  # only the current set moves
                rate = rate * tf.cast(tf.equal(index, k), outputs.dtype)
            for var, stat in zip(pair, batch_stats, strict=True):
                ops.append(tf.convert_to_tensor(tf.compat.v1.assign_sub(var, (var - stat) * rate)))
        return ops

    def keep() -> list[tf.Tensor]:
        return [tf.convert_to_tensor(var) for pair in moving for var in pair]

    updates = batch_norm_utils.smart_cond(is_training, update, keep)
    if tf.executing_eagerly():
        return outputs
    graph = tf.compat.v1.get_default_graph()
    if not getattr(graph, "building_function", False) and not _in_v1_loop(graph):
        for op in updates:
            tf.compat.v1.add_to_collection(tf.compat.v1.GraphKeys.UPDATE_OPS, op)
        return outputs
    # In a function or loop body: make sure the updates run with the step.
    with tf.control_dependencies(updates):
        return tf.identity(outputs)


def _in_v1_loop(graph: tf.Graph) -> bool:
    """True inside a control-flow-v1 ``while_loop`` body of ``graph``."""
    get_context = getattr(graph, "_get_control_flow_context", None)
    return get_context is not None and get_context() is not None
