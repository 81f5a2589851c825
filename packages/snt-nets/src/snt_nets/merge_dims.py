"""MergeDims: merges ``size`` consecutive dimensions starting at ``start``."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils


class MergeDims(snt.AbstractModule):
    """Merges dimensions ``start`` to ``start + size - 1`` into one (on nested inputs too).

    Example:
      >>> snt.MergeDims(start=1, size=2)(tf.zeros([2, 3, 4, 5])).shape
      TensorShape([2, 12, 5])

    Args:
      start: the first merged dimension; a negative one counts from the end
        of each input's shape.
      size: how many dimensions to merge (>= 2).
      name: module name.

    Raises:
      TypeError: ``start`` or ``size`` is not an int.
      ValueError: ``size < 2``, or a negative ``start`` leaves fewer than
        ``size`` dimensions.
    """

    def __init__(self, start: int, size: int, name: str = "merge_dims") -> None:
        super().__init__(name=name)
        where = self.scope_name
        start = _checks.check_int(where, "start", start)
        size = _checks.check_int(where, "size", size)
        if size <= 1:
            raise ValueError(
                f"{where}: `size` should be strictly greater than 1 (at least two dimensions "
                f"to merge); got {size}."
            )
        if start < 0 and start + size > 0:
            raise ValueError(
                f"{where}: merging {size} dimensions from start={start} runs past the last "
                f"dimension (a negative start leaves {-start})."
            )
        self._start, self._size = start, size

    def _merge(self, tensor: Any) -> tf.Tensor:
        tensor = tf.convert_to_tensor(tensor)
        shape = _utils.static_shape(tensor)
        rank = len(shape)
        start = self._start + rank if self._start < 0 else self._start
        end = start + self._size
        if start < 0 or rank < end:
            # A negative start fits any rank >= -start (size <= -start is checked above).
            needed = end if self._start >= 0 else -self._start
            raise ValueError(
                f"{self.scope_name}: Rank of inputs must be at least {needed} to merge "
                f"{self._size} dimensions from start={self._start}; got shape "
                f"{_utils.format_shape(shape)}."
            )
        merged = shape[start:end]
        if None not in shape:
            new = [*shape[:start], int(np.prod(merged)), *shape[end:]]
            return tf.reshape(tensor, new)
        dynamic = tf.shape(tensor)
        new = tf.concat(
            [
                dynamic[:start],
                tf.reduce_prod(dynamic[start:end], keepdims=True),
                dynamic[end:],
            ],
            0,
        )
        out = tf.reshape(tensor, new)
        known = None if None in merged else int(np.prod(merged))
        out.set_shape([*shape[:start], known, *shape[end:]])
        return out

    def _build(self, inputs: Any) -> Any:
        """Merges the dimensions of every tensor in ``inputs``.

        Raises:
          ValueError: a tensor's rank is too small for ``start`` and ``size``.
          TypeError: a leaf of ``inputs`` is not a tensor (None, a string...).
        """
        _checks.check_graph_tensors(self.scope_name, "inputs", inputs)
        if _is_numbers(inputs):  # a (nested) list of numbers is one tensor
            inputs = tf.convert_to_tensor(inputs)
        return tf.nest.map_structure(self._merge_leaf, inputs)

    def _merge_leaf(self, leaf: Any) -> Any:
        if isinstance(leaf, np.ndarray) and leaf.dtype.kind in "biufc":
            leaf = tf.convert_to_tensor(leaf)
        elif not tf.is_tensor(leaf):
            raise TypeError(
                f"{self.scope_name}: inputs must be a tensor, a NumPy array, a (nested) list "
                f"of numbers or a nested structure of tensors; got a {type(leaf).__name__} "
                f"in it: {leaf!r:.60}"
            )
        return self._merge(leaf)


def _is_numbers(value: Any) -> bool:
    """A (nested) list or tuple whose leaves are all Python numbers (not bools)."""
    if isinstance(value, list | tuple) and value and not hasattr(value, "_fields"):
        return all(_is_numbers(v) for v in value)
    return isinstance(value, numbers.Number) and not isinstance(value, bool)
