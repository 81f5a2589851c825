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

from snt_nets import _checks
from snt_nets.conv_constants import (
    ALLOWED_PADDING_VALUES,
    ALLOWED_PADDINGS,
    CAUSAL,
    CONSTANT_PADDING,
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
    "sonnet1_fill_shape",
]

SUPPORTED_DATA_FORMATS = {
    1: SUPPORTED_1D_DATA_FORMATS,
    2: SUPPORTED_2D_DATA_FORMATS,
    3: SUPPORTED_3D_DATA_FORMATS,
}


def _is_positive_int(value: Any) -> bool:
    """A positive Python or NumPy integer (not a bool), as Sonnet 1 accepted."""
    return _checks.is_int(value) and value > 0


def fill_shape(value: Any, n: int, what: str, module_name: str) -> tuple[int, ...]:
    """``value`` (a positive int or a sequence of ``n`` of them) as an ``n``-tuple.

    Raises:
      TypeError: ``value`` is neither, or has the wrong length or bad entries.
    """
    if _is_positive_int(value):
        return (int(value),) * n
    if isinstance(value, Sequence) and len(value) == n and all(_is_positive_int(v) for v in value):
        return tuple(int(v) for v in value)
    raise TypeError(
        f"{module_name}: {what} must be a positive int or a sequence of {n} positive "
        f"ints; got {value!r}."
    )


def fill_stride(value: Any, n: int, data_format: str, module_name: str) -> tuple[int, ...]:
    """Spatial strides; also accepts Sonnet 1's full-rank form ``(1, s, s, 1)``."""
    if isinstance(value, Sequence) and len(value) == n + 2:
        first = is_channels_first(data_format)
        outer = (value[0], value[1]) if first else (value[0], value[-1])
        if outer != (1, 1):
            raise ValueError(
                f"{module_name}: a full-rank stride must be 1 on the batch and channel "
                f"dimensions; got {tuple(value)} for data_format {data_format}."
            )
        value = tuple(value[2:]) if first else tuple(value[1:-1])
    return fill_shape(value, n, "stride", module_name)


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
            f"{module_name}: data_format must be one of {sorted(SUPPORTED_DATA_FORMATS[n])}; "
            f"got {data_format!r}."
        )
    return data_format


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


def sonnet1_fill_shape(x: Any, n: int) -> tuple[int, ...]:
    """Sonnet 1's ``conv._fill_shape(x, n)``, for code that reads it at its old path.

    ``x`` (a positive int, or a sequence of ``n`` positive ints) as an ``n``-tuple.
    Reachable as ``sonnet.python.modules.conv._fill_shape``; modules use
    :func:`fill_shape`, which names the module and the argument in its errors.

    >>> sonnet1_fill_shape(3, 2), sonnet1_fill_shape([1, 2], 2)
    ((3, 3), (1, 2))

    Raises:
      TypeError: ``n`` is not a positive integer, or ``x`` is neither form.
    """
    if not _is_positive_int(n):
        raise TypeError(f"n must be a positive integer, got {n!r}")
    try:
        return fill_shape(x, n, "x", "_fill_shape")
    except TypeError:
        raise TypeError(
            f"x is {x!r}, must be either a positive integer or an iterable of positive "
            f"integers of size {n}"
        ) from None
