"""Weight masks of the convolutions: checked when given, applied on every connection."""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets.conv_utils import FLOAT_DTYPES

#: A checked mask: a NumPy array, or the graph tensor (or variable) given.
Mask: TypeAlias = Any


def _float_dtype(dtype: Any) -> tf.DType | None:
    try:
        tf_dtype = tf.as_dtype(dtype).base_dtype
    except TypeError:  # e.g. NumPy object arrays
        return None
    return tf_dtype if tf_dtype in FLOAT_DTYPES else None


def check_mask(mask: Any, module_name: str) -> Mask:
    """``mask`` as a NumPy array, or the graph tensor or variable given.

    Lists, tuples, NumPy arrays and tensors of a floating dtype (float16,
    bfloat16, float32, float64) are accepted, as in Sonnet 1; eager tensors
    become NumPy arrays, so the module can be used in any graph.

    Raises:
      TypeError: another type ("Invalid type for mask") or dtype ("Mask needs
        to have dtype ...").
      IncompatibleShapeError: a tensor whose shape is not fully known.
    """
    if tf.is_tensor(mask):
        if not (tf.is_symbolic_tensor(mask) or isinstance(mask, tf.Variable)):
            array: Mask = np.asarray(mask)  # an eager tensor: keep its value
        else:
            array = mask
            if not tf.TensorShape(mask.shape).is_fully_defined():
                raise snt.IncompatibleShapeError(
                    f"{module_name}: Mask needs to have a statically defined shape; got "
                    f"{tf.TensorShape(mask.shape)}."
                )
        dtype = mask.dtype
    elif isinstance(mask, list | tuple | np.ndarray):
        array = np.asarray(mask)
        dtype = array.dtype
        if isinstance(mask, list | tuple) and _float_dtype(dtype) is not None:
            array = array.astype(np.float32)  # Python floats, as tf.convert_to_tensor
    else:
        raise TypeError(
            f"{module_name}: Invalid type for mask: {type(mask).__name__}; expected a NumPy "
            "array, a list, a tuple or a tf.Tensor."
        )
    if _float_dtype(dtype) is None:
        raise TypeError(
            f"Mask needs to have dtype float16, bfloat16, float32 or float64; got "
            f"{getattr(dtype, 'name', dtype)} (in {module_name})."
        )
    return array


def apply_mask(w: Any, mask: Mask, module_name: str) -> tf.Tensor:
    """``w`` times ``mask``, whose shape must be a leading part of ``w``'s shape.

    Raises:
      IncompatibleShapeError: the mask's shape is not a prefix of the weights'
        ("Invalid mask shape: ...").
    """
    w_shape = tuple(tf.TensorShape(w.shape).as_list())
    mask_shape = tuple(tf.TensorShape(mask.shape).as_list())
    if mask_shape != w_shape[: len(mask_shape)] or len(mask_shape) > len(w_shape):
        raise snt.IncompatibleShapeError(
            f"Invalid mask shape: {mask_shape}. Weight shape: {w_shape}. (In {module_name}, the "
            "mask's shape must be the leading part of the weights' shape.)"
        )
    full_shape = mask_shape + (1,) * (len(w_shape) - len(mask_shape))
    if isinstance(mask, np.ndarray):
        factor = tf.constant(mask.reshape(full_shape), dtype=w.dtype)
    else:
        factor = tf.cast(tf.reshape(mask, full_shape), w.dtype)
    return w * factor
