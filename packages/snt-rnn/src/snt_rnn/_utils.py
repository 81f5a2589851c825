"""Small helpers shared by the cores (variable creation, input checks)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt


def linear_initializer(fan_in: int, dtype: Any = tf.float32) -> Any:
    """Sonnet 1's default weight initializer: truncated normal, stddev ``1/sqrt(fan_in)``."""
    return tf.compat.v1.truncated_normal_initializer(
        stddev=1.0 / math.sqrt(fan_in), dtype=tf.as_dtype(dtype).base_dtype
    )


def get_variable(
    name: str,
    shape: Any,
    dtype: Any,
    initializers: Mapping[str, Any],
    partitioners: Mapping[str, Any],
    regularizers: Mapping[str, Any],
    default_initializer: Any = None,
) -> tf.Variable:
    """``snt.get_variable`` with the per-key initializer, partitioner and regularizer.

    ``snt.get_variable`` is ``tf.compat.v1.get_variable`` that also lets eager
    reconnections skip the template (snt-core's eager fast path).
    """
    return snt.get_variable(
        name,
        shape=shape,
        dtype=dtype,
        initializer=initializers.get(name, default_initializer),
        partitioner=partitioners.get(name),
        regularizer=regularizers.get(name),
    )


def set_untracked(obj: Any, **values: Any) -> None:
    """Sets attributes without ``tf.Module`` tracking them (per-connection state)."""
    for key, value in values.items():
        object.__setattr__(obj, key, value)


def check_input_size(
    module: snt.AbstractModule, inputs: tf.Tensor, attr: str = "_input_size"
) -> int:
    """Checks ``inputs`` is ``[batch, size]`` with a known size, the same on every connection.

    Returns:
      The input size.

    Raises:
      IncompatibleShapeError: the rank is not 2, or the size differs from the
        first connection's.
      UnderspecifiedError: the size is unknown.
    """
    shape = inputs.shape
    if shape.rank != 2:
        raise snt.IncompatibleShapeError(
            f"{module.scope_name}: {type(module).__name__} expects inputs of rank 2 "
            f"[batch_size, input_size]; got shape {shape}."
        )
    size = shape[-1]
    if size is None:
        raise snt.UnderspecifiedError(
            f"{module.scope_name}: the input size (last dimension) must be known; got shape "
            f"{shape}."
        )
    previous = getattr(module, attr, None)
    if previous is not None and previous != size:
        raise snt.IncompatibleShapeError(
            f"{module.scope_name}: input size must stay {previous} (from the first "
            f"connection); got {size} in shape {shape}."
        )
    set_untracked(module, **{attr: size})
    return size


def check_state(module: snt.AbstractModule, prev_state: Any, expected: Any) -> None:
    """Checks ``prev_state`` has the structure of ``expected`` (the state_size).

    Raises:
      ValueError: the structures differ.
    """
    try:
        tf.nest.assert_same_structure(prev_state, expected, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{module.scope_name}: prev_state must have the structure of state_size "
            f"{expected!r}; got {type(prev_state).__name__}: {prev_state!r}."
        ) from e


def unpack_pair(module: snt.AbstractModule, prev_state: Any, expected: str) -> tuple[Any, Any]:
    """Returns the two tensors of a 2-tuple state.

    Raises:
      ValueError: ``prev_state`` is not a pair.
    """
    if not isinstance(prev_state, (tuple, list)) or len(prev_state) != 2:
        raise ValueError(
            f"{module.scope_name}: prev_state must be {expected}; got "
            f"{type(prev_state).__name__}: {prev_state!r}."
        )
    return prev_state[0], prev_state[1]


def ensure_connected(module: snt.AbstractModule) -> None:
    """Raises NotConnectedError naming ``module`` before its first connection."""
    if not module.is_connected:
        raise snt.NotConnectedError(
            f"{module.scope_name}: {type(module).__name__} not connected yet; call it on "
            "inputs and a state first (its variables are created by the first connection)."
        )
