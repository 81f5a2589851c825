"""Small helpers shared by the cores (variable creation, input checks)."""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt


def linear_initializer(fan_in: int, dtype: Any = tf.float32) -> Any:
    """Sonnet 1's default weight initializer: truncated normal, stddev ``1/sqrt(fan_in)``."""
    return _truncated_normal(1.0 / math.sqrt(fan_in), tf.as_dtype(dtype).base_dtype)


@functools.lru_cache(maxsize=256)
def _truncated_normal(stddev: float, dtype: tf.DType) -> Any:
    # Unseeded initializers are stateless: one per (stddev, dtype) serves every
    # module, and cores stop building one on every (eager) step.
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    initializer = tf.compat.v1.truncated_normal_initializer(stddev=stddev)
    # What the constructor's ``dtype=`` would set, without TensorFlow's deprecation warning.
    initializer.dtype = dtype
    return initializer


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

    ``snt.get_variable`` is ``tf.compat.v1.get_variable`` whose variables later
    connections replay by name (see snt-core's README).
    """
    return snt.get_variable(
        name,
        shape=shape,
        dtype=dtype,
        initializer=initializers.get(name, default_initializer),
        partitioner=partitioners.get(name),
        regularizer=regularizers.get(name),
    )


def read(value: Any) -> Any:
    """A variable's value read explicitly (``value()``); anything else as it is.

    The same op (``ReadVariableOp``), value and gradient as handing the variable
    to the op, whose implicit conversion calls ``value()`` too; eagerly that
    conversion goes through TensorFlow's generic path (~30 us a ``tf.matmul``).
    Tensors (e.g. from custom getters) and partitioned variables are left to the op.
    """
    is_variable = _IS_VARIABLE.get(type(value))
    if is_variable is None:  # an ABC check (slow-ish) once per type
        is_variable = _IS_VARIABLE[type(value)] = isinstance(value, tf.Variable)
    return value.value() if is_variable else value


_IS_VARIABLE: dict[type, bool] = {}


#: Attributes outside ``tf.Module`` tracking (see ``snt.set_untracked``).
set_untracked = snt.set_untracked


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
    shape = tf.TensorShape(inputs.shape)  # NumPy arrays have a tuple shape
    if shape.rank != 2:
        raise snt.IncompatibleShapeError(
            f"{module.scope_name}: {type(module).__name__} expects inputs of rank 2 "
            f"[batch_size, input_size]; got shape {shape}."
        )
    size = shape.as_list()[1]
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
    if previous is None:
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


def check_positive_int(module: snt.AbstractModule, label: str, value: Any) -> int:
    """Checks a size argument (``hidden_size``, ``num_layers``...) is an int >= 1.

    Raises:
      TypeError: ``value`` is not an int (bools are not sizes).
      ValueError: ``value`` is smaller than 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{module.scope_name}: {label} must be a positive int; got "
            f"{type(value).__name__}: {value!r}."
        )
    if value < 1:
        raise ValueError(f"{module.scope_name}: {label} must be a positive int; got {value}.")
    return int(value)


def batch_dim(inputs: Any) -> int | None:
    """The static batch size (axis 0) of the first tensor in ``inputs``, if known."""
    flat = tf.nest.flatten(inputs)
    shape = getattr(flat[0], "shape", None) if flat else None
    if shape is None or tf.TensorShape(shape).rank is None or tf.TensorShape(shape).rank < 1:
        return None
    return tf.TensorShape(shape)[0]


def _as_shape(size: Any) -> tf.TensorShape:
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        return tf.TensorShape([int(size)])
    return tf.TensorShape(size)


def _matches_exactly(state: Any, size: Any, batch_size: int | None) -> bool:
    """Whether ``state`` has the static shape ``[batch_size] + size`` (no unknown dims).

    Runs on every step of every core, so it avoids building ``TensorShape``s;
    anything else (unknown dims, non-tensors, mismatches) takes the full check.
    """
    shape: Any = getattr(state, "shape", None)
    # ``type() is``: TensorShape is an ABC, and isinstance on it runs Python code.
    if type(shape) is not tf.TensorShape or shape.rank is None:
        return False
    dims = shape.as_list()
    if isinstance(size, int):
        if dims[1:] != [size]:
            return False
    elif not isinstance(size, tf.TensorShape) or size.rank is None or dims[1:] != size.as_list():
        return False
    return dims[0] is not None and (batch_size is None or dims[0] == batch_size)


def check_state_shapes(
    module: snt.AbstractModule,
    prev_state: Any,
    state_size: Any,
    batch_size: int | None = None,
    what: str = "prev_state",
) -> None:
    """Checks ``prev_state`` has the structure of ``state_size`` and shapes ``[batch] + size``.

    Args:
      module: the module the error messages name.
      prev_state: the state the module was given.
      state_size: its ``state_size`` (nested ``tf.TensorShape``s or ints).
      batch_size: the inputs' batch size, when statically known; every state
        tensor must have it (and all must agree in any case).
      what: how the messages call ``prev_state``.

    Raises:
      ValueError: the structures differ.
      TypeError: a state entry is not a tensor (or convertible to one).
      IncompatibleShapeError: a state tensor is not ``[batch_size] + size``.
    """
    if (
        isinstance(prev_state, tuple)
        and type(state_size) is tuple
        and len(prev_state) == len(state_size)
    ):
        # The common case, checked without tf.nest: a flat tuple of tensors
        # (e.g. LSTMState) against a tuple of int sizes.
        exact = True
        for state, size in zip(prev_state, state_size, strict=True):
            exact = type(size) is int and _matches_exactly(state, size, batch_size)
            if not exact:
                break
            if batch_size is None:
                batch_size = state.shape[0]
        if exact:
            return
    try:
        tf.nest.assert_same_structure(prev_state, state_size, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{module.scope_name}: {what} must have the structure of state_size "
            f"{state_size!r}; got {type(prev_state).__name__}: {prev_state!r}."
        ) from e
    flat_state = tf.nest.flatten(prev_state)
    for index, (state, size) in enumerate(
        zip(flat_state, tf.nest.flatten(state_size), strict=True)
    ):
        if _matches_exactly(state, size, batch_size):  # the common case, checked cheaply
            if batch_size is None:
                batch_size = state.shape[0]
            continue
        shape = getattr(state, "shape", None)
        if shape is None:
            try:
                shape = tf.convert_to_tensor(state).shape
            except (TypeError, ValueError) as e:
                raise TypeError(
                    f"{module.scope_name}: {what} must hold tensors; entry {index} is "
                    f"{type(state).__name__}: {state!r}."
                ) from e
        expected = tf.TensorShape([batch_size]).concatenate(_as_shape(size))
        if not tf.TensorShape(shape).is_compatible_with(expected):
            where = f"{what}" if len(flat_state) == 1 else f"{what} entry {index}"
            raise snt.IncompatibleShapeError(
                f"{module.scope_name}: {where} must have shape {expected} ([batch_size] + "
                f"state size {_as_shape(size).as_list()}); got {tf.TensorShape(shape)}."
            )
        shape = tf.TensorShape(shape)
        if batch_size is None and shape.rank:
            batch_size = shape[0]
