"""SliceByDim and TileByDim: slice or tile along chosen dimensions."""

from __future__ import annotations

from collections.abc import Sequence

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils


def _check_lists(where: str, dims: Sequence[int], other: Sequence[int], what: str) -> None:
    if len(dims) != len(other):
        raise ValueError(
            f"{where}: dims and {what} must have the same length; got {len(dims)} and {len(other)}."
        )
    if len(set(dims)) != len(dims):
        raise ValueError(f"{where}: dims must not repeat; got {list(dims)}.")


def _check_rank(where: str, inputs: tf.Tensor, dims: Sequence[int]) -> int:
    rank = len(_utils.static_shape(inputs))
    if max(dims) >= rank:
        raise snt.IncompatibleShapeError(
            f"{where}: dims {list(dims)} need rank > {max(dims)}; got shape "
            f"{_utils.format_shape(_utils.static_shape(inputs))}."
        )
    return rank


class SliceByDim(snt.AbstractModule):
    """Slices ``size[i]`` elements from ``begin[i]`` along each ``dims[i]``.

    Example:
      >>> snt.SliceByDim(dims=[1], begin=[1], size=[2])(tf.zeros([4, 5])).shape
      TensorShape([4, 2])

    Raises:
      ValueError: ``dims``, ``begin`` and ``size`` differ in length or ``dims`` repeats.
    """

    def __init__(
        self,
        dims: Sequence[int],
        begin: Sequence[int],
        size: Sequence[int],
        name: str = "slice_by_dim",
    ) -> None:
        super().__init__(name=name)
        _check_lists(self.scope_name, dims, begin, "begin")
        _check_lists(self.scope_name, dims, size, "size")
        self._dims, self._begin, self._size = tuple(dims), tuple(begin), tuple(size)

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Slices ``inputs``. Raises IncompatibleShapeError if a dim exceeds the rank."""
        rank = _check_rank(self.scope_name, inputs, self._dims)
        begin, size = [0] * rank, [-1] * rank
        for dim, b, s in zip(self._dims, self._begin, self._size, strict=True):
            begin[dim], size[dim] = b, s
        return tf.slice(inputs, begin, size)


class TileByDim(snt.AbstractModule):
    """Tiles ``multiples[i]`` times along each ``dims[i]``.

    Example:
      >>> snt.TileByDim(dims=[1], multiples=[3])(tf.zeros([4, 5])).shape
      TensorShape([4, 15])

    Raises:
      ValueError: ``dims`` and ``multiples`` differ in length or ``dims`` repeats.
    """

    def __init__(
        self, dims: Sequence[int], multiples: Sequence[int], name: str = "tile_by_dim"
    ) -> None:
        super().__init__(name=name)
        _check_lists(self.scope_name, dims, multiples, "multiples")
        self._dims, self._multiples = tuple(dims), tuple(multiples)

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Tiles ``inputs``. Raises IncompatibleShapeError if a dim exceeds the rank."""
        rank = _check_rank(self.scope_name, inputs, self._dims)
        multiples = [1] * rank
        for dim, m in zip(self._dims, self._multiples, strict=True):
            multiples[dim] = m
        return tf.tile(inputs, multiples)
