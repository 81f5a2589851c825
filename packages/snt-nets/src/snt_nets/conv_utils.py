"""Helpers shared by the convolution modules: padding computation, data-format
handling and kernel/stride/rate validation.

Everything here is pure shape logic or a thin wrapper over TensorFlow ops.

Part of snt-nets' public, versioned API for other plugins (snt-rnn and
snt-transpose build on it; see the README's "Public modules"): the names in
``__all__`` keep their signatures and behaviour within a minor release.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks
from snt_nets.conv_constants import (
    ALLOWED_PADDING_VALUES,
    ALLOWED_PADDINGS,
    CAUSAL,
    CONSTANT_PADDING,
    CONV_OP_ALLOWED_PADDINGS,
    FULL,
    REVERSE_CAUSAL,
    SAME,
    SUPPORTED_1D_DATA_FORMATS,
    SUPPORTED_2D_DATA_FORMATS,
    SUPPORTED_3D_DATA_FORMATS,
    VALID,
)

__all__ = [
    "SUPPORTED_DATA_FORMATS",
    "fill_shape",
    "fill_stride",
    "fill_padding",
    "check_padding_value",
    "check_data_format",
    "is_channels_first",
    "channel_axis",
    "spatial_dims",
    "channels_last_format",
    "to_channels_last",
    "to_channels_first",
    "effective_kernel_size",
    "padding_amounts",
    "conv_op_padding",
    "pad_input",
    "output_spatial_size",
    "native_channels_first",
]

SUPPORTED_DATA_FORMATS = {
    1: SUPPORTED_1D_DATA_FORMATS,
    2: SUPPORTED_2D_DATA_FORMATS,
    3: SUPPORTED_3D_DATA_FORMATS,
}


def as_positive_int(value: Any) -> int | None:
    """``value`` as an int if it is a positive integer, else None.

    Python and NumPy integers (not bools) and known ``tf.compat.v1.Dimension``
    values count, as they did in Sonnet 1.
    """
    if isinstance(value, tf.compat.v1.Dimension):
        value = value.value
    if _checks.is_int(value) and value > 0:
        return int(value)
    return None


def fill_shape(x: Any, n: int) -> tuple[int, ...]:
    """``x`` (a positive integer, or ``n`` of them) as an ``n``-tuple of ints.

    ``fill_shape(3, 2) == (3, 3)``; ``fill_shape([2, 3], 2) == (2, 3)``.
    Integers may be Python or NumPy integers or ``tf.compat.v1.Dimension``
    values; any iterable of ``n`` of them (a list, a ``tf.TensorShape``...)
    works. (Sonnet 1's ``conv._fill_shape``.)

    Raises:
      TypeError: ``n`` is not a positive integer ("n must be a positive
        integer"), or ``x`` is neither form.
    """
    if not _checks.is_int(n) or n < 1:
        raise TypeError(f"n must be a positive integer; got {n!r}.")
    if type(x) is tuple and len(x) == n and all(type(v) is int and v > 0 for v in x):
        return x  # already filled (the common case on every connection)
    single = as_positive_int(x)
    if single is not None:
        return (single,) * n
    if not isinstance(x, str | bytes):
        try:
            values = [as_positive_int(v) for v in x]
        except TypeError:  # not iterable
            values = []
        if len(values) == n and None not in values:
            return tuple(values)  # type: ignore[arg-type]
    raise TypeError(
        f"x is {x}, must be either a positive integer or an iterable of positive integers "
        f"of size {n}."
    )


def fill_and_verify_parameter_shape(
    x: Any, n: int, parameter_label: str, module_name: str | None = None
) -> tuple[int, ...]:
    """:func:`fill_shape` for a module argument; a bad value is a shape error.

    ``parameter_label`` names the argument in the message ("Invalid kernel
    shape: ..."). (Sonnet 1's ``conv._fill_and_verify_parameter_shape``.)

    Raises:
      IncompatibleShapeError: ``x`` is not a positive int or ``n`` of them.
    """
    try:
        return fill_shape(x, n)
    except TypeError as e:
        prefix = f"{module_name}: " if module_name else ""
        raise snt.IncompatibleShapeError(f"{prefix}Invalid {parameter_label} shape: {e}") from None


def fill_stride(value: Any, n: int, data_format: str, module_name: str) -> tuple[int, ...]:
    """The ``n`` spatial strides; also accepts Sonnet 1's full-rank form ``(1, s, s, 1)``.

    Raises:
      IncompatibleShapeError: neither form, or a full-rank stride that is not
        1 on the batch and channel dimensions.
    """
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == n + 2:
        first = is_channels_first(data_format)
        outer = (value[0], value[1]) if first else (value[0], value[-1])
        if outer != (1, 1):
            where = "first and second" if first else "first and last"
            raise snt.IncompatibleShapeError(
                f"{module_name}: Invalid stride {tuple(value)}: a full-rank stride must be 1 on "
                f"the batch and channel dimensions ({where} elements for data_format "
                f"{data_format})."
            )
        value = tuple(value[2:]) if first else tuple(value[1:-1])
    return fill_and_verify_parameter_shape(value, n, "stride", module_name)


def one_pad_stride(stride: Sequence[int], data_format: str) -> tuple[int, ...]:
    """Spatial strides padded with 1s to the rank of the inputs (Sonnet 1's ``stride``)."""
    if is_channels_first(data_format):
        return (1, 1, *stride)
    return (1, *stride, 1)


def default_transpose_size(
    input_shape: Sequence[int | None],
    stride: Any,
    kernel_shape: Any = None,
    padding: str = SAME,
) -> tuple[int | None, ...]:
    """The default (largest) output spatial shape of a transposed convolution.

    Each spatial size ``I`` maps to ``I * stride``, plus ``kernel - 1`` for
    VALID padding: the largest size that the forward convolution (same
    kernel, stride and padding) maps back to ``I``. Unknown (None) sizes stay
    None. (Sonnet 1's ``conv._default_transpose_size``.)

    Raises:
      TypeError: ``input_shape`` is empty or None (the module is probably not
        connected yet).
      IncompatibleShapeError: ``stride`` or ``kernel_shape`` do not fit.
      ValueError: ``padding`` is not SAME or VALID.
    """
    if not input_shape:
        raise TypeError(
            f"input_shape is {input_shape!r}; if using Sonnet, are you sure you have connected "
            "the module to inputs?"
        )
    n = len(input_shape)
    strides = fill_and_verify_parameter_shape(stride, n, "stride")
    check_conv_op_padding(padding)
    extra = (0,) * n
    if padding == VALID:
        extra = tuple(k - 1 for k in fill_and_verify_parameter_shape(kernel_shape, n, "kernel"))
    return tuple(
        None if i is None else i * s + e
        for i, s, e in zip(input_shape, strides, extra, strict=True)
    )


def check_conv_op_padding(padding: Any, module_name: str | None = None) -> str:
    """Raises ValueError unless ``padding`` is SAME or VALID (what the TF ops take)."""
    if padding not in CONV_OP_ALLOWED_PADDINGS:
        prefix = f"{module_name}: " if module_name else ""
        raise ValueError(
            f"{prefix}Padding must be member of {sorted(CONV_OP_ALLOWED_PADDINGS)}, not "
            f"{padding!r}."
        )
    return padding


def fill_padding(padding: Any, n: int, module_name: str) -> tuple[str, ...]:
    """One padding name per spatial dimension.

    Raises:
      ValueError: an entry is not one of ``ALLOWED_PADDINGS``, or wrong length.
    """
    paddings = (padding,) * n if isinstance(padding, str) else tuple(padding)
    if len(paddings) != n or any(p not in ALLOWED_PADDINGS for p in paddings):
        raise ValueError(
            f"{module_name}: padding must be one of {sorted(ALLOWED_PADDINGS)} or a sequence "
            f"of {n} of them; got {padding!r}."
        )
    return paddings


def check_padding_value(padding_value: str, module_name: str) -> str:
    """Raises ValueError unless ``padding_value`` is CONSTANT, REFLECT or SYMMETRIC."""
    if padding_value not in ALLOWED_PADDING_VALUES:
        raise ValueError(
            f"{module_name}: padding_value must be one of {sorted(ALLOWED_PADDING_VALUES)}; "
            f"got {padding_value!r}."
        )
    return padding_value


def check_data_format(data_format: str, n: int, module_name: str) -> str:
    """Raises ValueError unless ``data_format`` is supported for ``n`` spatial dims."""
    if data_format not in SUPPORTED_DATA_FORMATS[n]:
        raise ValueError(
            f"{module_name}: Invalid data_format {data_format!r}; the allowed formats are "
            f"{sorted(SUPPORTED_DATA_FORMATS[n])}."
        )
    return data_format


#: The input dtypes the convolutions accept (Sonnet 1's list).
FLOAT_DTYPES = frozenset({tf.float16, tf.bfloat16, tf.float32, tf.float64})


def verify_inputs(
    inputs: Any, n: int, data_format: str, module_name: str
) -> tuple[int | None, ...]:
    """Checks the inputs of an ``n``-D convolution in ``data_format``; their static shape.

    Raises:
      IncompatibleShapeError: the rank is not ``n + 2`` ("Input Tensor must
        have rank ..."), or there are no channels.
      TypeError: the dtype is not float16, bfloat16, float32 or float64
        ("Input must have dtype ...").
      UnderspecifiedError: the number of channels is unknown ("Number of input
        channels must be known ...").
    """
    shape = tf.TensorShape(inputs.shape)
    dims = None if shape.rank is None else tuple(shape.as_list())
    if dims is None or len(dims) != n + 2:
        got = "of unknown rank" if dims is None else f"{_format(dims)} of rank {len(dims)}"
        raise snt.IncompatibleShapeError(
            f"{module_name}: Input Tensor must have rank {n + 2} corresponding to data_format "
            f"{data_format}, but instead was {got}."
        )
    dtype = tf.as_dtype(inputs.dtype).base_dtype
    if dtype not in FLOAT_DTYPES:
        raise TypeError(
            f"{module_name}: Input must have dtype tf.float16, tf.bfloat16, tf.float32 or "
            f"tf.float64, but dtype was {dtype.name}."
        )
    channels = dims[channel_axis(data_format)]
    if channels is None:
        raise snt.UnderspecifiedError(
            f"{module_name}: Number of input channels must be known at module build time; got "
            f"shape {_format(dims)} ({data_format})."
        )
    if channels == 0:
        raise snt.IncompatibleShapeError(
            f"{module_name}: the inputs must have at least one channel; got shape "
            f"{_format(dims)} ({data_format})."
        )
    return dims


def check_dtype_kept(module_name: str, dtype: Any, first: Any) -> None:
    """Checks a later connection's input ``dtype`` is the first connection's (``first``).

    Raises:
      TypeError: the dtypes differ (the module's variables have the first dtype).
    """
    if first is not None and dtype != first:
        raise TypeError(
            f"{module_name}: inputs must keep the dtype of the module's first connection, "
            f"{tf.as_dtype(first).name}; got {tf.as_dtype(dtype).name}. Cast it with tf.cast."
        )


def _format(shape: Sequence[Any]) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def is_channels_first(data_format: str) -> bool:
    """Whether the channel dimension comes right after the batch (``NC...``)."""
    return data_format.startswith("NC")


def channel_axis(data_format: str) -> int:
    """The channel axis of inputs in ``data_format`` (1 or -1)."""
    return 1 if is_channels_first(data_format) else -1


def spatial_dims(shape: Sequence[Any], data_format: str) -> tuple[Any, ...]:
    """The spatial part of a full input ``shape``."""
    return tuple(shape[2:]) if is_channels_first(data_format) else tuple(shape[1:-1])


def channels_last_format(n: int) -> str:
    """``NWC``, ``NHWC`` or ``NDHWC``."""
    return {1: "NWC", 2: "NHWC", 3: "NDHWC"}[n]


def to_channels_last(inputs: tf.Tensor) -> tf.Tensor:
    """``NC...`` to ``N...C``."""
    rank = inputs.shape.rank
    return tf.transpose(inputs, [0, *range(2, rank), 1])


def to_channels_first(inputs: tf.Tensor) -> tf.Tensor:
    """``N...C`` to ``NC...``."""
    rank = inputs.shape.rank
    return tf.transpose(inputs, [0, rank - 1, *range(1, rank - 1)])


def effective_kernel_size(kernel_size: int, rate: int) -> int:
    """The extent of a dilated kernel: ``(k - 1) * rate + 1``."""
    return (kernel_size - 1) * rate + 1


def padding_amounts(padding: str, kernel_size: int, rate: int = 1) -> tuple[int, int]:
    """``(before, after)`` padding of one dimension, for a stride-1 view of ``padding``.

    SAME centres the kernel (the extra element after), FULL pads ``k - 1`` on
    both sides, CAUSAL only before, REVERSE_CAUSAL only after, VALID none.
    """
    total = effective_kernel_size(kernel_size, rate) - 1
    if padding == VALID:
        return (0, 0)
    if padding == SAME:
        return (total // 2, total - total // 2)
    if padding == FULL:
        return (total, total)
    if padding == CAUSAL:
        return (total, 0)
    if padding == REVERSE_CAUSAL:
        return (0, total)
    raise ValueError(f"Unknown padding {padding!r}; expected one of {sorted(ALLOWED_PADDINGS)}.")


def conv_op_padding(paddings: Sequence[str], padding_value: str) -> str:
    """The padding handed to the TensorFlow op.

    All-SAME with zero padding runs as the op's own SAME (which, with strides,
    puts TensorFlow's asymmetric padding where it wants it); everything else
    is padded explicitly and run as VALID.
    """
    if all(p == SAME for p in paddings) and padding_value == CONSTANT_PADDING:
        return SAME
    return VALID


def pad_input(
    inputs: tf.Tensor,
    paddings: Sequence[str],
    kernel_shape: Sequence[int],
    rate: Sequence[int],
    padding_value: str,
    data_format: str,
) -> tf.Tensor:
    """Pads the spatial dimensions of ``inputs`` for a VALID convolution."""
    amounts = [
        padding_amounts(p, k, r) for p, k, r in zip(paddings, kernel_shape, rate, strict=True)
    ]
    if not any(a + b for a, b in amounts):
        return inputs
    full = [[0, 0], *[list(a) for a in amounts], [0, 0]]
    if is_channels_first(data_format):
        full = [[0, 0], [0, 0], *[list(a) for a in amounts]]
    return tf.pad(inputs, full, mode=padding_value)


def output_spatial_size(
    input_size: int | None, kernel_size: int, stride: int, rate: int, padding: str
) -> int | None:
    """The output size of one spatial dimension (None if the input size is unknown)."""
    if input_size is None:
        return None
    if padding == SAME:
        return -(-input_size // stride)
    before, after = padding_amounts(padding, kernel_size, rate)
    extent = input_size + before + after - effective_kernel_size(kernel_size, rate) + 1
    return -(-extent // stride)


def native_channels_first() -> bool:
    """Whether channels-first convolutions run natively (only with a GPU)."""
    return bool(tf.config.list_physical_devices("GPU"))
