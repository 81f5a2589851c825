"""AffineGridWarper: warps a reference grid by batches of (partly fixed) affine transforms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets import _utils
from snt_nets.affine_warp_constraints import AffineWarpConstraints
from snt_nets.grid_warper import GridWarper


def _reference_grid(output_shape: Sequence[int], num_dim: int) -> np.ndarray:
    """Homogeneous coordinates in ``[-1, 1]`` of the output grid: ``[num_dim + 1, points]``.

    Row ``k < len(output_shape)`` is the coordinate along output axis
    ``-1 - k`` (x, the last axis, first). The points are ordered as
    ``np.meshgrid(*axes, indexing="xy")`` of the reversed axes lays them out
    (Sonnet 1's order; for 2-D outputs it is row-major over ``[H, W]``).
    Missing dimensions (``num_dim > len(output_shape)``) get zero rows; the
    last row is ones.
    """
    axes = [np.linspace(-1.0, 1.0, size) for size in reversed(output_shape)]
    rows = [coords.reshape(-1) for coords in np.meshgrid(*axes, indexing="xy")]
    points = rows[0].size
    rows += [np.zeros(points)] * (num_dim - len(output_shape))
    rows.append(np.ones(points))
    return np.stack(rows)


class AffineGridWarper(GridWarper):
    """Maps each row of affine parameters to a grid of source-domain coordinates.

    A reference grid spans the output domain with coordinates in ``[-1, 1]``;
    each input row supplies the free entries (row-major) of an
    ``N x (N + 1)`` affine matrix ``A`` (N = ``len(source_shape)``), the
    constraints the fixed ones. A grid point ``p`` (homogeneous, x first)
    becomes ``s * (A @ p) + s`` with ``s_k = (source_shape[-1 - k] - 1) / 2``:
    pixel coordinates of the source, x (the last axis) first. The identity
    matrix maps the grid onto the source's pixel centres. No variables.

    Example:
      >>> warper = snt.AffineGridWarper(source_shape=[3, 3], output_shape=[2, 2])
      >>> identity = tf.constant([[1.0, 0.0, 0.0, 0.0, 1.0, 0.0]])
      >>> warper(identity).numpy()[0].tolist()
      [[[0.0, 0.0], [2.0, 0.0]], [[0.0, 2.0], [2.0, 2.0]]]

    Args:
      source_shape: the size of the source domain, e.g. ``[H, W]``.
      output_shape: the size of the output grid (at most as many dimensions).
      constraints: an ``AffineWarpConstraints``, or the nested list to build
        one from (``None`` = free); default: every entry free.
      name: module name.

    Raises:
      Error: the constraints fix every entry, or their dimensionality is not
        ``len(source_shape)``, or ``output_shape`` has more dimensions than
        ``source_shape``.
      TypeError: a shape is not a sequence of ints, or ``constraints`` is not
        a nested iterable.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    def __init__(
        self,
        source_shape: Iterable[int],
        output_shape: Iterable[int],
        constraints: AffineWarpConstraints | Iterable[Iterable[Any]] | None = None,
        name: str = "affine_grid_warper",
    ) -> None:
        source_shape = tuple(source_shape) if isinstance(source_shape, Iterable) else source_shape
        num_dim = len(source_shape) if isinstance(source_shape, tuple) else 0
        super().__init__(
            source_shape=source_shape,
            output_shape=output_shape,
            num_coeff=num_dim * (num_dim + 1),
            name=name,
            constraints=constraints,
        )

    def _create_features(self, constraints: Any) -> np.ndarray:
        """Checks ``constraints`` and returns the reference grid (see :attr:`psi`)."""
        where = self.scope_name
        num_dim = len(self.source_shape)
        if constraints is None:
            constraints = AffineWarpConstraints.no_constraints(num_dim)
        elif not isinstance(constraints, AffineWarpConstraints):
            constraints = AffineWarpConstraints(constraints)
        if constraints.num_free_params == 0:
            raise snt.Error(
                f"{where}: Transformation is fully constrained (the input would give no parameter)."
            )
        if constraints.num_dim != num_dim:
            raise snt.Error(
                f"{where}: Incompatible set of constraints provided: input grid shape and "
                f"constraints have different dimensionality ({num_dim} and "
                f"{constraints.num_dim})."
            )
        _utils.set_untracked(self, _constraints=constraints)
        return _reference_grid(self.output_shape, num_dim)

    @property
    def constraints(self) -> AffineWarpConstraints:
        return self._constraints

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Returns the warped grids, ``[batch, *output_shape, len(source_shape)]``.

        Args:
          inputs: ``[batch, constraints.num_free_params]`` floating-point parameters.

        Raises:
          Error: ``inputs`` does not have ``num_free_params`` columns.
        """
        inputs = self._checked_parameters(inputs)
        num_dim = len(self.source_shape)
        matrix = tf.reshape(self._full_matrix(inputs), [-1, num_dim, num_dim + 1])
        grid = tf.constant(self._psi, dtype=inputs.dtype)
        warped = tf.einsum("bij,jp->bpi", matrix, grid)  # [batch, points, num_dim]
        half = np.array([(size - 1) * 0.5 for size in reversed(self.source_shape)])
        half = tf.constant(half, dtype=inputs.dtype)
        warped = warped * half + half
        return tf.reshape(warped, [-1, *self.output_shape, num_dim])

    def _checked_parameters(self, inputs: Any) -> tf.Tensor:
        """``inputs`` as a tensor, checked to be ``[batch, num_free_params]`` floats.

        Raises:
          Error: the shape is wrong.
          TypeError: the dtype is not floating point.
        """
        inputs = tf.convert_to_tensor(inputs)
        expected = self._constraints.num_free_params
        shape = inputs.shape
        if shape.rank != 2 or shape[1] != expected:
            got = shape.as_list() if shape.rank is not None else "unknown rank"
            raise snt.Error(
                f"{self.scope_name}: Input size is not consistent with constraint definition: "
                f"{expected} parameters expected, {got} provided (shape [batch, {expected}])."
            )
        if not inputs.dtype.is_floating:
            raise TypeError(
                f"{self.scope_name}: expected floating-point parameters; got "
                f"{inputs.dtype.base_dtype.name}."
            )
        return inputs

    def _full_matrix(self, inputs: tf.Tensor) -> tf.Tensor:
        """``[batch, N * (N + 1)]``: the free entries from ``inputs``, the fixed ones filled in."""
        ones = tf.ones_like(inputs[:, :1])
        columns, index = [], 0
        for value in self._constraints.flat():
            if value is None:
                columns.append(inputs[:, index : index + 1])
                index += 1
            else:
                columns.append(ones * value)
        return tf.concat(columns, axis=1)

    def inverse(self, name: str | None = None) -> snt.Module:
        """A module warping the source domain's grid by the inverse transforms (2-D only).

        Called with the same parameters as this warper, it inverts each affine
        transform ``[M | t]`` into ``[M^-1 | -M^-1 t]`` and applies an
        ``AffineGridWarper`` with the source and output domains swapped.

        Args:
          name: module name (default ``<this module's name>_inverse``).

        Raises:
          NotSupportedError: the warper is not 2-D.
        """
        if len(self.source_shape) != 2:
            raise snt.NotSupportedError(
                f"{self.scope_name}: AffineGridWarper supports inversion only for the 2D case; "
                f"this one is {len(self.source_shape)}-D."
            )
        backward = AffineGridWarper(
            source_shape=self.output_shape,
            output_shape=self.source_shape,
            name=f"{self.module_name}_inverse_warper",
        )

        def invert_and_warp(inputs: tf.Tensor) -> tf.Tensor:
            inputs = self._checked_parameters(inputs)
            a, b, tx, c, d, ty = tf.unstack(self._full_matrix(inputs), num=6, axis=1)
            det = a * d - b * c
            a_inv, b_inv, c_inv, d_inv = d / det, -b / det, -c / det, a / det
            tx_inv = -(a_inv * tx + b_inv * ty)
            ty_inv = -(c_inv * tx + d_inv * ty)
            return backward(tf.stack([a_inv, b_inv, tx_inv, c_inv, d_inv, ty_inv], axis=1))

        return snt.Module(invert_and_warp, name=name or f"{self.module_name}_inverse")
