"""Conv3D: 3-D convolution."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from snt_nets.conv.conv_nd import Channels, ConvND
from snt_nets.conv.transposable_conv import TransposableConv
from snt_nets.conv_constants import CONSTANT_PADDING, DATA_FORMAT_NDHWC, SAME


class Conv3D(ConvND, TransposableConv):
    """3-D convolution: kernel ``w`` of shape ``[kd, kh, kw, in, out]``, bias ``b``.

    Example:
      >>> conv = snt.Conv3D(output_channels=4, kernel_shape=3)
      >>> conv(tf.ones([2, 4, 4, 4, 3])).shape  # NDHWC
      TensorShape([2, 4, 4, 4, 4])

    Args:
      output_channels: number of output channels (or a callable returning it).
      kernel_shape: an int or 3 ints.
      stride: an int or 3 ints (or the full-rank form with 1s).
      rate: dilation rate, an int or 3 ints; rate > 1 excludes stride > 1.
      padding: SAME, VALID, FULL, CAUSAL or REVERSE_CAUSAL, or one per dimension.
      use_bias: whether to add a bias.
      initializers: dict with keys ``"w"``/``"b"``; ``w`` defaults to a truncated
        normal with stddev ``1/sqrt(fan_in)``, ``b`` to zeros.
      partitioners: dict with keys ``"w"``/``"b"``.
      regularizers: dict with keys ``"w"``/``"b"``.
      mask: a float array or tensor whose shape is a prefix of the kernel
        shape, multiplied into ``w``.
      data_format: NDHWC (default) or NCDHW.
      padding_value: CONSTANT (zeros), REFLECT or SYMMETRIC.
      custom_getter: a custom getter (or dict of them).
      name: module name.

    Raises:
      IncompatibleShapeError: bad kernel_shape, stride or rate.
      NotSupportedError: stride and rate both > 1.
      ValueError: bad padding, padding_value or data_format.
      TypeError: bad output_channels or mask.
      KeyError: unknown keys in the dicts.
    """

    def __init__(
        self,
        output_channels: Channels,
        kernel_shape: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        rate: int | Sequence[int] = 1,
        padding: str | Sequence[str] = SAME,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        mask: Any = None,
        data_format: str = DATA_FORMAT_NDHWC,
        padding_value: str = CONSTANT_PADDING,
        custom_getter: Any = None,
        name: str = "conv_3d",
    ) -> None:
        super().__init__(
            3,
            output_channels,
            kernel_shape,
            stride=stride,
            rate=rate,
            padding=padding,
            use_bias=use_bias,
            initializers=initializers,
            partitioners=partitioners,
            regularizers=regularizers,
            mask=mask,
            data_format=data_format,
            padding_value=padding_value,
            custom_getter=custom_getter,
            name=name,
        )
