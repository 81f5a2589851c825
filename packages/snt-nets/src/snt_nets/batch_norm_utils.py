"""Moving-average bookkeeping shared by BatchNorm, BatchNormV2 and snt-rnn's BatchNormLSTM.

Part of snt-nets' public, versioned API for other plugins (snt-rnn and
snt-transpose build on it; see the README's "Public modules"): the names in
``__all__`` keep their signatures and behaviour within a minor release.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

__all__ = ["static_bool", "smart_cond", "select_statistics", "update_moving_averages"]

# The function graphs TF2 control flow (tf.cond / tf.while_loop) builds branches
# and loop bodies in; they take their caller's way of running stateful ops.
_CONTROL_FLOW_GRAPHS = frozenset(
    {"CondBranchFuncGraph", "WhileCondFuncGraph", "WhileBodyFuncGraph"}
)


def _v1_graph_for_updates() -> Any:
    """The ``tf.compat.v1`` graph that owns update ops built here, or None.

    None eagerly and inside ``tf.function`` (stateful ops run by themselves).
    Inside a TF2 ``tf.cond``/``tf.while_loop`` branch of a ``tf.compat.v1``
    graph, the outer graph: its collections are the ones users read, and
    nothing runs a branch's update op unless the output depends on it.
    """
    if tf.executing_eagerly():
        return None
    graph = tf.compat.v1.get_default_graph()
    while type(graph).__name__ in _CONTROL_FLOW_GRAPHS:
        graph = graph.outer_graph
    return None if getattr(graph, "building_function", False) else graph


def static_bool(value: Any) -> bool | None:
    """``value`` as a Python bool if it is known now, else None (a runtime tensor)."""
    if isinstance(value, bool):
        return value
    static = tf.get_static_value(value)
    return None if static is None else bool(static)


def smart_cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """``tf.cond`` unless ``pred`` is known now, then just the chosen branch."""
    static = static_bool(pred)
    if static is None:
        return tf.cond(tf.convert_to_tensor(pred, tf.bool), true_fn, false_fn)
    return true_fn() if static else false_fn()


def select_statistics(
    is_training: Any,
    test_local_stats: Any,
    batch_stats: tuple[tf.Tensor, tf.Tensor] | Callable[[], tuple[tf.Tensor, tf.Tensor]],
    moving: tuple[Any, Any] | Callable[[], tuple[tf.Tensor, tf.Tensor]],
) -> tuple[tf.Tensor, tf.Tensor]:
    """Batch statistics when training or ``test_local_stats``, else the moving ones.

    ``batch_stats`` and ``moving`` are ``(mean, variance)`` pairs or zero-argument
    callables returning them. Callables are only called for the branch that can
    be taken: when both flags are Python booleans (or constant tensors), the
    graph holds only that branch's ops (as in Sonnet 1), e.g. no batch moments
    for ``is_training=False, test_local_stats=False``; when either is a runtime
    tensor, both branches are built inside a ``tf.cond``.
    """
    training, local = static_bool(is_training), static_bool(test_local_stats)
    if training is not None and local is not None:
        use_batch: Any = training or local
    elif training is True or local is True:
        use_batch = True
    else:
        use_batch = tf.logical_or(
            tf.convert_to_tensor(is_training, tf.bool),
            tf.convert_to_tensor(test_local_stats, tf.bool),
        )

    def batch_fn() -> tuple[tf.Tensor, tf.Tensor]:
        return batch_stats() if callable(batch_stats) else batch_stats

    def moving_fn() -> tuple[tf.Tensor, tf.Tensor]:
        if callable(moving):
            return moving()
        return tf.convert_to_tensor(moving[0]), tf.convert_to_tensor(moving[1])

    return smart_cond(use_batch, batch_fn, moving_fn)


def update_moving_averages(
    outputs: tf.Tensor,
    is_training: Any,
    moving: tuple[Any, Any],
    batch_stats: tuple[tf.Tensor, tf.Tensor],
    decay_rate: float,
    update_ops_collection: str | None,
) -> tf.Tensor:
    """Moves the moving mean/variance towards the batch statistics when training.

    Eagerly and inside ``tf.function`` the variables are updated right away.
    In ``tf.compat.v1`` graph mode the update ops go to
    ``update_ops_collection`` (of the outer graph when built inside a
    ``tf.cond`` branch: running them from there fails, as in Sonnet 1), or, if
    that is None, ``outputs`` is made to depend on them. Returns ``outputs``
    (possibly with that dependency).
    """
    training = static_bool(is_training)
    if training is False:
        return outputs

    def assign(var: Any, stat: tf.Tensor) -> Any:
        return tf.compat.v1.assign_sub(var, (var - tf.cast(stat, var.dtype)) * (1.0 - decay_rate))

    if training is True:  # only the update ops: no cond, no read-back of the new values
        updates: Any = [assign(var, stat) for var, stat in zip(moving, batch_stats, strict=True)]
        graph = _v1_graph_for_updates()
        if graph is None:
            return outputs
        updates = [getattr(u, "op", u) for u in updates]
    else:

        def update() -> tuple[tf.Tensor, tf.Tensor]:
            return tuple(
                tf.convert_to_tensor(assign(var, stat))
                for var, stat in zip(moving, batch_stats, strict=True)
            )

        def keep() -> tuple[tf.Tensor, tf.Tensor]:
            return tuple(tf.convert_to_tensor(var) for var in moving)

        updates = smart_cond(is_training, update, keep)
        graph = _v1_graph_for_updates()
        if graph is None:
            return outputs
    if update_ops_collection is not None:
        for op in updates:
            graph.add_to_collection(update_ops_collection, op)
        return outputs
    with tf.control_dependencies(updates):
        return tf.identity(outputs)
