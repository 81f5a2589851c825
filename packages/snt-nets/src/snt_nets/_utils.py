"""Small helpers shared by the modules of this package (not public API)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt

#: Attributes outside ``tf.Module`` tracking (see ``snt.set_untracked``).
set_untracked = snt.set_untracked


def static_shape(tensor: Any) -> tuple[int | None, ...]:
    """The static shape of ``tensor`` as a tuple (raises on unknown rank)."""
    shape = tensor.shape
    # ``type() is``: TensorShape is an ABC, and isinstance on it runs Python code.
    if type(shape) is not tf.TensorShape:  # NumPy arrays, Python sequences' shapes
        shape = tf.TensorShape(shape)
    return tuple(shape.as_list())


def read(value: Any) -> Any:
    """A variable's value read explicitly (``value()``); anything else as it is.

    Numerically and for gradients the same as handing the variable to the op
    (its implicit conversion calls ``value()`` too, and creates the same
    ``ReadVariableOp``), but eagerly an op given a variable converts it through
    TensorFlow's generic conversion path: ~30 us per ``tf.matmul`` on the
    per-call path. Tensors (e.g. from custom getters) and partitioned variables
    are left to the op.
    """
    is_variable = _IS_VARIABLE.get(type(value))
    if is_variable is None:  # an ABC check (slow-ish) once per type
        is_variable = _IS_VARIABLE[type(value)] = isinstance(value, tf.Variable)
    return value.value() if is_variable else value


_IS_VARIABLE: dict[type, bool] = {}


def in_v1_graph() -> bool:
    """True when building a ``tf.compat.v1`` graph (not eager, not tf.function)."""
    if tf.executing_eagerly():
        return False
    return not getattr(tf.compat.v1.get_default_graph(), "building_function", False)


def format_shape(shape: Sequence[Any] | None) -> str:
    """``[2, None, 3]`` style rendering for error messages."""
    if shape is None:
        return "<unknown rank>"
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def resolve(value: Any) -> Any:
    """Calls ``value`` if it is callable (deferred settings of transposed modules)."""
    return value() if callable(value) else value


def get_variable(
    name: str,
    shape: Sequence[int],
    dtype: Any,
    initializers: dict[str, Any],
    partitioners: dict[str, Any],
    regularizers: dict[str, Any],
    default_initializer: Any = None,
    key: str | None = None,
    **kwargs: Any,
) -> Any:
    """``snt.get_variable`` with the module's dicts looked up by ``key``.

    ``snt.get_variable`` is ``tf.compat.v1.get_variable`` whose variables later
    connections replay by name (see snt-core's README).
    """
    key = name if key is None else key
    return snt.get_variable(
        name,
        shape=shape,
        dtype=dtype,
        initializer=initializers.get(key, default_initializer),
        partitioner=partitioners.get(key),
        regularizer=regularizers.get(key),
        **kwargs,
    )


def store_checked_dicts(
    module: Any,
    initializers: Any,
    partitioners: Any,
    regularizers: Any,
    keys: Any,
    partitioner_keys: Any = None,
    regularizer_keys: Any = None,
) -> None:
    """Checks the three dicts and stores them as ``_initializers`` etc.

    They are stored untracked: ``tf.Module`` would wrap them in tracking
    proxies, whose attribute access costs on every eager call.

    Raises:
      KeyError: unknown keys (the message names the module and allowed keys).
      TypeError: non-callable values.
    """
    where = module.scope_name
    set_untracked(
        module,
        _initializers=snt.check_initializers(initializers, keys, module_name=where),
        _partitioners=snt.check_partitioners(
            partitioners, keys if partitioner_keys is None else partitioner_keys, module_name=where
        ),
        _regularizers=snt.check_regularizers(
            regularizers, keys if regularizer_keys is None else regularizer_keys, module_name=where
        ),
    )
