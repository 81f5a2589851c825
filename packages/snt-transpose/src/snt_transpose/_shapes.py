"""Shape logic of transposed convolutions: output-size inference and checks.

A transposed convolution maps an input of spatial size ``I`` to an output of
size ``O`` such that the *forward* convolution (same kernel, stride and
padding) maps ``O`` back to ``I``. Several ``O`` satisfy that when the stride
is above 1; the inferred one is the smallest natural choice:

- SAME: ``O = I * stride``;
- VALID: ``O = I * stride + max(kernel - stride, 0)``.

Pure Python, no TensorFlow; the caller handles unknown (dynamic) sizes.
"""

from __future__ import annotations

from collections.abc import Sequence

from snt_nets import conv_utils
from snt_nets.conv_constants import VALID


def inferred_size(input_size: int, kernel_size: int, stride: int, padding: str) -> int:
    """The default output size of one spatial dimension (see the module docstring)."""
    extra = max(kernel_size - stride, 0) if padding == VALID else 0
    return input_size * stride + extra


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
