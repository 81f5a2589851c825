"""ConvNDTranspose: the machinery shared by Conv1D/2D/3DTranspose."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import conv_utils
from snt_nets.conv_constants import CONV_OP_ALLOWED_PADDINGS, VALID
from snt_nets.variable_dicts import VariableDicts
from snt_transpose import _shapes
from snt_transpose._utils import (
    bias_initializer,
    format_shape,
    set_untracked,
    weight_initializer,
)

Channels = int | Callable[[], int]
Shape = Sequence[int] | int | Callable[[], Sequence[int]] | None


class ConvNDTranspose(snt.AbstractModule, snt.Transposable, VariableDicts):
    """Base class of the transposed convolutions (not exported).

    Variables: ``w`` of shape ``[*kernel_shape, output_channels, input_channels]``
    and, with ``use_bias``, ``b`` of shape ``[output_channels]``.

    ``output_shape`` (the spatial part of the output) may be a sequence of ints
    (fixed), a callable returning one (evaluated on every connection; how a
    ``ConvND.transpose()`` reads the original's input shape) or None (inferred
    on every connection from the input size, stride, kernel and padding; see
    :mod:`snt_transpose._shapes`). ``output_channels`` may be an int or a
    callable, evaluated once on first use.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "tensor"}

    def __init__(
        self,
        num_spatial_dims: int,
        output_channels: Channels,
        output_shape: Shape,
        kernel_shape: int | Sequence[int] | None,
        stride: int | Sequence[int],
        padding: str | Sequence[str],
        use_bias: bool,
        initializers: Mapping[str, Any] | None,
        partitioners: Mapping[str, Any] | None,
        regularizers: Mapping[str, Any] | None,
        data_format: str,
        custom_getter: Any,
        name: str,
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        n, where = num_spatial_dims, self.scope_name
        if not callable(output_channels):
            channels = conv_utils.as_positive_int(output_channels)  # ints, Dimensions
            if channels is None:
                raise TypeError(
                    f"{where}: output_channels must be a positive int or a callable returning "
                    f"one; got {output_channels!r}."
                )
            output_channels = channels
        if kernel_shape is None:
            raise ValueError(f"{where}: `kernel_shape` cannot be None. Give an int or {n} ints.")
        data_format = conv_utils.check_data_format(data_format, n, where)
        paddings = set(conv_utils.fill_padding(padding, n, where))
        if len(paddings) != 1 or not paddings <= CONV_OP_ALLOWED_PADDINGS:
            raise ValueError(
                f"{where}: Padding must be member of {sorted(CONV_OP_ALLOWED_PADDINGS)} (the "
                f"same for every dimension); got {padding!r}."
            )
        fill = conv_utils.fill_and_verify_parameter_shape
        if output_shape is not None and not callable(output_shape):
            output_shape = fill(output_shape, n, "output_shape", where)
        keys = self.get_possible_initializer_keys(use_bias=use_bias)
        set_untracked(
            self,
            _n=n,
            _output_channels=output_channels,
            _output_shape=output_shape,
            _kernel_shape=fill(kernel_shape, n, "kernel", where),
            _stride=conv_utils.fill_stride(stride, n, data_format, where),
            _padding=paddings.pop(),
            _use_bias=use_bias,
            _data_format=data_format,
            _custom_getter=custom_getter,
            _initializers=snt.check_initializers(initializers, keys, module_name=where),
            _partitioners=snt.check_partitioners(partitioners, keys, module_name=where),
            _regularizers=snt.check_regularizers(regularizers, keys, module_name=where),
            _input_shape=None,
            _last_output_shape=None,
            _w=None,
            _b=None,
        )

    @classmethod
    def get_possible_initializer_keys(cls, use_bias: bool = True) -> set[str]:
        """``{"w", "b"}``, or ``{"w"}`` without bias."""
        return {"w", "b"} if use_bias else {"w"}

    # -- connection -----------------------------------------------------------

    def _check_input(self, inputs: tf.Tensor) -> tuple[int | None, ...]:
        """Checks ``inputs`` (see ``conv_utils.verify_inputs``); their static shape."""
        shape = conv_utils.verify_inputs(inputs, self._n, self._data_format, self.scope_name)
        dtype = inputs.dtype.base_dtype
        conv_utils.check_dtype_kept(self.scope_name, dtype, getattr(self, "_input_dtype", None))
        axis = conv_utils.channel_axis(self._data_format)
        if self._input_shape is not None and self._input_shape[axis] != shape[axis]:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the number of input channels must stay "
                f"{self._input_shape[axis]} (from the first connection); got {shape[axis]} in "
                f"shape {format_shape(shape)}."
            )
        set_untracked(self, _input_shape=shape, _input_dtype=dtype)
        return shape

    def _resolve_output_shape(self, in_spatial: Sequence[int | None]) -> tuple[int | None, ...]:
        """The static output spatial shape; None where only known at run time."""
        given = self._output_shape
        if callable(given):
            value = given()
            given = _shapes.as_output_shape(value, self._n)
            if given is None:
                raise TypeError(
                    f"{self.scope_name}: the output_shape callable must return {self._n} "
                    f"positive ints (or None for sizes to infer); got {value!r}."
                )
        inferred = conv_utils.default_transpose_size(
            in_spatial, self._stride, self._kernel_shape, self._padding
        )
        if given is None:
            return inferred
        return tuple(i if o is None else o for o, i in zip(given, inferred, strict=True))

    def _check_output_fits(
        self,
        inputs: tf.Tensor,
        in_spatial: Sequence[int | None],
        out_spatial: Sequence[int | None],
    ) -> tf.Tensor:
        """``inputs``, failing at run time when ``out_spatial`` does not fit them.

        The forward convolution must map the output shape back to the input's
        spatial shape. As with Sonnet 1 (where the TensorFlow op failed), a
        mismatch is an ``InvalidArgumentError`` when the graph runs (at once
        in eager mode), so graphs that are built but never run are unaffected.
        """
        bad = _shapes.mismatched_dims(
            in_spatial, out_spatial, self._kernel_shape, self._stride, self._padding
        )
        if not bad:
            return inputs
        mapped = [
            _shapes.forward_size(o, k, s, self._padding)
            for o, k, s in zip(out_spatial, self._kernel_shape, self._stride, strict=True)
        ]
        message = (
            f"{self.scope_name}: output_shape {list(out_spatial)} does not fit the input spatial "
            f"shape {list(in_spatial)}: a {self._padding} convolution with kernel "
            f"{list(self._kernel_shape)} and stride {list(self._stride)} maps it to {mapped}."
        )
        if tf.executing_eagerly():
            raise tf.errors.InvalidArgumentError(None, None, message)
        check = tf.debugging.Assert(False, [message])
        with tf.control_dependencies([check]):
            return tf.identity(inputs)

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Applies the transposed convolution to ``inputs`` (rank ``N + 2``).

        Raises:
          IncompatibleShapeError: wrong rank, no input channels or different
            ones than on the first connection.
          UnderspecifiedError: the number of input channels is unknown.
          TypeError: inputs not of a float dtype, or a bad ``output_shape``
            callable result.
          tf.errors.InvalidArgumentError: (when run) an ``output_shape`` that
            the forward convolution does not map back to the input's spatial
            shape.
        """
        shape = self._check_input(inputs)
        fmt = self._data_format
        in_spatial = conv_utils.spatial_dims(shape, fmt)
        out_spatial = self._resolve_output_shape(in_spatial)
        inputs = self._check_output_fits(inputs, in_spatial, out_spatial)
        set_untracked(self, _last_output_shape=out_spatial)
        in_channels = shape[conv_utils.channel_axis(fmt)]
        out_channels = self.output_channels
        dtype = inputs.dtype
        # Sonnet 1 kept a 2-D kernel [1, k, out, in] for the 1-D module.
        w = snt.get_variable(
            "w",
            shape=(*(1,) * (self._n == 1), *self._kernel_shape, out_channels, in_channels),
            dtype=dtype,
            initializer=self._initializers.get(
                "w", weight_initializer(math.prod(self._kernel_shape) * in_channels, dtype)
            ),
            partitioner=self._partitioners.get("w"),
            regularizer=self._regularizers.get("w"),
        )
        set_untracked(self, _w=w)
        channels_last = not conv_utils.is_channels_first(fmt) or (
            not conv_utils.native_channels_first()
        )
        net = inputs
        if conv_utils.is_channels_first(fmt) and channels_last:
            net = conv_utils.to_channels_last(net)
        op_format = conv_utils.channels_last_format(self._n) if channels_last else fmt
        net = self._convolve(net, w, out_spatial, out_channels, op_format)
        if self._use_bias:
            b = snt.get_variable(
                "b",
                shape=(out_channels,),
                dtype=dtype,
                initializer=self._initializers.get("b", bias_initializer(dtype)),
                partitioner=self._partitioners.get("b"),
                regularizer=self._regularizers.get("b"),
            )
            set_untracked(self, _b=b)
            net = tf.nn.bias_add(net, b, data_format="N...C" if channels_last else "NC...")
        if conv_utils.is_channels_first(fmt) and channels_last:
            net = conv_utils.to_channels_first(net)
        return net

    def _convolve(
        self,
        inputs: tf.Tensor,
        w: Any,
        out_spatial: Sequence[int | None],
        out_channels: int,
        op_format: str,
    ) -> tf.Tensor:
        """``tf.nn.conv_transpose`` with a static output shape where one is known."""
        static = tuple(tf.TensorShape(inputs.shape).as_list())
        first = conv_utils.is_channels_first(op_format)
        dynamic = None
        if None in static or None in out_spatial:
            dynamic = tf.shape(inputs)
        spatial = []
        for d, (o, k, s) in enumerate(
            zip(out_spatial, self._kernel_shape, self._stride, strict=True)
        ):
            if o is None:  # unknown input size: infer at run time
                size = dynamic[(2 if first else 1) + d]
                o = size * s + (k - 1 if self._padding == VALID else 0)
            spatial.append(o)
        batch = static[0] if static[0] is not None else dynamic[0]
        dims = [batch, out_channels, *spatial] if first else [batch, *spatial, out_channels]
        output_shape = dims if all(isinstance(d, int) for d in dims) else tf.stack(dims)
        if self._n == 1:
            w = tf.squeeze(w, axis=0)
        net = tf.nn.conv_transpose(
            inputs,
            w,
            output_shape,
            strides=self._stride,
            padding=self._padding,
            data_format=op_format,
        )
        known = [d if isinstance(d, int) else None for d in dims]
        net.set_shape(known)
        return net

    # -- transpose ------------------------------------------------------------

    def transpose(self, name: str | None = None) -> Any:
        """The matching ``snt.Conv{N}D`` (from snt-nets), mapping back to this input.

        Its output channels are read from this module's input when it connects,
        so it may be created before this module is connected.

        Raises:
          NotSupportedError: ``snt.Conv{N}D`` cannot be found (snt-nets missing
            or disabled).
        """
        where, cls_name = self.scope_name, f"Conv{self._n}D"
        try:
            cls = getattr(snt, cls_name)
        except (AttributeError, ImportError) as e:
            raise snt.NotSupportedError(
                f"{where}: transpose() needs snt.{cls_name} from the snt-nets package: {e}"
            ) from e
        return cls(
            output_channels=lambda: self.input_channels,
            kernel_shape=self._kernel_shape,
            stride=self._stride,
            padding=self._padding,
            use_bias=self._use_bias,
            initializers=self._initializers,
            partitioners=self._partitioners,
            regularizers=self._regularizers,
            data_format=self._data_format,
            custom_getter=self._custom_getter,
            name=name if name is not None else f"{self.module_name}_transpose",
        )

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
            set_untracked(self, _output_channels=value)
        return self._output_channels

    @property
    def output_shape(self) -> tuple[int | None, ...]:
        """The spatial output shape.

        A fixed shape is returned as is, a callable is evaluated now; an
        inferred shape is the one of the last connection.

        Raises:
          NotConnectedError: the shape is inferred and the module is not connected.
        """
        if callable(self._output_shape):
            return self._resolve_output_shape((None,) * self._n)
        if self._output_shape is not None:
            return self._output_shape
        if self._last_output_shape is None:
            self._ensure_is_connected()  # the shape is inferred from the input
        return self._last_output_shape

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
    def padding(self) -> str:
        """SAME or VALID."""
        return self._padding

    @property
    def conv_op_padding(self) -> str:
        """The padding given to the TensorFlow op (the same as ``padding``)."""
        return self._padding

    @property
    def data_format(self) -> str:
        return self._data_format

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
