"""Argument checks shared by the shape modules (not public API).

Every error names the module (``where``), what was expected and what came.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils


def is_int(value: Any) -> bool:
    """A Python or NumPy integer, not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(where: str, what: str, value: Any, minimum: int | None = None) -> int:
    """``value`` as an int.

    Raises:
      TypeError: ``value`` is not an integer.
      ValueError: ``value < minimum``.
    """
    if not is_int(value):
        raise TypeError(f"{where}: {what} must be an int; got {type(value).__name__}: {value!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{where}: {what} must be >= {minimum}; got {value}.")
    return int(value)


def check_size(where: str, what: str, value: Any) -> Any:
    """An output size: an int >= 1 (not a bool), or a callable returning one later.

    Raises:
      TypeError: neither an integer nor a callable.
      ValueError: an integer below 1 (a layer of no units computes nothing).
    """
    if callable(value):
        return value
    if not is_int(value):
        raise TypeError(
            f"{where}: {what} must be a positive int (or a callable returning one); got "
            f"{type(value).__name__}: {value!r}."
        )
    if value < 1:
        raise ValueError(f"{where}: {what} must be a positive int; got {value}.")
    return int(value)


def check_graph_tensors(where: str, what: str, structure: Any) -> None:
    """Checks no tensor in ``structure`` is eager when a ``tf.compat.v1`` graph is built.

    Raises:
      TypeError: an eager tensor given to a connection that builds a graph (the
        input policy's words, for arguments it does not see: nests, ``*args``).
    """
    if not _utils.in_v1_graph():
        return
    for leaf in tf.nest.flatten(structure):
        if isinstance(leaf, tf.Tensor) and getattr(leaf, "graph", None) is None:
            raise TypeError(
                f"{where}: {what} holds an eager tensor, but the module is being connected "
                "into a graph; build the input in that graph (a placeholder, tf.constant, a "
                "dataset)."
            )


def check_rate(where: str, what: str, value: Any, upper_inclusive: bool = True) -> Any:
    """A number in ``[0, 1]`` (``[0, 1)`` without ``upper_inclusive``); tensors pass unchecked.

    Raises:
      TypeError: neither a real number nor a tensor.
      ValueError: a number outside the interval.
    """
    if tf.is_tensor(value):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{where}: {what} must be a number (or a tensor); got "
            f"{type(value).__name__}: {value!r}."
        )
    if not (0.0 <= value <= 1.0 if upper_inclusive else 0.0 <= value < 1.0):
        interval = "[0, 1]" if upper_inclusive else "[0, 1)"
        raise ValueError(f"{where}: {what} must be in {interval}; got {value!r}.")
    return value


def check_ints(where: str, what: str, values: Any, minimum: int | None = None) -> tuple[int, ...]:
    """``values`` (a sequence of ints) as a tuple.

    Raises:
      TypeError: ``values`` is not a sequence, or holds a non-integer.
      ValueError: an entry is below ``minimum``.
    """
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise TypeError(
            f"{where}: {what} must be a sequence of ints; got {type(values).__name__}: {values!r}."
        )
    values = tuple(values)
    if not all(is_int(v) for v in values):
        raise TypeError(f"{where}: {what} must be a sequence of ints; got {list(values)!r}.")
    if minimum is not None and any(v < minimum for v in values):
        raise ValueError(f"{where}: {what} must all be >= {minimum}; got {list(values)}.")
    return tuple(int(v) for v in values)


def normalize_dims(
    where: str, what: str, dims: Sequence[int], shape: Sequence[int | None]
) -> tuple[int, ...]:
    """``dims`` in ``[0, rank)`` (negative ones count from the end).

    Raises:
      IncompatibleShapeError: a dim outside ``[-rank, rank)``, or two dims
        naming the same dimension.
    """
    rank = len(shape)
    if any(not -rank <= d < rank for d in dims):
        raise snt.IncompatibleShapeError(
            f"{where}: {what} {list(dims)} must be in [{-rank}, {rank}) for inputs of rank "
            f"{rank}; got shape {_utils.format_shape(shape)}."
        )
    normalized = tuple(d % rank for d in dims)
    if len(set(normalized)) != len(normalized):
        raise snt.IncompatibleShapeError(
            f"{where}: {what} {list(dims)} name the same dimension twice for inputs of rank "
            f"{rank} (shape {_utils.format_shape(shape)})."
        )
    return normalized
