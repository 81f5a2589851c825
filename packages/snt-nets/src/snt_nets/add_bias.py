"""AddBias: adds a learned bias ``b`` over chosen dimensions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.initializers import create_bias_initializer


def calculate_bias_shape(
    input_shape: Sequence[int | None], bias_dims: Sequence[int] | None
) -> tuple[int | None, ...]:
    """The shape of a bias added over ``bias_dims`` of an input of ``input_shape``.

    ``None`` means every dimension but the batch one; ``[]`` a scalar bias.
    Otherwise the bias has the input's size at ``bias_dims`` and 1 elsewhere,
    with leading 1s dropped so that it broadcasts against the input.

    Raises:
      ValueError: ``bias_dims`` includes the batch dimension (0), or a dim
        outside ``[-rank, rank)``.
    """
    rank = len(input_shape)
    if bias_dims is None:
        return tuple(input_shape[1:])
    if not bias_dims:
        return ()
    shape: list[int | None] = [1] * rank
    for dim in bias_dims:
        if not -rank <= dim < rank:
            raise ValueError(
                f"AddBias bias_dims {list(bias_dims)} must be in [{-rank}, {rank}) for inputs "
                f"of rank {rank}."
            )
        dim %= rank
        if dim == 0:
            raise ValueError(
                "AddBias: Cannot apply bias across the minibatch dimension (bias_dims "
                f"{list(bias_dims)} includes the batch dimension 0)."
            )
        shape[dim] = input_shape[dim]
    first = next((i for i in range(1, rank) if shape[i] != 1), rank)
    return tuple(shape[first:])


class AddBias(snt.AbstractModule, snt.Transposable):
    """Adds a bias ``b`` (times ``multiplier``) to its input.

    Example:
      >>> add = snt.AddBias()
      >>> y = add(tf.zeros([2, 3]))  # add/b has shape [3]

    Args:
      output_shape: optional expected input shape (a tuple, or a callable
        returning one when the module is connected). As in Sonnet 1 it may
        include the batch dimension, whose entry is ignored; a shape one
        shorter than the input is read as the shape without the batch
        dimension.
      bias_dims: the dimensions the bias varies along; None for all but the
        batch dimension, ``[]`` for a scalar bias, e.g. ``[-1]`` for one
        bias per channel.
      initializers: optional dict with key ``"b"`` (default zeros).
      partitioners: optional dict with key ``"b"``.
      regularizers: optional dict with key ``"b"``.
      name: module name.

    Raises:
      KeyError: unknown keys in the dicts.
      TypeError: ``bias_dims`` is neither None nor a sequence of ints.

    A transposed AddBias (:meth:`transpose`) may be created before this module
    is connected; connecting it before this one raises ``ParentNotBuiltError``.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    POSSIBLE_INITIALIZER_KEYS = {"b"}

    def __init__(
        self,
        output_shape: Sequence[int] | Callable[[], Sequence[int]] | None = None,
        bias_dims: Sequence[int] | None = None,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        name: str = "add",
    ) -> None:
        super().__init__(name=name)
        keys = self.POSSIBLE_INITIALIZER_KEYS
        if output_shape is not None and not callable(output_shape):
            output_shape = tuple(output_shape)
        if bias_dims is not None:
            bias_dims = _checks.check_ints(self.scope_name, "bias_dims", bias_dims)
        self._bias_dims = bias_dims
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        _utils.set_untracked(self, _b=None, _input_shape=None, _output_shape=output_shape)

    def _build(self, inputs: tf.Tensor, multiplier: Any = 1) -> tf.Tensor:
        """Returns ``inputs + b * multiplier``.

        Raises:
          IncompatibleShapeError: the input (without batch) differs from the
            first connection's or from ``output_shape``; rank < 2; or a
            ``bias_dims`` entry outside ``[-rank, rank)``.
          UnderspecifiedError: a dimension the bias spans is unknown.
          ValueError: ``bias_dims`` includes the batch dimension.
        """
        shape = _utils.static_shape(inputs)
        if len(shape) < 2:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: AddBias expects inputs of rank >= 2 [batch, ...] (Rank "
                f"of input shape must be >=2 not: {len(shape)}); got shape "
                f"{_utils.format_shape(shape)}."
            )
        if self._input_shape is not None and tuple(self._input_shape[1:]) != shape[1:]:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: Input shape has changed: the input shape (without batch) "
                f"must stay {_utils.format_shape(self._input_shape[1:])}; got "
                f"{_utils.format_shape(shape[1:])}."
            )
        if self._output_shape is not None:
            self._check_output_shape(shape)
        rank = len(shape)
        if self._bias_dims and any(not -rank <= d < rank for d in self._bias_dims):
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: bias_dims {list(self._bias_dims)} must be in "
                f"[{-rank}, {rank}) for inputs of rank {rank}; got shape "
                f"{_utils.format_shape(shape)}."
            )
        try:
            bias_shape = calculate_bias_shape(shape, self._bias_dims)
        except ValueError as e:
            raise ValueError(f"{self.scope_name}: {e}") from None
        if any(d is None for d in bias_shape):
            raise snt.UnderspecifiedError(
                f"{self.scope_name}: the bias spans dimensions of unknown size; got input "
                f"shape {_utils.format_shape(shape)}, bias shape "
                f"{_utils.format_shape(bias_shape)}."
            )
        _utils.set_untracked(self, _input_shape=shape)
        b = _utils.get_variable(
            "b",
            bias_shape,
            inputs.dtype,
            self._initializers,
            self._partitioners,
            self._regularizers,
            create_bias_initializer(bias_shape, inputs.dtype),
        )
        _utils.set_untracked(self, _b=b)
        if not (isinstance(multiplier, int | float) and multiplier == 1):
            b = b * multiplier
        return inputs + b

    def _check_output_shape(self, shape: tuple[int | None, ...]) -> None:
        """Compares the input ``shape`` with ``output_shape`` (resolved once, if callable).

        Raises:
          ParentNotBuiltError: ``output_shape`` comes from a module (this one's
            untransposed original) that is not connected yet.
          IncompatibleShapeError: the shapes differ (batch dimension aside).
        """
        expected = self._output_shape
        if callable(expected):
            expected = expected()
            if expected is None:
                raise snt.ParentNotBuiltError(
                    f"{self.scope_name}: this transposed AddBias takes its shape from the "
                    "original module, which is not connected yet. Build the original "
                    "untransposed module before building this one."
                )
            expected = tuple(expected)
            _utils.set_untracked(self, _output_shape=expected)
        # With the batch dimension (Sonnet 1's form, entry ignored) or without it.
        trailing = expected[1:] if len(expected) == len(shape) else expected
        if tuple(trailing) != shape[1:]:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: input shape (without batch) must be the output_shape "
                f"{_utils.format_shape(trailing)}; got {_utils.format_shape(shape[1:])}."
            )

    @property
    def b(self) -> tf.Variable:
        """The bias variable. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._b

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        """The first input's shape. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._input_shape

    def transpose(self, name: str | None = None) -> AddBias:
        """An AddBias over the same dimensions, expecting this module's input shape.

        It may be created before this module is connected: the shape is read
        when the transposed module is connected (``ParentNotBuiltError`` if
        this one is still not connected then).
        """
        return AddBias(
            output_shape=lambda: self._input_shape,
            bias_dims=self._bias_dims,
            initializers=self._initializers,
            partitioners=self._partitioners,
            regularizers=self._regularizers,
            name=name if name is not None else f"{self.module_name}_transpose",
        )
