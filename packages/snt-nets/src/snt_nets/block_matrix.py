"""BlockTriangularMatrix and BlockDiagonalMatrix: block matrices filled from a vector."""

from __future__ import annotations

from collections.abc import Sequence

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils


class BlockTriangularMatrix(snt.AbstractModule):
    """Lays out each row of a ``[batch, input_size]`` input as a block triangular matrix.

    The output is ``block_rows`` x ``block_rows`` blocks of ``block_shape``. Block
    row ``r`` holds its non-zero blocks side by side; the input entries fill
    that strip row by row (the strip is ``block_shape[0]`` high and as wide as
    its non-zero blocks together), taking the next entries of the input vector.
    The module has no variables.

    Example:
      >>> m = snt.BlockTriangularMatrix(block_shape=(1, 2), block_rows=2)
      >>> m.input_size  # blocks (0, 0), (1, 0) and (1, 1), two entries each
      6
      >>> m(tf.reshape(tf.range(1.0, 7.0), [1, 6])).numpy()[0]
      array([[1., 2., 0., 0.],
             [3., 4., 5., 6.]], dtype=float32)

    Args:
      block_shape: ``(height, width)`` of every block.
      block_rows: the number of block rows (and block columns).
      include_diagonal: whether the diagonal blocks hold entries (else zeros).
      include_off_diagonal: whether the blocks below (or above) the diagonal
        hold entries; when False ``upper`` does not matter.
      upper: block upper triangular instead of lower.
      name: module name.

    Raises:
      ValueError: ``include_diagonal`` and ``include_off_diagonal`` are both
        False, or a size is not positive.
      TypeError: ``block_shape`` is not two ints, or ``block_rows`` not an int.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"vector": "float"}

    def __init__(
        self,
        block_shape: Sequence[int],
        block_rows: int,
        include_diagonal: bool = True,
        include_off_diagonal: bool = True,
        upper: bool = False,
        name: str = "block_triangular_matrix",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        if not include_diagonal and not include_off_diagonal:
            raise ValueError(
                f"{where}: Arguments include_diagonal and include_off_diagonal cannot both "
                "be False (the matrix would hold no entries)."
            )
        shape = _checks.check_ints(where, "block_shape", block_shape, minimum=1)
        if len(shape) != 2:
            raise TypeError(
                f"{where}: block_shape must be two ints (height, width); got {list(shape)}."
            )
        self._block_shape = shape
        self._block_rows = _checks.check_int(where, "block_rows", block_rows, minimum=1)
        self._include_diagonal = bool(include_diagonal)
        self._include_off_diagonal = bool(include_off_diagonal)
        self._upper = bool(upper)
        self._num_blocks = sum(self._content_blocks(r) for r in range(self._block_rows))

    # Which block columns of block row ``r`` hold entries: [first, stop).
    def _content_columns(self, r: int) -> tuple[int, int]:
        n = self._block_rows
        diagonal = 0 if self._include_diagonal else 1
        if not self._include_off_diagonal:
            return r, r + 1
        if self._upper:
            return r + diagonal, n
        return 0, r + 1 - diagonal

    def _left_zero_blocks(self, r: int) -> int:
        """Zero blocks left of the entries in block row ``r``."""
        return self._content_columns(r)[0]

    def _right_zero_blocks(self, r: int) -> int:
        """Zero blocks right of the entries in block row ``r``."""
        return self._block_rows - self._content_columns(r)[1]

    def _content_blocks(self, r: int) -> int:
        """Blocks holding entries in block row ``r``."""
        first, stop = self._content_columns(r)
        return stop - first

    @property
    def num_blocks(self) -> int:
        """The number of blocks that hold entries."""
        return self._num_blocks

    @property
    def block_size(self) -> int:
        """Entries per block."""
        return self._block_shape[0] * self._block_shape[1]

    @property
    def block_shape(self) -> tuple[int, int]:
        """``(height, width)`` of a block."""
        return self._block_shape  # type: ignore[return-value]

    @property
    def output_shape(self) -> tuple[int, int]:
        """The shape of each output matrix."""
        height, width = self._block_shape
        return height * self._block_rows, width * self._block_rows

    @property
    def input_size(self) -> int:
        """The length each input vector must have."""
        return self.block_size * self.num_blocks

    def _build(self, vector: tf.Tensor) -> tf.Tensor:
        """Returns ``[batch, *output_shape]`` matrices built from ``vector``.

        Args:
          vector: ``[batch, input_size]``.

        Raises:
          IncompatibleShapeError: ``vector`` is not ``[batch, input_size]``.
        """
        vector = tf.convert_to_tensor(vector)
        shape = vector.shape
        if shape.rank != 2 or shape[1] not in (None, self.input_size):
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: expected an input of shape [batch, {self.input_size}] "
                f"(block_shape {list(self._block_shape)}, {self._num_blocks} blocks); got "
                f"{_utils.format_shape(shape.as_list() if shape.rank is not None else None)}."
            )
        batch = tf.shape(vector)[0]
        height, width = self._block_shape
        strips = []
        start = 0
        for r in range(self._block_rows):
            count = self._content_blocks(r)
            stop = start + count * self.block_size
            strip = tf.reshape(vector[:, start:stop], [batch, height, count * width])
            start = stop
            padding = [
                [0, 0],
                [0, 0],
                [self._left_zero_blocks(r) * width, self._right_zero_blocks(r) * width],
            ]
            strips.append(tf.pad(strip, padding))
        return tf.concat(strips, axis=1)


class BlockDiagonalMatrix(BlockTriangularMatrix):
    """Lays out each row of a ``[batch, input_size]`` input as a block diagonal matrix.

    The diagonal blocks are filled in order, each row by row.

    Example:
      >>> m = snt.BlockDiagonalMatrix(block_shape=(1, 2), block_rows=2)
      >>> m(tf.reshape(tf.range(1.0, 5.0), [1, 4])).numpy()[0]
      array([[1., 2., 0., 0.],
             [0., 0., 3., 4.]], dtype=float32)

    Args:
      block_shape: ``(height, width)`` of every block.
      block_rows: the number of diagonal blocks.
      name: module name.

    Raises:
      ValueError: a size is not positive.
      TypeError: ``block_shape`` is not two ints, or ``block_rows`` not an int.
    """

    def __init__(
        self,
        block_shape: Sequence[int],
        block_rows: int,
        name: str = "block_diagonal_matrix",
    ) -> None:
        super().__init__(
            block_shape=block_shape,
            block_rows=block_rows,
            include_diagonal=True,
            include_off_diagonal=False,
            name=name,
        )
