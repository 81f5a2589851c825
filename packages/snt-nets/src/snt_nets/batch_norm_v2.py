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

    ``moving_mean``, ``moving_variance``, ``gamma`` and ``beta`` have shape
    ``[channels]``. The channel axis follows ``data_format`` (inferred from the
    input rank as channels-last when None).

    Example:
      >>> bn = snt.BatchNormV2(data_format="NCHW")
      >>> y = bn(tf.ones([2, 3, 4, 4]), is_training=True)  # batch_norm/moving_mean [3]

    Args:
      data_format: one of ``SUPPORTED_DATA_FORMATS``, or None.
      offset, scale, decay_rate, eps, initializers, partitioners, regularizers:
        as for :class:`BatchNorm`.
      update_ops_collection: as for BatchNorm; the default None makes the
        graph-mode output depend on the updates.
      fused: accepted for compatibility; the same (unfused) computation runs.
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

    def _layout(self, inputs: tf.Tensor) -> tuple[tuple[int, ...], tuple[int, ...], Any]:
        shape = _utils.static_shape(inputs)
        rank = len(shape)
        data_format = self._data_format or _DEFAULT_FORMATS.get(rank)
        if data_format is None or len(data_format) != rank:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: inputs of rank {rank} (shape {_utils.format_shape(shape)}) "
                f"do not fit data_format {data_format or 'NC/NWC/NHWC/NDHWC'}."
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
        return axis, (channels,), broadcast
