"""SliceByDim and TileByDim: slice or tile along chosen dimensions."""

from __future__ import annotations

from collections.abc import Sequence

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils


def _check_lists(
    where: str, dims: Sequence[int], other: Sequence[int], what: str, minimum: int
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    dims = _checks.check_ints(where, "dims", dims)
    other = _checks.check_ints(where, what, other, minimum=minimum)
    if not dims:
        raise ValueError(f"{where}: dims must not be empty.")
    if len(set(dims)) != len(dims):
        raise ValueError(f"{where}: dims must not have any repeated integers; got {list(dims)}.")
    if len(dims) != len(other):
        raise ValueError(
            f"{where}: {what} must have the same length as dims: {len(dims)}. Got {len(other)} "
            f"entries: {list(other)}."
        )
    return dims, other


def _check_rank(where: str, inputs: tf.Tensor, dims: Sequence[int]) -> tuple[int, ...]:
    """``dims`` in ``[0, rank)``.

    Raises:
      ValueError: the input's rank is too small for a dim.
      IncompatibleShapeError: two dims name the same dimension.
    """
    shape = _utils.static_shape(inputs)
    needed = max(d + 1 if d >= 0 else -d for d in dims)
    if needed > len(shape):
        raise ValueError(
            f"{where}: Rank of inputs must be at least {needed} for dims {list(dims)}; got "
            f"shape {_utils.format_shape(shape)}."
        )
    return _checks.normalize_dims(where, "dims", dims, shape)


class SliceByDim(snt.AbstractModule):
    """Slices ``size[i]`` elements from ``begin[i]`` along each ``dims[i]``.

    Example:
      >>> snt.SliceByDim(dims=[1], begin=[1], size=[2])(tf.zeros([4, 5])).shape
      TensorShape([4, 2])

    Args:
      dims: the dimensions to slice (negative ones count from the end).
      begin: where each slice starts (>= 0).
      size: each slice's size (>= 0), or -1 for everything from ``begin`` on.
      name: module name.

    Raises:
      TypeError: ``dims``, ``begin`` or ``size`` is not a sequence of ints.
      ValueError: they differ in length, ``dims`` is empty or repeats, a
        ``begin`` is negative or a ``size`` below -1.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "tensor"}

    def __init__(
        self,
        dims: Sequence[int],
        begin: Sequence[int],
        size: Sequence[int],
        name: str = "slice_by_dim",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        dims, begin = _check_lists(where, dims, begin, "begin", minimum=0)
        dims, size = _check_lists(where, dims, size, "size", minimum=-1)
        self._dims, self._begin, self._size = dims, begin, size

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Slices ``inputs``.

        Raises:
          ValueError: the input's rank is too small for a dim.
          IncompatibleShapeError: two dims name the same dimension, or a slice
            ends beyond a known dimension.
        """
        shape = _utils.static_shape(inputs)
        dims = _check_rank(self.scope_name, inputs, self._dims)
        begin, size = [0] * len(shape), [-1] * len(shape)
        for dim, b, s in zip(dims, self._begin, self._size, strict=True):
            extent = shape[dim]
            if extent is not None and (b > extent or (s != -1 and b + s > extent)):
                end = "the end" if s == -1 else b + s
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: the slice from {b} to {end} of dimension {dim} does "
                    f"not fit its size {extent} (shape {_utils.format_shape(shape)})."
                )
            begin[dim], size[dim] = b, s
        return tf.slice(inputs, begin, size)


class TileByDim(snt.AbstractModule):
    """Tiles ``multiples[i]`` times along each ``dims[i]``.

    Example:
      >>> snt.TileByDim(dims=[1], multiples=[3])(tf.zeros([4, 5])).shape
      TensorShape([4, 15])

    Args:
      dims: the dimensions to tile (negative ones count from the end).
      multiples: how many times to repeat each (>= 0).
      name: module name.

    Raises:
      TypeError: ``dims`` or ``multiples`` is not a sequence of ints.
      ValueError: they differ in length, ``dims`` is empty or repeats, or a
        multiple is negative.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "tensor"}

    def __init__(
        self, dims: Sequence[int], multiples: Sequence[int], name: str = "tile_by_dim"
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        self._dims, self._multiples = _check_lists(where, dims, multiples, "multiples", minimum=0)

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Tiles ``inputs``.

        Raises:
          ValueError: the input's rank is too small for a dim.
          IncompatibleShapeError: two dims name the same dimension.
        """
        dims = _check_rank(self.scope_name, inputs, self._dims)
        multiples = [1] * len(_utils.static_shape(inputs))
        for dim, m in zip(dims, self._multiples, strict=True):
            multiples[dim] = m
        return tf.tile(inputs, multiples)
