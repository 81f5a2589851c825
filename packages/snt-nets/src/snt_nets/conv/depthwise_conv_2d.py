"""DepthwiseConv2D: one set of ``channel_multiplier`` filters per input channel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tensorflow as tf

from snt_nets import _utils
from snt_nets.conv.conv_nd import ConvND
from snt_nets.conv_constants import CONSTANT_PADDING, DATA_FORMAT_NHWC, SAME
from snt_nets.initializers import create_weight_initializer


class DepthwiseConv2D(ConvND):
    """Depthwise 2-D convolution: ``w`` is ``[kh, kw, in, channel_multiplier]``.

    The output has ``in * channel_multiplier`` channels (and a bias of that size).
    ``w`` defaults to a truncated normal with stddev ``1/sqrt(kh * kw)``.

    Example:
      >>> conv = snt.DepthwiseConv2D(channel_multiplier=2, kernel_shape=3)
      >>> conv(tf.ones([1, 5, 5, 3])).shape
      TensorShape([1, 5, 5, 6])

    Args:
      channel_multiplier: filters per input channel.
      kernel_shape, stride, padding, use_bias, initializers, partitioners,
        regularizers, data_format, padding_value, custom_getter: as for Conv2D.
      name: module name.

    Raises:
      ValueError: ``channel_multiplier < 1``, or the arguments Conv2D rejects.
    """

    _CHANNELS_FROM_INPUT = True  # output channels follow the input's

    def __init__(
        self,
        channel_multiplier: int,
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
        name: str = "conv_2d_depthwise",
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
        if not isinstance(channel_multiplier, int) or channel_multiplier < 1:
            raise ValueError(
                f"{self.scope_name}: channel_multiplier must be a positive int; got "
                f"{channel_multiplier!r}."
            )
        self._channel_multiplier = channel_multiplier

    @property
    def channel_multiplier(self) -> int:
        return self._channel_multiplier

    def _clone_kwargs(self) -> dict[str, Any]:
        kwargs = super()._clone_kwargs()
        for unused in ("output_channels", "rate", "mask"):
            del kwargs[unused]
        return {"channel_multiplier": self._channel_multiplier, **kwargs}

    @property
    def output_channels(self) -> int:
        """``input_channels * channel_multiplier`` (known once connected)."""
        return self.input_channels * self._channel_multiplier

    def _output_channels_for(self, in_channels: int) -> int:
        return in_channels * self._channel_multiplier

    def _weights(self, in_channels: int, dtype: tf.DType) -> Any:
        shape = (*self._kernel_shape, in_channels, self._channel_multiplier)
        w = _utils.get_variable(
            "w",
            shape,
            dtype,
            self._initializers,
            self._partitioners,
            self._regularizers,
            create_weight_initializer(self._kernel_shape, dtype),  # fan-in: the kernel
        )
        _utils.set_untracked(self, _w=w)
        return w

    def _convolve(
        self,
        inputs: tf.Tensor,
        weights: Any,
        data_format: str,
        stride: tuple[int, ...],
        rate: tuple[int, ...],
    ) -> tf.Tensor:
        del rate  # not dilated
        strides = (1, 1, *stride) if data_format.startswith("NC") else (1, *stride, 1)
        return tf.nn.depthwise_conv2d(
            inputs,
            weights,
            strides=strides,
            padding=self._conv_op_padding,
            data_format=data_format,
        )
