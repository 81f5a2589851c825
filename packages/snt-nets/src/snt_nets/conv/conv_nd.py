"""ConvND: the shared machinery of every convolution module in this package."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets import _utils, conv_utils
from snt_nets.conv_constants import CONSTANT_PADDING, SAME, VALID
from snt_nets.initializers import create_bias_initializer, create_weight_initializer
from snt_nets.variable_dicts import VariableDicts

Channels = int | Callable[[], int]


class ConvND(snt.AbstractModule, VariableDicts):
    """Base class of the convolution modules (not exported).

    Subclasses fix ``num_spatial_dims`` and may override :meth:`_weights`
    (which variables exist), :meth:`_convolve` (which op runs) and
    :meth:`_output_channels_for` (channels out for a number of channels in).
    """

    def __init__(
        self,
        num_spatial_dims: int,
        output_channels: Channels | None,
        kernel_shape: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        rate: int | Sequence[int] = 1,
        padding: str | Sequence[str] = SAME,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        mask: Any = None,
        data_format: str = "NHWC",
        padding_value: str = CONSTANT_PADDING,
        custom_getter: Any = None,
        name: str = "conv_nd",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        n, where = num_spatial_dims, self.scope_name
        self._n = n
        self._output_channels = output_channels
        self._data_format = conv_utils.check_data_format(data_format, n, where)
        self._kernel_shape = conv_utils.fill_shape(kernel_shape, n, "kernel_shape", where)
        self._stride = conv_utils.fill_stride(stride, n, data_format, where)
        self._rate = conv_utils.fill_shape(rate, n, "rate", where)
        if max(self._rate) > 1 and max(self._stride) > 1:
            raise ValueError(
                f"{where}: a dilated convolution (rate {self._rate}) cannot also be strided "
                f"(stride {self._stride})."
            )
        self._padding = conv_utils.fill_padding(padding, n, where)
        self._padding_value = conv_utils.check_padding_value(padding_value, where)
        self._conv_op_padding = conv_utils.conv_op_padding(self._padding, padding_value)
        self._use_bias = use_bias
        self._mask = None if mask is None else np.asarray(mask)
        keys = self.get_possible_initializer_keys(use_bias=use_bias)
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        _utils.set_untracked(self, _input_shape=None, _w=None, _b=None)

    @classmethod
    def get_possible_initializer_keys(cls, use_bias: bool = True) -> set[str]:
        """``{"w", "b"}``, or ``{"w"}`` without bias."""
        return {"w", "b"} if use_bias else {"w"}

    # -- connection -----------------------------------------------------------

    def _check_input(self, inputs: tf.Tensor) -> int:
        shape = _utils.static_shape(inputs)
        if len(shape) != self._n + 2:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: expected inputs of rank {self._n + 2} in "
                f"{self._data_format} format; got shape {_utils.format_shape(shape)}."
            )
        if not tf.as_dtype(inputs.dtype).is_floating:
            raise TypeError(
                f"{self.scope_name}: inputs must be floating point; got {inputs.dtype.name}."
            )
        channels = shape[conv_utils.channel_axis(self._data_format)]
        if channels is None:
            raise snt.UnderspecifiedError(
                f"{self.scope_name}: the number of input channels must be known; got shape "
                f"{_utils.format_shape(shape)} ({self._data_format})."
            )
        if self._input_shape is not None:
            known = self._input_shape[conv_utils.channel_axis(self._data_format)]
            if known != channels:
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: the number of input channels must stay {known} "
                    f"(from the first connection); got {channels} in shape "
                    f"{_utils.format_shape(shape)}."
                )
        _utils.set_untracked(self, _input_shape=shape)
        return channels

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Convolves ``inputs`` (rank ``N + 2`` in ``data_format``).

        Raises:
          IncompatibleShapeError: wrong rank, or different input channels than
            on the first connection, or a mask not matching the weights.
          UnderspecifiedError: the number of input channels is unknown.
          TypeError: inputs are not floating point.
        """
        in_channels = self._check_input(inputs)
        data_format = self._data_format
        transposed = conv_utils.is_channels_first(data_format) and not (
            conv_utils.native_channels_first()
        )
        net = inputs
        if transposed:
            net = conv_utils.to_channels_last(net)
            data_format = conv_utils.channels_last_format(self._n)
        if self._conv_op_padding == VALID:
            net = conv_utils.pad_input(
                net, self._padding, self._kernel_shape, self._rate, self._padding_value, data_format
            )
        self._check_kernel_fits(net, data_format)
        weights = self._weights(in_channels, inputs.dtype)
        net = self._convolve(net, weights, data_format)
        if self._use_bias:
            b = snt.get_cached_variable("b")  # skips the initializer on the eager fast path
            if b is None:
                out_channels = self._output_channels_for(in_channels)
                b = _utils.get_variable(
                    "b",
                    (out_channels,),
                    inputs.dtype,
                    self._initializers,
                    self._partitioners,
                    self._regularizers,
                    create_bias_initializer((out_channels,), inputs.dtype),
                )
            _utils.set_untracked(self, _b=b)
            bias_format = "NC..." if conv_utils.is_channels_first(data_format) else "N...C"
            net = tf.nn.bias_add(net, b, data_format=bias_format)
        if transposed:
            net = conv_utils.to_channels_first(net)
        return net

    def _check_kernel_fits(self, padded: tf.Tensor, data_format: str) -> None:
        if self._conv_op_padding != VALID:
            return
        sizes = conv_utils.spatial_dims(_utils.static_shape(padded), data_format)
        for size, k, r in zip(sizes, self._kernel_shape, self._rate, strict=True):
            if size is not None and size < conv_utils.effective_kernel_size(k, r):
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: the (padded) input's spatial shape {list(sizes)} is "
                    f"smaller than the kernel {list(self._kernel_shape)} (rate "
                    f"{list(self._rate)}); the output would be empty."
                )

    def _weights(self, in_channels: int, dtype: tf.DType) -> Any:
        w = snt.get_cached_variable("w")  # skips the initializer on the eager fast path
        if w is None:
            out_channels = self._output_channels_for(in_channels)
            w = _utils.get_variable(
                "w",
                (*self._kernel_shape, in_channels, out_channels),
                dtype,
                self._initializers,
                self._partitioners,
                self._regularizers,
                create_weight_initializer((*self._kernel_shape, in_channels), dtype),
            )
        _utils.set_untracked(self, _w=w)
        return self._apply_mask(w)

    def _apply_mask(self, w: Any) -> Any:
        if self._mask is None:
            return w
        w_shape = tuple(w.shape.as_list())
        mask_shape = self._mask.shape
        if mask_shape != w_shape[: len(mask_shape)]:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the mask shape {list(mask_shape)} must be a prefix of the "
                f"weight shape {list(w_shape)}."
            )
        mask = self._mask.reshape(mask_shape + (1,) * (len(w_shape) - len(mask_shape)))
        return w * tf.constant(mask, dtype=w.dtype)

    def _convolve(self, inputs: tf.Tensor, weights: Any, data_format: str) -> tf.Tensor:
        return tf.nn.convolution(
            inputs,
            weights,
            strides=self._stride,
            padding=self._conv_op_padding,
            data_format=data_format,
            dilations=self._rate,
        )

    def _output_channels_for(self, in_channels: int) -> int:
        del in_channels
        return self.output_channels

    # -- properties -----------------------------------------------------------

    @property
    def output_channels(self) -> int:
        """The number of output channels (a deferred value is evaluated and kept)."""
        if callable(self._output_channels):
            self._output_channels = self._output_channels()
        return self._output_channels

    @property
    def kernel_shape(self) -> tuple[int, ...]:
        return self._kernel_shape

    @property
    def stride(self) -> tuple[int, ...]:
        """The spatial strides."""
        return self._stride

    @property
    def rate(self) -> tuple[int, ...]:
        return self._rate

    @property
    def padding(self) -> str:
        """The padding, when the same for every dimension.

        Raises:
          ValueError: the dimensions use different paddings (see ``paddings``).
        """
        if len(set(self._padding)) == 1:
            return self._padding[0]
        raise ValueError(
            f"{self.scope_name}: the paddings differ per dimension ({self._padding}); use "
            "the paddings property."
        )

    @property
    def paddings(self) -> tuple[str, ...]:
        """The padding of each spatial dimension."""
        return self._padding

    @property
    def conv_op_padding(self) -> str:
        """The padding passed to the TensorFlow op (SAME or VALID)."""
        return self._conv_op_padding

    @property
    def padding_value(self) -> str:
        return self._padding_value

    @property
    def data_format(self) -> str:
        return self._data_format

    @property
    def mask(self) -> np.ndarray | None:
        return self._mask

    @property
    def has_bias(self) -> bool:
        return self._use_bias

    @property
    def w(self) -> tf.Variable:
        """The kernel. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._w

    @property
    def b(self) -> tf.Variable:
        """The bias. Raises NotConnectedError before connection, AttributeError without bias."""
        self._ensure_is_connected()
        if not self._use_bias:
            raise AttributeError(f"{self.scope_name}: no bias b: built with use_bias=False.")
        return self._b

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        """The last input's shape. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._input_shape

    @property
    def input_channels(self) -> int:
        """The number of input channels. Raises NotConnectedError before connection."""
        return self.input_shape[conv_utils.channel_axis(self._data_format)]
