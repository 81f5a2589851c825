"""BatchNorm: batch normalization with moving averages (Sonnet 1's first version)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils, batch_norm_utils
from snt_nets.variable_dicts import VariableDicts


def _check_flag(where: str, what: str, flag: Any) -> None:
    """Raises TypeError unless ``flag`` is a bool, 0 or 1 (Sonnet 1 took both) or a bool tensor."""
    if isinstance(flag, bool | np.bool_) or (_checks.is_int(flag) and flag in (0, 1)):
        return
    try:
        if tf.as_dtype(flag.dtype) == tf.bool:
            return
    except (AttributeError, TypeError):
        pass
    raise TypeError(
        f"{where}: {what} must be a bool (or 0/1) or a boolean tensor; got "
        f"{type(flag).__name__}: {flag!r}."
    )


class BatchNorm(snt.AbstractModule, VariableDicts):
    """Batch normalization over ``axis`` with moving mean and variance.

    The statistics (and ``moving_mean``, ``moving_variance``, ``gamma``,
    ``beta``) keep the input's rank, with size 1 on the reduced axes: for
    ``[batch, C]`` inputs they are ``[1, C]``.

    Example:
      >>> bn = snt.BatchNorm()
      >>> y = bn(tf.ones([4, 3]), is_training=True)  # batch_norm/moving_mean [1, 3]

    Args:
      axis: the axes to reduce over; default all but the last.
      offset: whether to add ``beta`` (init zeros).
      scale: whether to multiply by ``gamma`` (init ones).
      decay_rate: the moving averages' decay.
      eps: added to the variance.
      initializers: dict with keys ``gamma``, ``beta``, ``moving_mean``, ``moving_variance``.
      partitioners: dict with keys ``gamma``, ``beta``.
      regularizers: dict with keys ``gamma``, ``beta``.
      update_ops_collection: in graph mode, the collection the moving-average
        updates are added to; None makes the output depend on them instead.
        Eagerly and in ``tf.function`` the updates run at once.
      fused: accepted for compatibility; the same (unfused) computation runs.
      name: module name.

    Raises:
      ValueError: ``axis`` has repeated entries or ``decay_rate`` is outside [0, 1].
      TypeError: ``axis`` is neither None nor a sequence of ints.
      KeyError: unknown keys in the dicts.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"input_batch": "float"}

    GAMMA = "gamma"
    BETA = "beta"
    MOVING_MEAN = "moving_mean"
    MOVING_VARIANCE = "moving_variance"
    POSSIBLE_INITIALIZER_KEYS = {GAMMA, BETA, MOVING_MEAN, MOVING_VARIANCE}
    POSSIBLE_PARTITIONER_KEYS = {GAMMA, BETA}
    POSSIBLE_REGULARIZER_KEYS = {GAMMA, BETA}

    def __init__(
        self,
        axis: Sequence[int] | None = None,
        offset: bool = True,
        scale: bool = False,
        decay_rate: float = 0.999,
        eps: float = 1e-3,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        update_ops_collection: str | None = "update_ops",
        fused: bool = False,
        name: str = "batch_norm",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        if axis is not None:
            axis = _checks.check_ints(where, "axis", axis)
        if axis is not None and len(set(axis)) != len(tuple(axis)):
            raise ValueError(f"{where}: axis must not repeat entries; got {list(axis)}.")
        if not 0.0 <= decay_rate <= 1.0:
            raise ValueError(f"{where}: decay_rate must be in [0, 1]; got {decay_rate}.")
        self._axis = None if axis is None else tuple(axis)
        self._offset, self._scale = offset, scale
        self._decay_rate, self._eps = decay_rate, eps
        self._update_ops_collection = update_ops_collection
        self._fused = fused
        _utils.store_checked_dicts(
            self,
            initializers,
            partitioners,
            regularizers,
            self.POSSIBLE_INITIALIZER_KEYS,
            self.POSSIBLE_PARTITIONER_KEYS,
            self.POSSIBLE_REGULARIZER_KEYS,
        )
        _utils.set_untracked(
            self, _seen_stats_shape=None, _mean=None, _variance=None, _gamma=None, _beta=None
        )

    def _layout(self, inputs: tf.Tensor) -> tuple[tuple[int, ...], tuple[int, ...], Any]:
        """The reduced axes, the variables' shape and their broadcast shape (or None)."""
        shape = _utils.static_shape(inputs)
        rank = len(shape)
        axis = tuple(range(rank - 1)) if self._axis is None else self._axis
        if len(axis) >= rank + 1 or any(not -rank <= a < rank for a in axis):
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: axis {list(axis)} does not fit inputs of rank {rank} "
                f"(shape {_utils.format_shape(shape)})."
            )
        if len({a % rank for a in axis}) != len(axis):
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: axis {list(axis)} names the same dimension twice for "
                f"inputs of rank {rank} (shape {_utils.format_shape(shape)})."
            )
        axis = tuple(sorted(a % rank for a in axis))
        if not axis:  # nothing to average over: every output would be beta
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: BatchNorm needs at least one dimension to reduce over "
                f"(inputs of rank >= 2 with the default axis); got axis {list(axis)} and shape "
                f"{_utils.format_shape(shape)}."
            )
        stats = tuple(1 if i in axis else d for i, d in enumerate(shape))
        if None in stats:
            raise snt.UnderspecifiedError(
                f"{self.scope_name}: the dimensions not in axis {list(axis)} must be known; got "
                f"shape {_utils.format_shape(shape)}."
            )
        return axis, stats, None

    def _check_same_stats_shape(self, stats: tuple[int, ...], inputs: tf.Tensor) -> None:
        seen = self._seen_stats_shape
        if seen is not None and seen != stats:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the statistics shape must stay {list(seen)}; inputs of "
                f"shape {_utils.format_shape(_utils.static_shape(inputs))} give {list(stats)}."
            )
        _utils.set_untracked(self, _seen_stats_shape=stats)

    def _build(
        self, input_batch: tf.Tensor, is_training: Any, test_local_stats: Any = True
    ) -> tf.Tensor:
        """Normalizes ``input_batch``.

        Args:
          input_batch: a floating-point tensor.
          is_training: bool or boolean tensor: use batch statistics and update
            the moving averages.
          test_local_stats: when not training, use batch statistics anyway.

        Raises:
          IncompatibleShapeError: ``axis`` does not fit the input or reduces
            nothing (a rank-1 input with the default axis), or the
            non-reduced dimensions differ from the first connection's.
          UnderspecifiedError: a non-reduced dimension is unknown.
          TypeError: ``input_batch`` is not floating-point, or ``is_training``
            or ``test_local_stats`` is neither a bool nor a boolean tensor.
        """
        input_batch = tf.convert_to_tensor(input_batch)
        if not input_batch.dtype.is_floating:
            raise TypeError(
                f"{self.scope_name}: input_batch must be a floating-point tensor; got "
                f"{input_batch.dtype.name}."
            )
        for what, flag in (("is_training", is_training), ("test_local_stats", test_local_stats)):
            _check_flag(self.scope_name, what, flag)
        axis, stats, broadcast = self._layout(input_batch)
        self._check_same_stats_shape(stats, input_batch)
        dtype = input_batch.dtype
        init, part, reg = self._initializers, self._partitioners, self._regularizers
        mean_var = dict(
            dtype=dtype,
            trainable=False,
            collections=[
                tf.compat.v1.GraphKeys.MOVING_AVERAGE_VARIABLES,
                tf.compat.v1.GraphKeys.GLOBAL_VARIABLES,
            ],
        )
        moving_mean = snt.get_variable(
            self.MOVING_MEAN,
            stats,
            initializer=init.get(self.MOVING_MEAN, tf.zeros_initializer()),
            **mean_var,
        )
        moving_variance = snt.get_variable(
            self.MOVING_VARIANCE,
            stats,
            initializer=init.get(self.MOVING_VARIANCE, tf.ones_initializer()),
            **mean_var,
        )
        gamma = beta = None
        if self._scale:
            gamma = _utils.get_variable(
                self.GAMMA, stats, dtype, init, part, reg, tf.ones_initializer()
            )
        if self._offset:
            beta = _utils.get_variable(
                self.BETA, stats, dtype, init, part, reg, tf.zeros_initializer()
            )
        _utils.set_untracked(
            self, _mean=moving_mean, _variance=moving_variance, _gamma=gamma, _beta=beta
        )
        batch_stats = tf.nn.moments(input_batch, axes=list(axis), keepdims=broadcast is None)
        mean, variance = batch_norm_utils.select_statistics(
            is_training, test_local_stats, batch_stats, (moving_mean, moving_variance)
        )
        params = [mean, variance, beta, gamma]
        if broadcast is not None:
            params = [None if t is None else tf.reshape(t, broadcast) for t in params]
        outputs = tf.nn.batch_normalization(input_batch, *params, self._eps)
        return batch_norm_utils.update_moving_averages(
            outputs,
            is_training,
            (moving_mean, moving_variance),
            batch_stats,
            self._decay_rate,
            self._update_ops_collection,
        )

    @property
    def moving_mean(self) -> tf.Variable:
        """Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._mean

    @property
    def moving_variance(self) -> tf.Variable:
        """Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._variance

    @property
    def gamma(self) -> tf.Variable:
        """Raises NotConnectedError before connection, ValueError without scale."""
        self._ensure_is_connected()
        if self._gamma is None:
            raise ValueError(f"{self.scope_name}: no gamma: built with scale=False.")
        return self._gamma

    @property
    def beta(self) -> tf.Variable:
        """Raises NotConnectedError before connection, ValueError without offset."""
        self._ensure_is_connected()
        if self._beta is None:
            raise ValueError(f"{self.scope_name}: no beta: built with offset=False.")
        return self._beta
