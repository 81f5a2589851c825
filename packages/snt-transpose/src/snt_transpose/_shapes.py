"""Shape logic of transposed convolutions: output-size inference and checks.

A transposed convolution maps an input of spatial size ``I`` to an output of
size ``O`` such that the *forward* convolution (same kernel, stride and
padding) maps ``O`` back to ``I``. Several ``O`` satisfy that when the stride
is above 1; the inferred one is Sonnet 1's, the largest
(``conv_utils.default_transpose_size``):

- SAME: ``O = I * stride``;
- VALID: ``O = I * stride + kernel - 1``.

No TensorFlow ops; the caller handles unknown (dynamic) sizes.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from snt_nets import conv_utils


def as_output_shape(value: Any, n: int) -> tuple[int | None, ...] | None:
    """``value`` (``n`` sizes, each a positive int or None) as a tuple; None if it is not.

    A single positive int stands for all ``n`` sizes; ``tf.compat.v1.Dimension``
    values and ``tf.TensorShape`` are accepted (what a callable may return).
    """
    try:
        return conv_utils.fill_shape(value, n)
    except TypeError:
        pass
    if isinstance(value, str | bytes):
        return None
    try:
        entries = [getattr(v, "value", v) for v in value]  # Dimension -> its value
    except TypeError:
        return None
    if len(entries) != n or not all(
        v is None or (isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0)
        for v in entries
    ):
        return None
    return tuple(None if v is None else int(v) for v in entries)


def forward_size(output_size: int, kernel_size: int, stride: int, padding: str) -> int:
    """The size the forward convolution maps ``output_size`` to."""
    return conv_utils.output_spatial_size(output_size, kernel_size, stride, 1, padding)


def mismatched_dims(
    input_sizes: Sequence[int | None],
    output_sizes: Sequence[int | None],
    kernel_shape: Sequence[int],
    stride: Sequence[int],
    padding: str,
) -> list[int]:
    """Indices of dimensions whose output size the forward conv does not map back.

    Unknown (None) sizes are not checked.
    """
    return [
        d
        for d, (i, o, k, s) in enumerate(
            zip(input_sizes, output_sizes, kernel_shape, stride, strict=True)
        )
        if i is not None and o is not None and forward_size(o, k, s, padding) != i
    ]
