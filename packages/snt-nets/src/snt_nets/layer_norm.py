"""LayerNorm: normalizes each example over its non-batch dimensions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.variable_dicts import VariableDicts


class LayerNorm(snt.AbstractModule, VariableDicts):
    """Layer normalization with a per-channel scale ``gamma`` and offset ``beta``.

    Statistics are taken over ``axis`` (default: every dimension but the
    first); ``gamma``/``beta`` have the shape of the last dimension.

    Example:
      >>> ln = snt.LayerNorm()
      >>> ln(tf.ones([2, 5])).shape  # layer_norm/gamma [5], layer_norm/beta [5]
      TensorShape([2, 5])

    Args:
      axis: an int or sequence of ints to normalize over; None for all but 0.
      offset: whether to add ``beta`` (init zeros).
      scale: whether to multiply by ``gamma`` (init ones).
      eps: added to the variance.
      initializers: dict with keys ``"gamma"``/``"beta"``.
      partitioners: dict with keys ``"gamma"``/``"beta"``.
      regularizers: dict with keys ``"gamma"``/``"beta"``.
      name: module name.

    Float16 and bfloat16 inputs are normalized in float32 (``gamma`` and
    ``beta`` are float32 variables) and the result is cast back.

    Raises:
      ValueError: ``axis`` is not an int or an iterable of ints.
      KeyError: unknown keys in the dicts.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    GAMMA = "gamma"
    BETA = "beta"
    POSSIBLE_INITIALIZER_KEYS = {GAMMA, BETA}

    def __init__(
        self,
        axis: int | Sequence[int] | None = None,
        offset: bool = True,
        scale: bool = True,
        eps: float = 1e-5,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        name: str = "layer_norm",
    ) -> None:
        super().__init__(name=name)
        if _checks.is_int(axis):
            axis = (axis,)
        if axis is not None and not (
            isinstance(axis, Iterable)
            and not isinstance(axis, str | bytes)
            and all(_checks.is_int(a) for a in axis)
        ):
            raise ValueError(  # Sonnet 1's class and phrase
                f"{self.scope_name}: axis should be an int or an iterable of ints (or None); "
                f"got {type(axis).__name__}: {axis!r}."
            )
        self._axis = None if axis is None else tuple(axis)
        self._offset, self._scale, self._eps = offset, scale, eps
        keys = self.POSSIBLE_INITIALIZER_KEYS
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        _utils.set_untracked(self, _gamma=None, _beta=None)

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Normalizes ``inputs`` (rank >= 2).

        Raises:
          IncompatibleShapeError: rank < 2, an axis out of range, or a last
            dimension different from the first connection's.
          UnderspecifiedError: the last dimension is unknown.
        """
        inputs = tf.convert_to_tensor(inputs)
        shape = _utils.static_shape(inputs)
        rank = len(shape)
        if rank < 2:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: LayerNorm expects inputs of rank >= 2; got shape "
                f"{_utils.format_shape(shape)}."
            )
        axis = tuple(range(1, rank)) if self._axis is None else self._axis
        if any(not -rank <= a < rank for a in axis):
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: axis {axis} out of range for inputs of rank {rank}."
            )
        if shape[-1] is None:
            raise snt.UnderspecifiedError(
                f"{self.scope_name}: the last dimension must be known; got shape "
                f"{_utils.format_shape(shape)}."
            )
        first = self.__dict__.get("_snt_first_last_dim")
        if first is None:
            _utils.set_untracked(self, _snt_first_last_dim=shape[-1])
        elif first != shape[-1]:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the last dimension must stay {first} (from the first "
                f"connection); got shape {_utils.format_shape(shape)}."
            )
        params_shape = (shape[-1],)
        original_dtype = inputs.dtype.base_dtype
        if original_dtype in (tf.float16, tf.bfloat16):
            inputs = tf.cast(inputs, tf.float32)
        gamma = beta = None
        kwargs = (inputs.dtype, self._initializers, self._partitioners, self._regularizers)
        if self._scale:
            gamma = _utils.get_variable(self.GAMMA, params_shape, *kwargs, tf.ones_initializer())
        if self._offset:
            beta = _utils.get_variable(self.BETA, params_shape, *kwargs, tf.zeros_initializer())
        _utils.set_untracked(self, _gamma=gamma, _beta=beta)
        mean, variance = tf.nn.moments(inputs, axes=list(axis), keepdims=True)
        outputs = tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, self._eps)
        if outputs.dtype != original_dtype:
            outputs = tf.cast(outputs, original_dtype)
        return outputs

    @property
    def gamma(self) -> tf.Variable:
        """The scale. Raises NotConnectedError before connection, ValueError without scale."""
        self._ensure_is_connected()
        if self._gamma is None:
            raise ValueError(f"{self.scope_name}: no gamma: built with scale=False.")
        return self._gamma

    @property
    def beta(self) -> tf.Variable:
        """The offset. Raises NotConnectedError before connection, ValueError without offset."""
        self._ensure_is_connected()
        if self._beta is None:
            raise ValueError(f"{self.scope_name}: no beta: built with offset=False.")
        return self._beta
