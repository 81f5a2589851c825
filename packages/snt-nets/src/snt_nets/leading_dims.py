"""``merge_leading_dims`` and ``split_leading_dim``: fold batch-like dimensions."""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf


def merge_leading_dims(array_or_tensor: Any, n_dims: int = 2) -> Any:
    """Merges the first ``n_dims`` dimensions into one.

    Inputs of rank below ``n_dims`` (and non-tensors such as Python scalars)
    are returned unchanged.

    Example:
      >>> merge_leading_dims(tf.zeros([2, 3, 4])).shape
      TensorShape([6, 4])

    Raises:
      ValueError: the tensor's rank is unknown.
    """
    if n_dims <= 1:
        return array_or_tensor
    tensor = tf.convert_to_tensor(array_or_tensor)
    static = tensor.shape
    if static.rank is None:
        raise ValueError(
            "merge_leading_dims: cannot merge the dimensions of a tensor of unknown rank."
        )
    if n_dims > static.rank:
        return array_or_tensor
    dims = static.as_list()
    if static.is_fully_defined():
        new_shape = [int(np.prod(dims[:n_dims]))] + dims[n_dims:]
        return tf.reshape(tensor, new_shape)
    dynamic = tf.shape(tensor)
    leading = tf.reduce_prod(dynamic[:n_dims], keepdims=True)
    out = tf.reshape(tensor, tf.concat([leading, dynamic[n_dims:]], 0))
    known = None if any(d is None for d in dims[:n_dims]) else int(np.prod(dims[:n_dims]))
    out.set_shape([known] + dims[n_dims:])
    return out


def split_leading_dim(tensor: Any, inputs: Any, n_dims: int = 2) -> Any:
    """Splits the first dimension of ``tensor`` into the first ``n_dims`` of ``inputs``.

    The inverse of :func:`merge_leading_dims`.

    Example:
      >>> x = tf.zeros([2, 3, 4])
      >>> split_leading_dim(merge_leading_dims(x), x).shape
      TensorShape([2, 3, 4])
    """
    tensor = tf.convert_to_tensor(tensor)
    inputs = tf.convert_to_tensor(inputs)
    in_dims = inputs.shape.as_list()[:n_dims] if inputs.shape.rank is not None else None
    tail = tensor.shape.as_list()[1:] if tensor.shape.rank is not None else None
    if in_dims is not None and tail is not None and None not in in_dims and None not in tail:
        return tf.reshape(tensor, in_dims + tail)
    new_shape = tf.concat([tf.shape(inputs)[:n_dims], tf.shape(tensor)[1:]], 0)
    out = tf.reshape(tensor, new_shape)
    if in_dims is not None and tail is not None:
        out.set_shape(in_dims + tail)
    return out
