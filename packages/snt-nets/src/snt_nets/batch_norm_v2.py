"""BatchNormV2: batch normalization with per-channel variables and data formats."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils
from snt_nets.batch_norm import BatchNorm
from snt_nets.conv_constants import (
    SUPPORTED_1D_DATA_FORMATS,
    SUPPORTED_2D_DATA_FORMATS,
    SUPPORTED_3D_DATA_FORMATS,
)

_DEFAULT_FORMATS = {2: "NC", 3: "NWC", 4: "NHWC", 5: "NDHWC"}


class BatchNormV2(BatchNorm):
    """Batch normalization over every axis but the channel one.

    The variables ``moving_mean``, ``moving_variance``, ``gamma`` and ``beta``
    have shape ``[channels]``; the properties of those names return them
    reshaped to the input's rank (size 1 except on the channel axis), as
    Sonnet 1 did. The channel axis follows ``data_format`` (inferred from the
    input rank as channels-last when None).

    Example:
      >>> bn = snt.BatchNormV2(data_format="NCHW")
      >>> y = bn(tf.ones([2, 3, 4, 4]), is_training=True)  # batch_norm/moving_mean [3]
      >>> bn.moving_mean.shape
      TensorShape([1, 3, 1, 1])

    Args:
      data_format: one of ``SUPPORTED_DATA_FORMATS``, or None.
      offset, scale, decay_rate, eps, initializers, partitioners, regularizers:
        as for :class:`BatchNorm`.
      update_ops_collection: as for BatchNorm; the default None makes the
        graph-mode output depend on the updates.
      fused: as in Sonnet 1, rejects bfloat16 inputs and makes ``gamma``/``beta``
        float32 for float16 inputs; the same (unfused) computation runs.
      name: module name.

    Raises:
      ValueError: unsupported ``data_format``.
    """

    SUPPORTED_DATA_FORMATS = set.union(
        {"NC"}, SUPPORTED_1D_DATA_FORMATS, SUPPORTED_2D_DATA_FORMATS, SUPPORTED_3D_DATA_FORMATS
    )

    def __init__(
        self,
        data_format: str | None = None,
        offset: bool = True,
        scale: bool = False,
        decay_rate: float = 0.999,
        eps: float = 1e-3,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        update_ops_collection: str | None = None,
        fused: bool = True,
        name: str = "batch_norm",
    ) -> None:
        super().__init__(
            offset=offset,
            scale=scale,
            decay_rate=decay_rate,
            eps=eps,
            initializers=initializers,
            partitioners=partitioners,
            regularizers=regularizers,
            update_ops_collection=update_ops_collection,
            fused=fused,
            name=name,
        )
        if data_format is not None and data_format not in self.SUPPORTED_DATA_FORMATS:
            raise ValueError(
                f"{self.scope_name}: data_format must be None or one of "
                f"{sorted(self.SUPPORTED_DATA_FORMATS)}; got {data_format!r}."
            )
        self._data_format = data_format
        _utils.set_untracked(self, _expanded_mean_shape=None)

    def _layout(self, inputs: tf.Tensor) -> tuple[tuple[int, ...], tuple[int, ...], Any]:
        shape = _utils.static_shape(inputs)
        rank = len(shape)
        data_format = self._data_format or _DEFAULT_FORMATS.get(rank)
        if data_format is None:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: Input shape {_utils.format_shape(shape)} has too many or too "
                "few dimensions (data_format=None infers NC/NWC/NHWC/NDHWC from ranks 2 to 5)."
            )
        if len(data_format) != rank:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: Incorrect data format {data_format} for input shape "
                f"{_utils.format_shape(shape)} (rank {rank})."
            )
        channel = 1 if data_format.startswith("NC") else rank - 1
        channels = shape[channel]
        if channels is None:
            raise snt.UnderspecifiedError(
                f"{self.scope_name}: the number of channels must be known; got shape "
                f"{_utils.format_shape(shape)} ({data_format})."
            )
        axis = tuple(i for i in range(rank) if i != channel)
        broadcast = [1] * rank
        broadcast[channel] = channels
        if self._seen_stats_shape in (None, (channels,)):  # else the caller raises
            _utils.set_untracked(self, _expanded_mean_shape=broadcast)
        return axis, (channels,), broadcast

    def _expanded(self, variable: Any) -> tf.Tensor:
        return tf.reshape(variable, self._expanded_mean_shape)

    @property
    def moving_mean(self) -> tf.Tensor:
        """The moving mean reshaped to the input's rank (a tensor, as in Sonnet 1).

        The variable itself, of shape ``[channels]``, is ``get_variables()``'s.
        Raises NotConnectedError before connection.
        """
        return self._expanded(super().moving_mean)

    @property
    def moving_variance(self) -> tf.Tensor:
        """The moving variance reshaped to the input's rank (see ``moving_mean``)."""
        return self._expanded(super().moving_variance)

    @property
    def gamma(self) -> tf.Tensor:
        """``gamma`` reshaped to the input's rank; ``snt.Error`` without scale."""
        return self._expanded(super().gamma)

    @property
    def beta(self) -> tf.Tensor:
        """``beta`` reshaped to the input's rank; ``snt.Error`` without offset."""
        return self._expanded(super().beta)
