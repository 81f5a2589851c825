"""Initializers of convolution kernels that compute (nearly) the identity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import tensorflow as tf


def _range_along_dimension(range_dim: int, shape: Sequence[int]) -> tf.Tensor:
    """An int32 tensor of ``shape`` whose entries are their index along ``range_dim``.

    For example ``_range_along_dimension(1, [2, 3])`` is ``[[0, 1, 2], [0, 1, 2]]``.

    Raises:
      ValueError: ``range_dim`` is not a dimension of ``shape``.
    """
    rank = len(shape)
    if not 0 <= range_dim < rank:
        raise ValueError(
            f"Cannot calculate range along non-existent index. (dimension {range_dim} of a "
            f"rank-{rank} shape)"
        )
    indices = tf.range(shape[range_dim])
    column = [1] * rank
    column[range_dim] = shape[range_dim]
    return tf.broadcast_to(tf.reshape(indices, column), shape)


def _kernel_shape(shape: Any, what: str) -> tuple[int, int, int, int]:
    """``shape`` as four ints, checked to be a square, odd-sized kernel."""
    dims = tuple(int(d) for d in tf.TensorShape(shape).as_list())
    if len(dims) != 4:
        raise ValueError(
            f"{what}: Convolution kernels must be rank 4 ([height, width, in, out]); got "
            f"{list(dims)}."
        )
    height, width = dims[:2]
    if height != width:
        raise ValueError(f"{what} only works for square filters; got {height}x{width}.")
    if height % 2 != 1:
        raise ValueError(
            f"{what} requires filters have odd height and width; got {height}x{width}."
        )
    return dims  # type: ignore[return-value]


def _at_centre(shape: Sequence[int]) -> tf.Tensor:
    """True at the kernel's centre pixel (every channel pair)."""
    middle = shape[0] // 2
    return tf.logical_and(
        tf.equal(_range_along_dimension(0, shape), middle),
        tf.equal(_range_along_dimension(1, shape), middle),
    )


def identity_kernel_initializer(
    shape: Sequence[int], dtype: Any = tf.float32, partition_info: Any = None
) -> tf.Tensor:
    """A ``[k, k, c, c]`` kernel (k odd) whose convolution is the identity.

    Entry ``[i, j, in, out]`` is 1 when ``(i, j)`` is the centre and
    ``in == out``, else 0.

    Example:
      >>> k = snt.nets.identity_kernel_initializer([3, 3, 2, 2])
      >>> k.numpy()[1, 1].tolist(), float(tf.reduce_sum(k))
      ([[1.0, 0.0], [0.0, 1.0]], 2.0)

    Args:
      shape: ``[height, width, in_channels, out_channels]``.
      dtype: the result's dtype.
      partition_info: ignored (the initializer protocol's argument).

    Raises:
      ValueError: ``shape`` is not rank 4, not square, not odd-sized, or the
        channel counts differ.
    """
    del partition_info
    what = "Identity initializer"
    dims = _kernel_shape(shape, what)
    if dims[2] != dims[3]:
        raise ValueError(
            f"{what}: in_channels must equal out_channels in order to construct per-channel "
            f"identities; got {dims[2]} and {dims[3]}."
        )
    same_channel = tf.equal(_range_along_dimension(2, dims), _range_along_dimension(3, dims))
    return tf.cast(tf.logical_and(same_channel, _at_centre(dims)), dtype)


def noisy_identity_kernel_initializer(
    base_num_channels: int, stddev: float = 1e-8
) -> Callable[..., tf.Tensor]:
    """An initializer of near-identity kernels whose channel counts are multiples of a base.

    Input and output channels are split into ``base_num_channels`` equal
    groups; at the kernel's centre, entries connecting group ``g`` of the
    input to group ``g`` of the output are ``base_num_channels /
    out_channels``, so the output's channel groups sum to the input's. Every
    other entry is truncated-normal noise of ``stddev`` (to break ties).

    Example:
      >>> init = snt.nets.noisy_identity_kernel_initializer(2, stddev=0.0)
      >>> init([1, 1, 2, 4]).numpy()[0, 0].tolist()
      [[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]]

    Args:
      base_num_channels: divides both channel counts.
      stddev: the noise's standard deviation.

    Returns:
      An initializer ``(shape, dtype=tf.float32, partition_info=None)``.
    """

    def initializer(
        shape: Sequence[int], dtype: Any = tf.float32, partition_info: Any = None
    ) -> tf.Tensor:
        del partition_info
        what = "Noisy identity initializer"
        dims = _kernel_shape(shape, what)
        in_channels, out_channels = dims[2], dims[3]
        if in_channels % base_num_channels or out_channels % base_num_channels:
            raise ValueError(
                f"{what}: in_channels and out_channels must both be multiples of "
                f"base_num_channels ({base_num_channels}); got {in_channels} and {out_channels}."
            )
        in_group = (_range_along_dimension(2, dims) * base_num_channels) // in_channels
        out_group = (_range_along_dimension(3, dims) * base_num_channels) // out_channels
        on = tf.logical_and(tf.equal(in_group, out_group), _at_centre(dims))
        noise = tf.random.truncated_normal(dims, stddev=stddev, dtype=dtype)
        value = tf.fill(dims, tf.constant(base_num_channels / out_channels, dtype))
        return tf.where(on, value, noise)

    return initializer
