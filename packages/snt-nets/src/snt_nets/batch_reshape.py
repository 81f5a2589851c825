"""BatchReshape and its shorthands BatchFlatten and FlattenTrailingDimensions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils

Shape = Sequence[int] | Callable[[], Sequence[int]]


class BatchReshape(snt.AbstractModule, snt.Transposable):
    """Reshapes every example, keeping the first ``preserve_dims`` dimensions.

    Example:
      >>> snt.BatchReshape([2, 3])(tf.zeros([5, 6])).shape
      TensorShape([5, 2, 3])

    Args:
      shape: the new shape of the non-preserved dimensions; may contain one
        ``-1`` (inferred). A callable returning the shape is evaluated on
        connection (used by :meth:`transpose`).
      preserve_dims: how many leading dimensions are kept as they are (>= 1).
      name: module name.

    Raises:
      ValueError: ``preserve_dims < 1``, more than one ``-1``, or an entry of
        ``shape`` that is neither a positive int nor -1.
      TypeError: ``shape`` is neither a sequence nor callable, or
        ``preserve_dims`` is not an int.
    """

    #: The constructor argument that sets ``preserve_dims`` (named in errors).
    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "tensor"}

    _PRESERVE_ARG = "preserve_dims"

    def __init__(self, shape: Shape, preserve_dims: int = 1, name: str = "batch_reshape") -> None:
        super().__init__(name=name)
        if not _checks.is_int(preserve_dims):
            raise TypeError(
                f"{self.scope_name}: preserve_dims must be an int; got "
                f"{type(preserve_dims).__name__}: {preserve_dims!r}."
            )
        if preserve_dims < 1:
            raise ValueError(
                f"{self.scope_name}: preserve_dims must be >= 1 (the batch dimension is "
                f"always kept); got {preserve_dims}."
            )
        self._preserve_dims = preserve_dims
        if callable(shape):
            self._shape = shape
        elif isinstance(shape, Sequence) and not isinstance(shape, str):
            self._shape = self._validate(shape)
        else:
            raise TypeError(
                f"{self.scope_name}: shape must be a sequence of ints or a callable; got "
                f"{type(shape).__name__}."
            )
        _utils.set_untracked(self, _input_shape=None)

    def _validate(self, shape: Sequence[int]) -> tuple[int, ...]:
        """``shape`` as a tuple of ints (the phrases are Sonnet 1's).

        Raises:
          ValueError: an entry is not a positive int or -1, or -1 appears twice.
        """
        shape = tuple(shape)
        if not all(_checks.is_int(d) and (d > 0 or d == -1) for d in shape):
            raise ValueError(
                f"{self.scope_name}: Desired shape can only contain positive integral numbers "
                f"and the wildcard -1. Given shape {list(shape)}."
            )
        if shape.count(-1) > 1:
            raise ValueError(
                f"{self.scope_name}: Wildcard -1 can appear only once in desired output "
                f"shape. Given shape {list(shape)}."
            )
        return tuple(int(d) for d in shape)

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Reshapes ``inputs``.

        With one non-preserved dimension and ``shape`` ``(-1,)`` (or that
        dimension's size) there is nothing to reshape: ``inputs`` itself is
        returned, even if that dimension is unknown.

        Raises:
          ValueError: rank below ``preserve_dims``; a non-preserved dimension
            is unknown (outside the case above); or the number of elements
            does not fit ``shape``.
        """
        full = _utils.static_shape(inputs)
        keep = self._preserve_dims
        if len(full) < keep:
            raise ValueError(
                f"{self.scope_name}: Input tensor has {len(full)} dimensions, should have at "
                f"least as many as {self._PRESERVE_ARG}={keep}; got shape "
                f"{_utils.format_shape(full)}."
            )
        shape = tuple(_utils.resolve(self._shape))
        trailing = full[keep:]
        _utils.set_untracked(self, _input_shape=trailing)
        if len(trailing) == 1 and len(shape) == 1 and shape[0] in (-1, trailing[0]):
            return inputs  # nothing to reshape (the dimension may be unknown)
        shape = self._validate(shape)
        if None in trailing:
            raise ValueError(
                f"{self.scope_name}: Unknown non-preserved dimensions are not allowed in the "
                "input to BatchReshape unless it is only one and the desired shape is (-1,); "
                f"got input shape {_utils.format_shape(full)} ({self._PRESERVE_ARG}={keep}) "
                f"and shape {list(shape)}."
            )
        total = int(np.prod(trailing))
        known = int(np.prod([d for d in shape if d != -1]))
        if (-1 in shape and total % known) or (-1 not in shape and total != known):
            raise ValueError(
                f"{self.scope_name}: Output shape is incompatible with input shape: cannot "
                f"reshape {_utils.format_shape(trailing)} ({total} elements per example) to "
                f"{list(shape)}."
            )
        shape = tuple(total // known if d == -1 else d for d in shape)
        lead = full[:keep]
        if None in lead:
            return tf.reshape(inputs, tf.concat([tf.shape(inputs)[:keep], shape], 0))
        return tf.reshape(inputs, [*lead, *shape])

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        """The non-preserved input dimensions. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._input_shape

    def transpose(self, name: str | None = None) -> BatchReshape:
        """A BatchReshape back to this module's input shape."""
        return BatchReshape(
            shape=lambda: self.input_shape,
            preserve_dims=self._preserve_dims,
            name=name if name is not None else f"{self.module_name}_transpose",
        )


class BatchFlatten(BatchReshape):
    """Flattens every dimension after the first ``preserve_dims``.

    Example:
      >>> snt.BatchFlatten()(tf.zeros([5, 2, 3])).shape
      TensorShape([5, 6])
    """

    def __init__(self, preserve_dims: int = 1, name: str = "batch_flatten") -> None:
        super().__init__(shape=(-1,), preserve_dims=preserve_dims, name=name)


class FlattenTrailingDimensions(BatchReshape):
    """Flattens the dimensions from ``dim_from`` on into one.

    Example:
      >>> snt.FlattenTrailingDimensions(2)(tf.zeros([5, 2, 3, 4])).shape
      TensorShape([5, 2, 12])

    Raises:
      TypeError: ``dim_from`` is not an int.
      ValueError: ``dim_from < 1``.
    """

    _PRESERVE_ARG = "dim_from"

    def __init__(self, dim_from: int, name: str = "batch_dim_from") -> None:
        if not _checks.is_int(dim_from):
            raise TypeError(
                f"{name}: dim_from must be an int; got {type(dim_from).__name__}: {dim_from!r}."
            )
        if dim_from < 1:
            raise ValueError(f"{name}: dim_from must be >= 1; got {dim_from}.")
        super().__init__(shape=(-1,), preserve_dims=dim_from, name=name)
