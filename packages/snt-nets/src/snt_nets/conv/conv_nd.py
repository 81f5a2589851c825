"""ConvND: the shared machinery of every convolution module in this package."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils, conv_utils
from snt_nets.conv import conv_mask
from snt_nets.conv_constants import CONSTANT_PADDING, REFLECT_PADDING, SAME, VALID
from snt_nets.initializers import create_bias_initializer, create_weight_initializer
from snt_nets.variable_dicts import VariableDicts

Channels = int | Callable[[], int]


def _check_output_channels(output_channels: Any, module_name: str) -> Channels:
    """``output_channels`` as an int, or the callable given.

    Python and NumPy integers and ``tf.compat.v1.Dimension`` values are taken.

    Raises:
      TypeError: neither a positive integer nor a callable.
    """
    if callable(output_channels):
        return output_channels
    value = conv_utils.as_positive_int(output_channels)
    if value is None:
        raise TypeError(
            f"{module_name}: output_channels must be a positive int or a callable returning "
            f"one; got {output_channels!r}."
        )
    return value


def _onednn_needs_swap(in_channels: int, stride: tuple[int, ...]) -> bool:
    """Whether to run the op with the last two spatial dimensions swapped.

    TensorFlow's oneDNN (MKL) CPU kernels for conv2d, conv3d and
    depthwise_conv2d (TF 2.21, on by default on x86) return wrong values, at
    random, for a single input channel with a stride above 1 along the last
    spatial dimension and of 1 along the one before; the swapped problem
    (stride 1 along the last dimension) computes correctly.
    """
    return in_channels == 1 and len(stride) >= 2 and stride[-2] == 1 and stride[-1] > 1


def _swap_last(values: tuple[int, ...]) -> tuple[int, ...]:
    return (*values[:-2], values[-1], values[-2])


def _swap_last_spatial(tensor: Any, data_format: str) -> Any:
    """Swaps the last two spatial dimensions of ``tensor`` in ``data_format``.

    ``"N..."`` stands for a kernel, whose spatial dimensions come first and
    are followed by two channel dimensions.
    """
    rank = tensor.shape.rank
    if data_format == "N...":
        a, b = rank - 4, rank - 3
    elif conv_utils.is_channels_first(data_format):
        a, b = rank - 2, rank - 1
    else:
        a, b = rank - 3, rank - 2
    perm = list(range(rank))
    perm[a], perm[b] = b, a
    return tf.transpose(tensor, perm)


class ConvND(snt.AbstractModule, VariableDicts):
    """Base class of the convolution modules (not exported).

    Subclasses fix ``num_spatial_dims`` and may override :meth:`_weights`
    (which variables exist), :meth:`_convolve` (which op runs) and
    :meth:`_output_channels_for` (channels out for a number of channels in);
    those deriving the output channels from the input set
    ``_CHANNELS_FROM_INPUT`` and pass ``output_channels=None``.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "tensor"}

    _CHANNELS_FROM_INPUT = False

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
        if not self._CHANNELS_FROM_INPUT:
            output_channels = _check_output_channels(output_channels, where)
        self._output_channels = output_channels
        self._data_format = conv_utils.check_data_format(data_format, n, where)
        fill = conv_utils.fill_and_verify_parameter_shape
        self._kernel_shape = fill(kernel_shape, n, "kernel", where)
        self._stride = conv_utils.fill_stride(stride, n, data_format, where)
        self._rate = fill(rate, n, "rate", where)
        if max(self._rate) > 1 and max(self._stride) > 1:
            raise snt.NotSupportedError(
                f"{where}: Cannot have stride > 1 with rate > 1 (a dilated convolution cannot "
                f"be strided); got rate {self._rate} and stride {self._stride}."
            )
        self._padding = conv_utils.fill_padding(padding, n, where)
        self._padding_value = conv_utils.check_padding_value(padding_value, where)
        self._conv_op_padding = conv_utils.conv_op_padding(self._padding, padding_value)
        self._use_bias = use_bias
        self._mask = None if mask is None else conv_mask.check_mask(mask, where)
        keys = self.get_possible_initializer_keys(use_bias=use_bias)
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        _utils.set_untracked(self, _input_shape=None, _w=None, _b=None)

    @classmethod
    def get_possible_initializer_keys(cls, use_bias: bool = True) -> set[str]:
        """``{"w", "b"}``, or ``{"w"}`` without bias."""
        return {"w", "b"} if use_bias else {"w"}

    # -- cloning --------------------------------------------------------------

    def _clone_kwargs(self) -> dict[str, Any]:
        """The constructor arguments rebuilding this module (all but ``name``)."""
        return {
            "output_channels": self._output_channels,
            "kernel_shape": self._kernel_shape,
            "stride": self._stride,
            "rate": self._rate,
            "padding": self._padding,
            "use_bias": self._use_bias,
            "initializers": self._initializers,
            "partitioners": self._partitioners,
            "regularizers": self._regularizers,
            "mask": self._mask,
            "data_format": self._data_format,
            "padding_value": self._padding_value,
            "custom_getter": self.custom_getter,
        }

    def clone(self, name: str | None = None) -> ConvND:
        """A new module of the same class and settings, with variables of its own.

        Args:
          name: the clone's name; defaults to this module's name + ``"_clone"``.
        """
        name = f"{self.module_name}_clone" if name is None else name
        return type(self)(name=name, **self._clone_kwargs())

    # -- connection -----------------------------------------------------------

    def _check_input(self, inputs: tf.Tensor) -> int:
        """Checks ``inputs`` (see ``conv_utils.verify_inputs``); their channel count."""
        shape = conv_utils.verify_inputs(inputs, self._n, self._data_format, self.scope_name)
        dtype = inputs.dtype.base_dtype
        conv_utils.check_dtype_kept(self.scope_name, dtype, getattr(self, "_input_dtype", None))
        axis = conv_utils.channel_axis(self._data_format)
        channels = shape[axis]
        if self._input_shape is not None and self._input_shape[axis] != channels:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the number of input channels must stay "
                f"{self._input_shape[axis]} (from the first connection); got {channels} in "
                f"shape {_utils.format_shape(shape)}."
            )
        _utils.set_untracked(self, _input_shape=shape, _input_dtype=dtype)
        return channels

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Convolves ``inputs`` (rank ``N + 2`` in ``data_format``).

        Raises:
          IncompatibleShapeError: wrong rank, no input channels or different
            ones than on the first connection, a mask not matching the
            weights, a VALID-padded input smaller than the kernel, or an input
            too small for a REFLECT (SYMMETRIC) padding, which can only add
            fewer (no more) elements than a dimension has.
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
            self._check_mirror_padding_fits(net, data_format)
            net = conv_utils.pad_input(
                net, self._padding, self._kernel_shape, self._rate, self._padding_value, data_format
            )
        self._check_kernel_fits(net, data_format)
        weights = self._weights(in_channels, inputs.dtype)
        stride, rate = self._stride, self._rate
        swap = _onednn_needs_swap(in_channels, stride)
        if swap:  # same result with the last two spatial dimensions swapped
            net = _swap_last_spatial(net, data_format)
            weights = tf.nest.map_structure(lambda w: _swap_last_spatial(w, "N..."), weights)
            stride, rate = _swap_last(stride), _swap_last(rate)
        net = self._convolve(net, weights, data_format, stride, rate)
        if swap:
            net = _swap_last_spatial(net, data_format)
        if self._use_bias:
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

    def _check_mirror_padding_fits(self, inputs: tf.Tensor, data_format: str) -> None:
        """REFLECT pads fewer elements than a dimension has, SYMMETRIC at most as many."""
        if self._padding_value == CONSTANT_PADDING:
            return
        sizes = conv_utils.spatial_dims(_utils.static_shape(inputs), data_format)
        reflect = self._padding_value == REFLECT_PADDING
        dims = zip(sizes, self._padding, self._kernel_shape, self._rate, strict=True)
        for size, padding, k, r in dims:
            amount = max(conv_utils.padding_amounts(padding, k, r))
            if size is not None and (amount >= size if reflect else amount > size):
                limit = "fewer" if reflect else "no more"
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: {padding} padding with padding_value "
                    f"{self._padding_value} needs to pad {amount} elements on a side of a "
                    f"dimension of size {size}, but can only pad {limit} elements than the "
                    f"dimension has; got input spatial shape {list(sizes)} for the kernel "
                    f"{list(self._kernel_shape)} (rate {list(self._rate)})."
                )

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
        return conv_mask.apply_mask(w, self._mask, self.scope_name)

    def _convolve(
        self,
        inputs: tf.Tensor,
        weights: Any,
        data_format: str,
        stride: tuple[int, ...],
        rate: tuple[int, ...],
    ) -> tf.Tensor:
        """The convolution op on the padded ``inputs``, with these spatial strides and rates."""
        return tf.nn.convolution(
            inputs,
            weights,
            strides=stride,
            padding=self._conv_op_padding,
            data_format=data_format,
            dilations=rate,
        )

    def _output_channels_for(self, in_channels: int) -> int:
        del in_channels
        return self.output_channels

    # -- properties -----------------------------------------------------------

    @property
    def output_channels(self) -> int:
        """The number of output channels (a deferred value is evaluated and kept).

        Raises:
          TypeError: a deferred value did not give a positive int.
        """
        if callable(self._output_channels):
            result = self._output_channels()
            value = conv_utils.as_positive_int(result)
            if value is None:
                raise TypeError(
                    f"{self.scope_name}: the output_channels callable must return a positive "
                    f"int; got {result!r}."
                )
            self._output_channels = value
        return self._output_channels

    @property
    def kernel_shape(self) -> tuple[int, ...]:
        return self._kernel_shape

    @property
    def stride(self) -> tuple[int, ...]:
        """The strides padded with 1s to the inputs' rank: ``(1, sh, sw, 1)`` in NHWC.

        (As in Sonnet 1; ``(1, 1, sh, sw)`` for channels-first formats.)
        """
        return conv_utils.one_pad_stride(self._stride, self._data_format)

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
    def mask(self) -> conv_mask.Mask | None:
        """The mask (a NumPy array, or the graph tensor given), or None."""
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
