"""Small helpers of this package (not public API)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt

#: Attributes outside ``tf.Module`` tracking (see ``snt.set_untracked``).
set_untracked = snt.set_untracked


@functools.lru_cache(maxsize=256)
def weight_initializer(fan_in: int, dtype: tf.DType) -> Any:
    """Truncated normal with stddev ``1/sqrt(fan_in)`` (cached: one per fan-in and dtype)."""
    return _with_dtype(
        tf.compat.v1.truncated_normal_initializer(stddev=1.0 / math.sqrt(fan_in)), dtype
    )


@functools.lru_cache(maxsize=32)
def bias_initializer(dtype: tf.DType) -> Any:
    """Zeros (cached per dtype)."""
    return _with_dtype(tf.compat.v1.zeros_initializer(), dtype)


def _with_dtype(initializer: Any, dtype: Any) -> Any:
    """Sets what the constructor's deprecated ``dtype=`` would (without TF's warning)."""
    initializer.dtype = tf.as_dtype(dtype).base_dtype
    return initializer


def format_shape(shape: Sequence[Any]) -> str:
    """``[2, ?, 3]`` style rendering for error messages."""
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"
