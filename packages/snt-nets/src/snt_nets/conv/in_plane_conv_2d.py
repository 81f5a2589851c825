"""InPlaneConv2D: one 2-D kernel applied to every channel separately."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tensorflow as tf

from snt_nets import _utils
from snt_nets.conv.conv_nd import ConvND
from snt_nets.conv.depthwise_conv_2d import DepthwiseConv2D
from snt_nets.conv_constants import CONSTANT_PADDING, DATA_FORMAT_NHWC, SAME
from snt_nets.initializers import create_weight_initializer


class InPlaneConv2D(ConvND):
    """Convolves each input channel with the same kernel ``w`` ``[kh, kw, 1, 1]``.

    The number of channels is unchanged; the bias has one entry per channel.

    Example:
      >>> conv = snt.InPlaneConv2D(kernel_shape=3)
      >>> conv(tf.ones([1, 5, 5, 3])).shape
      TensorShape([1, 5, 5, 3])

    Args:
      kernel_shape, stride, padding, use_bias, initializers, partitioners,
        regularizers, data_format, padding_value, custom_getter: as for Conv2D.
      name: module name.
    """

    _CHANNELS_FROM_INPUT = True  # output channels follow the input's

    def __init__(
        self,
        kernel_shape: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        padding: str | Sequence[str] = SAME,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NHWC,
        padding_value: str = CONSTANT_PADDING,
        custom_getter: Any = None,
        name: str = "in_plane_conv2d",
    ) -> None:
        super().__init__(
            2,
            None,
            kernel_shape,
            stride=stride,
            padding=padding,
            use_bias=use_bias,
            initializers=initializers,
            partitioners=partitioners,
            regularizers=regularizers,
            data_format=data_format,
            padding_value=padding_value,
            custom_getter=custom_getter,
            name=name,
        )

    @property
    def output_channels(self) -> int:
        """Equal to the input channels (known once connected)."""
        return self.input_channels

    def _output_channels_for(self, in_channels: int) -> int:
        return in_channels

    def _clone_kwargs(self) -> dict[str, Any]:
        kwargs = super()._clone_kwargs()
        for unused in ("output_channels", "rate", "mask"):
            del kwargs[unused]
        return kwargs

    def _weights(self, in_channels: int, dtype: tf.DType) -> Any:
        w = _utils.get_variable(
            "w",
            (*self._kernel_shape, 1, 1),
            dtype,
            self._initializers,
            self._partitioners,
            self._regularizers,
            create_weight_initializer(self._kernel_shape, dtype),
        )
        _utils.set_untracked(self, _w=w)
        return tf.tile(w, [1, 1, in_channels, 1])

    # The same depthwise op (one filter per channel), on the tiled weights.
    _convolve = DepthwiseConv2D._convolve
