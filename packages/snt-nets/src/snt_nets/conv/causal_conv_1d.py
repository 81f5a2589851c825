"""CausalConv1D: a 1-D convolution whose output at t sees inputs up to t only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from snt_nets.conv.conv_nd import Channels, ConvND
from snt_nets.conv_constants import CAUSAL, CONSTANT_PADDING, DATA_FORMAT_NWC


class CausalConv1D(ConvND):
    """A :class:`Conv1D` padded on the left only (``padding=CAUSAL`` by default).

    Same arguments as ``Conv1D``; the default name is ``causal_conv_1d``.
    Not transposable.

    Example:
      >>> conv = snt.CausalConv1D(output_channels=2, kernel_shape=3)
      >>> conv(tf.ones([1, 5, 1])).shape
      TensorShape([1, 5, 2])
    """

    def __init__(
        self,
        output_channels: Channels,
        kernel_shape: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        rate: int | Sequence[int] = 1,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        mask: Any = None,
        padding: str = CAUSAL,
        data_format: str = DATA_FORMAT_NWC,
        padding_value: str = CONSTANT_PADDING,
        custom_getter: Any = None,
        name: str = "causal_conv_1d",
    ) -> None:
        super().__init__(
            1,
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
