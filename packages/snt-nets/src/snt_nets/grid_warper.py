"""GridWarper: the base class of modules that warp a reference grid of points."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from typing import Any

import sonnet as snt
from snt_nets import _checks, _utils


class GridWarper(snt.AbstractModule):
    """Base class: a reference grid over the output domain, warped into the source domain.

    Subclasses implement :meth:`_create_features` (called once, in the
    constructor, with the extra keyword arguments) and ``_build``, which maps
    a batch of warp parameters to the warped grids. The shapes are the sizes
    of the signal domains, not tensor shapes: ``[H, W]`` for an image,
    ``[H, W, D]`` for a volume.

    Example (a warper that shifts the grid by its input):
      >>> import numpy as np
      >>> class Shift(snt.GridWarper):
      ...   def __init__(self, shape, name="shift"):
      ...     super().__init__(shape, shape, num_coeff=len(shape), name=name)
      ...   def _create_features(self):
      ...     return np.stack(np.meshgrid(*map(np.arange, self.output_shape), indexing="ij"), -1)
      ...   def _build(self, shifts):
      ...     return self.psi + shifts[:, None, None, :]
      >>> Shift([2, 3])(tf.zeros([1, 2])).shape
      TensorShape([1, 2, 3, 2])

    Args:
      source_shape: the size of the source domain (ints).
      output_shape: the size of the output grid (ints); at most as many
        dimensions as ``source_shape``.
      num_coeff: the number of warp parameters.
      name: module name.
      **kwargs: passed to :meth:`_create_features`.

    Raises:
      Error: ``output_shape`` has more dimensions than ``source_shape``.
      TypeError: a shape is not a sequence of ints.
      ValueError: a size is not positive.
    """

    def __init__(
        self,
        source_shape: Iterable[int],
        output_shape: Iterable[int],
        num_coeff: int,
        name: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        source = _checks.check_ints(where, "source_shape", source_shape, minimum=1)
        output = _checks.check_ints(where, "output_shape", output_shape, minimum=1)
        if len(output) > len(source):
            raise snt.Error(
                f"{where}: Output domain dimensionality ({len(output)}) must be equal or "
                f"smaller than source domain dimensionality ({len(source)})."
            )
        _utils.set_untracked(self, _source_shape=source, _output_shape=output, _num_coeff=num_coeff)
        _utils.set_untracked(self, _psi=self._create_features(**kwargs))

    @abc.abstractmethod
    def _create_features(self, **kwargs: Any) -> Any:
        """Returns the features of the reference grid that ``_build`` warps."""

    @property
    def n_coeff(self) -> int:
        """The number of warp parameters."""
        return self._num_coeff

    @property
    def psi(self) -> Any:
        """The reference-grid features (what :meth:`_create_features` returned)."""
        return self._psi

    @property
    def source_shape(self) -> tuple[int, ...]:
        """The size of the source domain."""
        return self._source_shape

    @property
    def output_shape(self) -> tuple[int, ...]:
        """The size of the output grid."""
        return self._output_shape
