"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from snt_nets.conv_constants import DATA_FORMAT_NDHWC, DATA_FORMAT_NHWC, DATA_FORMAT_NWC, SAME
from snt_transpose.conv_transpose_nd import Channels, ConvNDTranspose, Shape

__all__ = ["Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"]


class Conv1DTranspose(ConvNDTranspose):
    """1-D transposed convolution: kernel ``w`` of shape ``[1, k, out, in]``, bias ``b``.

    The gradient of :class:`snt.Conv1D` with respect to its input: maps an
    input of spatial shape ``I`` to the ``output_shape`` that a forward
    convolution with the same kernel, stride and padding maps back to ``I``.
    Inputs are ``[batch, width, channels]`` in NWC.

    Example:
      >>> up = snt.Conv1DTranspose(output_channels=4, kernel_shape=3, stride=2)
      >>> up(tf.ones([2, 8, 3])).shape
      TensorShape([2, 16, 4])

    Args:
      output_channels: number of output channels, or a callable returning it
        (evaluated on first connection).
      output_shape: the spatial output shape (1 int), a callable returning
        it (evaluated on every connection) or None to infer it from the input:
        ``input * stride`` for SAME, plus ``kernel - 1`` for VALID.
      kernel_shape: an int or a sequence of 1 int (required).
      stride: an int or a sequence of 1 int (or the full-rank form with 1s).
      padding: SAME or VALID.
      use_bias: whether to add a bias ``b``.
      initializers: dict with keys ``"w"``/``"b"``; ``w`` defaults to a truncated
        normal with stddev ``1/sqrt(prod(kernel_shape) * input_channels)``,
        ``b`` to zeros.
      partitioners: dict with keys ``"w"``/``"b"``.
      regularizers: dict with keys ``"w"``/``"b"``.
      data_format: NWC (default) or NCW.
      custom_getter: a custom getter (or dict of them).
      name: module name.

    Raises:
      IncompatibleShapeError: bad output_shape, kernel_shape or stride.
      TypeError: bad output_channels.
      ValueError: no kernel_shape, padding other than SAME/VALID, or a bad
        data_format.
      KeyError: unknown keys in the dicts.
    """

    def __init__(
        self,
        output_channels: Channels,
        output_shape: Shape = None,
        kernel_shape: int | Sequence[int] | None = None,
        stride: int | Sequence[int] = 1,
        padding: str = SAME,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NWC,
        custom_getter: Any = None,
        name: str = "conv_1d_transpose",
    ) -> None:
        super().__init__(
            1,
            output_channels,
            output_shape,
            kernel_shape,
            stride,
            padding,
            use_bias,
            initializers,
            partitioners,
            regularizers,
            data_format,
            custom_getter,
            name,
        )


class Conv2DTranspose(ConvNDTranspose):
    """2-D transposed convolution: kernel ``w`` of shape ``[*kernel, out, in]``, bias ``b``.

    The gradient of :class:`snt.Conv2D` with respect to its input: maps an
    input of spatial shape ``I`` to the ``output_shape`` that a forward
    convolution with the same kernel, stride and padding maps back to ``I``.
    Inputs are ``[batch, height, width, channels]`` in NHWC.

    Example:
      >>> up = snt.Conv2DTranspose(output_channels=4, kernel_shape=3, stride=2)
      >>> up(tf.ones([2, 8, 8, 3])).shape
      TensorShape([2, 16, 16, 4])

    Args:
      output_channels: number of output channels, or a callable returning it
        (evaluated on first connection).
      output_shape: the spatial output shape (2 ints), a callable returning
        it (evaluated on every connection) or None to infer it from the input:
        ``input * stride`` for SAME, plus ``kernel - 1`` for VALID.
      kernel_shape: an int or 2 ints (required).
      stride: an int or 2 ints (or the full-rank form with 1s).
      padding: SAME or VALID.
      use_bias: whether to add a bias ``b``.
      initializers: dict with keys ``"w"``/``"b"``; ``w`` defaults to a truncated
        normal with stddev ``1/sqrt(prod(kernel_shape) * input_channels)``,
        ``b`` to zeros.
      partitioners: dict with keys ``"w"``/``"b"``.
      regularizers: dict with keys ``"w"``/``"b"``.
      data_format: NHWC (default) or NCHW.
      custom_getter: a custom getter (or dict of them).
      name: module name.

    Raises:
      IncompatibleShapeError: bad output_shape, kernel_shape or stride.
      TypeError: bad output_channels.
      ValueError: no kernel_shape, padding other than SAME/VALID, or a bad
        data_format.
      KeyError: unknown keys in the dicts.
    """

    def __init__(
        self,
        output_channels: Channels,
        output_shape: Shape = None,
        kernel_shape: int | Sequence[int] | None = None,
        stride: int | Sequence[int] = 1,
        padding: str = SAME,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NHWC,
        custom_getter: Any = None,
        name: str = "conv_2d_transpose",
    ) -> None:
        super().__init__(
            2,
            output_channels,
            output_shape,
            kernel_shape,
            stride,
            padding,
            use_bias,
            initializers,
            partitioners,
            regularizers,
            data_format,
            custom_getter,
            name,
        )


class Conv3DTranspose(ConvNDTranspose):
    """3-D transposed convolution: kernel ``w`` of shape ``[*kernel, out, in]``, bias ``b``.

    The gradient of :class:`snt.Conv3D` with respect to its input: maps an
    input of spatial shape ``I`` to the ``output_shape`` that a forward
    convolution with the same kernel, stride and padding maps back to ``I``.
    Inputs are ``[batch, depth, height, width, channels]`` in NDHWC.

    Example:
      >>> up = snt.Conv3DTranspose(output_channels=4, kernel_shape=3, stride=2)
      >>> up(tf.ones([2, 4, 4, 4, 3])).shape
      TensorShape([2, 8, 8, 8, 4])

    Args:
      output_channels: number of output channels, or a callable returning it
        (evaluated on first connection).
      output_shape: the spatial output shape (3 ints), a callable returning
        it (evaluated on every connection) or None to infer it from the input:
        ``input * stride`` for SAME, plus ``kernel - 1`` for VALID.
      kernel_shape: an int or 3 ints (required).
      stride: an int or 3 ints (or the full-rank form with 1s).
      padding: SAME or VALID.
      use_bias: whether to add a bias ``b``.
      initializers: dict with keys ``"w"``/``"b"``; ``w`` defaults to a truncated
        normal with stddev ``1/sqrt(prod(kernel_shape) * input_channels)``,
        ``b`` to zeros.
      partitioners: dict with keys ``"w"``/``"b"``.
      regularizers: dict with keys ``"w"``/``"b"``.
      data_format: NDHWC (default) or NCDHW.
      custom_getter: a custom getter (or dict of them).
      name: module name.

    Raises:
      IncompatibleShapeError: bad output_shape, kernel_shape or stride.
      TypeError: bad output_channels.
      ValueError: no kernel_shape, padding other than SAME/VALID, or a bad
        data_format.
      KeyError: unknown keys in the dicts.
    """

    def __init__(
        self,
        output_channels: Channels,
        output_shape: Shape = None,
        kernel_shape: int | Sequence[int] | None = None,
        stride: int | Sequence[int] = 1,
        padding: str = SAME,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NDHWC,
        custom_getter: Any = None,
        name: str = "conv_3d_transpose",
    ) -> None:
        super().__init__(
            3,
            output_channels,
            output_shape,
            kernel_shape,
            stride,
            padding,
            use_bias,
            initializers,
            partitioners,
            regularizers,
            data_format,
            custom_getter,
            name,
        )
