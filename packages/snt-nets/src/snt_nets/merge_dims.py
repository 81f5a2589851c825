"""MergeDims: merges ``size`` consecutive dimensions starting at ``start``."""

from __future__ import annotations

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
      start: the first merged dimension (>= 0).
      size: how many dimensions to merge (>= 2).
      name: module name.

    Raises:
      TypeError: ``start`` or ``size`` is not an int.
      ValueError: ``start < 0`` or ``size < 2``.
    """

    def __init__(self, start: int, size: int, name: str = "merge_dims") -> None:
        super().__init__(name=name)
        where = self.scope_name
        start = _checks.check_int(where, "start", start, minimum=0)
        size = _checks.check_int(where, "size", size, minimum=2)
        self._start, self._size = start, size

    def _merge(self, tensor: Any) -> tf.Tensor:
        tensor = tf.convert_to_tensor(tensor)
        shape = _utils.static_shape(tensor)
        end = self._start + self._size
        if len(shape) < end:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: merging dimensions {self._start}..{end - 1} needs rank >= "
                f"{end}; got shape {_utils.format_shape(shape)}."
            )
        merged = shape[self._start : end]
        if None not in shape:
            new = [*shape[: self._start], int(np.prod(merged)), *shape[end:]]
            return tf.reshape(tensor, new)
        dynamic = tf.shape(tensor)
        new = tf.concat(
            [
                dynamic[: self._start],
                tf.reduce_prod(dynamic[self._start : end], keepdims=True),
                dynamic[end:],
            ],
            0,
        )
        out = tf.reshape(tensor, new)
        known = None if None in merged else int(np.prod(merged))
        out.set_shape([*shape[: self._start], known, *shape[end:]])
        return out

    def _build(self, inputs: Any) -> Any:
        """Merges the dimensions of every tensor in ``inputs``.

        Raises:
          IncompatibleShapeError: a tensor's rank is below ``start + size``.
        """
        return tf.nest.map_structure(self._merge, inputs)
