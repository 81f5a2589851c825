"""SeparableConv1D and SeparableConv2D: depthwise then pointwise convolution."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tensorflow as tf

from snt_nets import _utils
from snt_nets.conv.conv_nd import ConvND
from snt_nets.conv_constants import CONSTANT_PADDING, DATA_FORMAT_NHWC, DATA_FORMAT_NWC, SAME
from snt_nets.initializers import create_weight_initializer


class _SeparableConv(ConvND):
    """Shared implementation: depthwise ``w_dw`` then pointwise ``w_pw``, both 4-D.

    As in Sonnet 1, the 1-D module keeps 2-D kernels: ``w_dw`` is
    ``[1, k, in, mult]`` and ``w_pw`` ``[1, 1, in * mult, out]``; the default
    initializers are truncated normals with stddev ``1/sqrt(prod(kernel))``
    for ``w_dw`` and ``1/sqrt(in * mult)`` for ``w_pw``.
    """

    def __init__(self, n: int, output_channels: int, channel_multiplier: int, **kwargs: Any):
        super().__init__(n, output_channels, **kwargs)
        if not isinstance(channel_multiplier, int) or channel_multiplier < 1:
            raise ValueError(
                f"{self.scope_name}: channel_multiplier must be a positive int; got "
                f"{channel_multiplier!r}."
            )
        self._channel_multiplier = channel_multiplier
        _utils.set_untracked(self, _w_dw=None, _w_pw=None)

    @classmethod
    def get_possible_initializer_keys(cls, use_bias: bool = True) -> set[str]:
        """``{"w_dw", "w_pw", "b"}``, or without ``"b"``."""
        return {"w_dw", "w_pw", "b"} if use_bias else {"w_dw", "w_pw"}

    @property
    def channel_multiplier(self) -> int:
        return self._channel_multiplier

    @property
    def w_dw(self) -> tf.Variable:
        """The depthwise kernel. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._w_dw

    @property
    def w_pw(self) -> tf.Variable:
        """The pointwise kernel. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._w_pw

    @property
    def w(self) -> Any:
        """Separable convolutions have ``w_dw`` and ``w_pw`` instead (AttributeError)."""
        raise AttributeError(f"{self.scope_name}: no w; use w_dw and w_pw.")

    def _clone_kwargs(self) -> dict[str, Any]:
        kwargs = super()._clone_kwargs()
        del kwargs["mask"]
        return {"channel_multiplier": self._channel_multiplier, **kwargs}

    def _weights(self, in_channels: int, dtype: tf.DType) -> Any:
        mult, k = self._channel_multiplier, (1,) * (2 - self._n) + self._kernel_shape
        args = (dtype, self._initializers, self._partitioners, self._regularizers)
        w_dw = _utils.get_variable(
            "w_dw", (*k, in_channels, mult), *args, create_weight_initializer(k, dtype)
        )
        w_pw = _utils.get_variable(
            "w_pw",
            (1, 1, in_channels * mult, self.output_channels),
            *args,
            create_weight_initializer((in_channels * mult,), dtype),
        )
        _utils.set_untracked(self, _w_dw=w_dw, _w_pw=w_pw)
        return w_dw, w_pw

    def _convolve(
        self,
        inputs: tf.Tensor,
        weights: Any,
        data_format: str,
        stride: tuple[int, ...],
        rate: tuple[int, ...],
    ) -> tf.Tensor:
        w_dw, w_pw = weights
        if self._n == 1:
            axis = 2 if data_format.startswith("NC") else 1
            inputs = tf.expand_dims(inputs, axis)
            # The added dimension has size 1 and a kernel of 1, so any stride
            # along it gives one output; an equal one keeps TensorFlow's
            # depthwise kernels happy (without oneDNN they refuse unequal
            # strides) and avoids the oneDNN bug of ``_onednn_needs_swap``.
            stride, rate = (stride[0], *stride), (1, *rate)
            data_format = "NCHW" if data_format.startswith("NC") else "NHWC"
        strides = (1, 1, *stride) if data_format.startswith("NC") else (1, *stride, 1)
        out = tf.nn.separable_conv2d(
            inputs,
            w_dw,
            w_pw,
            strides=strides,
            padding=self._conv_op_padding,
            data_format=data_format,
            dilations=rate,
        )
        if self._n == 1:
            out = tf.squeeze(out, [2 if data_format.startswith("NC") else 1])
        return out


class SeparableConv2D(_SeparableConv):
    """2-D depthwise-separable convolution.

    Variables: ``w_dw`` ``[kh, kw, in, channel_multiplier]``, ``w_pw``
    ``[1, 1, in * channel_multiplier, output_channels]`` and ``b``.

    Example:
      >>> conv = snt.SeparableConv2D(output_channels=4, channel_multiplier=2, kernel_shape=3)
      >>> conv(tf.ones([1, 5, 5, 3])).shape
      TensorShape([1, 5, 5, 4])

    Args:
      output_channels: number of output channels.
      channel_multiplier: depthwise filters per input channel.
      kernel_shape, stride, rate, padding, use_bias, initializers (keys
        ``w_dw``, ``w_pw``, ``b``), partitioners, regularizers, data_format,
        padding_value, custom_getter: as for Conv2D.
      name: module name.
    """

    def __init__(
        self,
        output_channels: int,
        channel_multiplier: int,
        kernel_shape: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        rate: int | Sequence[int] = 1,
        padding: str | Sequence[str] = SAME,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NHWC,
        padding_value: str = CONSTANT_PADDING,
        custom_getter: Any = None,
        name: str = "separable_conv2d",
    ) -> None:
        super().__init__(
            2,
            output_channels,
            channel_multiplier,
            kernel_shape=kernel_shape,
            stride=stride,
            rate=rate,
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


class SeparableConv1D(_SeparableConv):
    """1-D depthwise-separable convolution.

    Variables (4-D, as in Sonnet 1): ``w_dw`` ``[1, k, in, channel_multiplier]``,
    ``w_pw`` ``[1, 1, in * channel_multiplier, output_channels]`` and ``b``.

    Example:
      >>> conv = snt.SeparableConv1D(output_channels=4, channel_multiplier=2, kernel_shape=3)
      >>> conv(tf.ones([1, 5, 3])).shape
      TensorShape([1, 5, 4])

    Args: as for :class:`SeparableConv2D`, with 1-D shapes and formats NWC/NCW.
    """

    def __init__(
        self,
        output_channels: int,
        channel_multiplier: int,
        kernel_shape: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        rate: int | Sequence[int] = 1,
        padding: str | Sequence[str] = SAME,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NWC,
        padding_value: str = CONSTANT_PADDING,
        custom_getter: Any = None,
        name: str = "separable_conv1d",
    ) -> None:
        super().__init__(
            1,
            output_channels,
            channel_multiplier,
            kernel_shape=kernel_shape,
            stride=stride,
            rate=rate,
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
