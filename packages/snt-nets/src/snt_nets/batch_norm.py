"""BatchNorm: batch normalization with moving averages (Sonnet 1's first version)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils, batch_norm_utils
from snt_nets.variable_dicts import VariableDicts


def _tf1_shape(shape: Sequence[int | None]) -> str:
    """A static shape the way TF1 printed it: ``(?, 64, 3)``, ``(3,)``."""
    dims = ["?" if d is None else str(d) for d in shape]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def _check_fusable(where: str, axis: tuple[int, ...], shape: Sequence[int | None]) -> None:
    """Sonnet 1's limits of ``fused=True``: rank-4 inputs, NHWC or NCHW reduction axes.

    Raises:
      NotImplementedError: the input's rank is not 4.
      ValueError: ``axis`` is neither ``(0, 1, 2)`` nor ``(0, 2, 3)``.
    """
    if len(shape) != 4:
        raise NotImplementedError(
            f"{where}: fused batch norm supports only input with 4 dimensions, it received "
            f"input of dimensionality {len(shape)} (shape {_utils.format_shape(shape)})."
        )
    if axis not in ((0, 1, 2), (0, 2, 3)):
        raise ValueError(
            f"{where}: Invalid axis option {list(axis)} for fused=True. This does not "
            "correspond to either the NHWC format (0, 1, 2) or the NCHW (0, 2, 3)."
        )


def stat_dtype(dtype: tf.DType) -> tf.DType:
    """The moving statistics' dtype: float32 for 16-bit inputs, else the input's."""
    return tf.float32 if dtype in (tf.float16, tf.bfloat16) else dtype


def _as_dtype(param: Any, dtype: tf.DType) -> Any:
    """``param`` (a variable or None) as ``dtype``, cast only when it differs."""
    if param is None or param.dtype.base_dtype == dtype:
        return param
    return tf.cast(tf.convert_to_tensor(param), dtype)


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
      fused: as in Sonnet 1, restricts the module to what the fused kernel
        handled: rank-4 inputs reduced over ``(0, 1, 2)`` or ``(0, 2, 3)``, no
        bfloat16, and float32 ``gamma``/``beta`` for float16 inputs. The same
        (unfused) computation runs.
      name: module name.

    For float16/bfloat16 inputs the moving statistics are float32 variables;
    the output, ``gamma`` and ``beta`` keep the input's dtype.

    Raises:
      ValueError: ``decay_rate`` is outside [0, 1].
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
        if axis is not None:  # repeated entries are reported when connected (as in Sonnet 1)
            axis = _checks.check_ints(where, "axis", axis)
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
            self,
            _seen_stats_shape=None,
            _moving_mean=None,
            _moving_variance=None,
            _gamma=None,
            _beta=None,
        )

    def _layout(self, inputs: tf.Tensor) -> tuple[tuple[int, ...], tuple[int, ...], Any]:
        """The reduced axes, the variables' shape and their broadcast shape (or None)."""
        shape = _utils.static_shape(inputs)
        rank = len(shape)
        where = self.scope_name
        axis = tuple(range(rank - 1)) if self._axis is None else self._axis
        # Sonnet 1's three checks, in its order and with its phrases.
        if len(axis) > rank:
            raise snt.IncompatibleShapeError(
                f"{where}: Too many indices specified in axis: len({list(axis)}) > "
                f"len({_tf1_shape(shape)})."
            )
        if max(axis, default=0) >= rank:
            raise snt.IncompatibleShapeError(
                f"{where}: One or more index in axis is too large for input shape: "
                f"{list(axis)} >= {rank}."
            )
        if min(axis, default=0) < 0:
            raise snt.IncompatibleShapeError(
                f"{where}: Indices in axis must be non-negative: {list(axis)} < 0."
            )
        if len(set(axis)) != len(axis):
            raise snt.IncompatibleShapeError(
                f"{where}: axis {list(axis)} names the same dimension twice for inputs of "
                f"rank {rank} (shape {_utils.format_shape(shape)})."
            )
        axis = tuple(sorted(axis))
        if self._fused:
            _check_fusable(where, axis, shape)
        if not axis:  # nothing to average over: every output would be beta
            raise snt.IncompatibleShapeError(
                f"{where}: BatchNorm needs at least one dimension to reduce over "
                f"(inputs of rank >= 2 with the default axis); got axis {list(axis)} and shape "
                f"{_utils.format_shape(shape)}."
            )
        stats = tuple(1 if i in axis else d for i, d in enumerate(shape))
        if None in stats:
            raise snt.UnderspecifiedError(
                f"{where}: the dimensions not in axis {list(axis)} must be known; got "
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
          NotImplementedError, ValueError, NotSupportedError: with
            ``fused=True``, an input of rank other than 4, reduction axes other
            than ``(0, 1, 2)``/``(0, 2, 3)``, a bfloat16 input.
        """
        input_batch = tf.convert_to_tensor(input_batch)
        if not input_batch.dtype.is_floating:
            raise TypeError(
                f"{self.scope_name}: input_batch must be a floating-point tensor; got "
                f"{input_batch.dtype.name}."
            )
        for what, flag in (("is_training", is_training), ("test_local_stats", test_local_stats)):
            _check_flag(self.scope_name, what, flag)
        dtype = input_batch.dtype.base_dtype
        if self._fused and dtype == tf.bfloat16:
            raise snt.NotSupportedError(
                f"{self.scope_name}: Fused batch norm does not support tf.bfloat16 (built with "
                "fused=True)."
            )
        axis, stats, broadcast = self._layout(input_batch)
        self._check_same_stats_shape(stats, input_batch)
        init, part, reg = self._initializers, self._partitioners, self._regularizers
        mean_var = dict(
            dtype=stat_dtype(dtype),
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
        # The fused kernel took float16 data with float32 scale and offset.
        param_dtype = tf.float32 if self._fused and dtype == tf.float16 else dtype
        gamma = beta = None
        if self._offset:
            beta = _utils.get_variable(
                self.BETA, stats, param_dtype, init, part, reg, tf.zeros_initializer()
            )
        if self._scale:
            gamma = _utils.get_variable(
                self.GAMMA, stats, param_dtype, init, part, reg, tf.ones_initializer()
            )
        _utils.set_untracked(
            self,
            _moving_mean=moving_mean,
            _moving_variance=moving_variance,
            _gamma=gamma,
            _beta=beta,
        )

        # Only the branch the flags select is built (both, in a tf.cond, when
        # either flag is a runtime tensor): no batch moments when the moving
        # averages are used, no update ops when not training.
        def batch_moments() -> tuple[tf.Tensor, tf.Tensor]:
            return tf.nn.moments(input_batch, axes=list(axis), keepdims=True)

        def moving_stats() -> tuple[tf.Tensor, tf.Tensor]:
            if moving_mean.dtype.base_dtype != dtype:  # float32 statistics of 16-bit inputs
                return tf.cast(moving_mean, dtype), tf.cast(moving_variance, dtype)
            return tf.identity(moving_mean), tf.identity(moving_variance)

        mean, variance = batch_norm_utils.select_statistics(
            is_training, test_local_stats, batch_moments, moving_stats
        )
        params = [mean, variance, _as_dtype(beta, dtype), _as_dtype(gamma, dtype)]
        if broadcast is not None:
            params = [None if t is None else tf.reshape(t, broadcast) for t in params]
        outputs = tf.nn.batch_normalization(input_batch, *params, self._eps)
        if batch_norm_utils.static_bool(is_training) is False:
            return outputs
        if broadcast is not None:  # batch moments keep the input's rank; the variables do not
            mean, variance = tf.reshape(mean, stats), tf.reshape(variance, stats)
        return batch_norm_utils.update_moving_averages(
            outputs,
            is_training,
            (moving_mean, moving_variance),
            (mean, variance),
            self._decay_rate,
            self._update_ops_collection,
        )

    @property
    def moving_mean(self) -> tf.Variable:
        """Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._moving_mean

    @property
    def moving_variance(self) -> tf.Variable:
        """Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._moving_variance

    @property
    def gamma(self) -> tf.Variable:
        """Raises NotConnectedError before connection, ``snt.Error`` without scale."""
        self._ensure_is_connected()
        if self._gamma is None:
            raise snt.Error(
                f"{self.scope_name}: Batch normalization doesn't have a scale, so no gamma "
                "(built with scale=False)."
            )
        return self._gamma

    @property
    def beta(self) -> tf.Variable:
        """Raises NotConnectedError before connection, ``snt.Error`` without offset."""
        self._ensure_is_connected()
        if self._beta is None:
            raise snt.Error(
                f"{self.scope_name}: Batch normalization doesn't have an offset, so no beta "
                "(built with offset=False)."
            )
        return self._beta
