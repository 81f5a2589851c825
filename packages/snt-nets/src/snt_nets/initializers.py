"""Default initializers of Sonnet 1 (``create_linear_initializer`` and friends)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import tensorflow as tf


def create_linear_initializer(input_size: int, dtype: Any = tf.float32) -> Any:
    """Truncated normal with stddev ``1 / sqrt(input_size)`` (Linear's ``w``)."""
    return _truncated_normal(1.0 / math.sqrt(input_size), tf.as_dtype(dtype).base_dtype)


@functools.lru_cache(maxsize=256)
def _truncated_normal(stddev: float, dtype: tf.DType) -> Any:
    # Initializers without a seed are stateless: one object per (stddev, dtype) is
    # enough, and modules avoid building one on every (eager) call.
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    return _with_dtype(tf.compat.v1.truncated_normal_initializer(stddev=stddev), dtype)


def _with_dtype(initializer: Any, dtype: tf.DType) -> Any:
    """Sets the dtype an initializer falls back to when called without one.

    TensorFlow deprecated (and logs a warning for) the constructors' ``dtype=``
    argument; setting the attribute the constructor would set keeps Sonnet 1's
    behaviour (``create_linear_initializer(n, tf.float64)(shape)`` is float64)
    without the warning.
    """
    initializer.dtype = dtype
    return initializer


@functools.lru_cache(maxsize=32)
def _zeros(dtype: tf.DType) -> Any:
    return _with_dtype(tf.compat.v1.zeros_initializer(), dtype)


def create_weight_initializer(fan_in_shape: Sequence[int], dtype: Any = tf.float32) -> Any:
    """Truncated normal with stddev ``1 / sqrt(prod(fan_in_shape))`` (conv weights)."""
    return create_linear_initializer(int(np.prod(fan_in_shape)), dtype)


def create_bias_initializer(unused_bias_shape: Any = None, dtype: Any = tf.float32) -> Any:
    """Zeros (every bias)."""
    del unused_bias_shape
    return _zeros(tf.as_dtype(dtype).base_dtype)


@functools.lru_cache(maxsize=32)
def _ones(dtype: tf.DType) -> Any:
    return _with_dtype(tf.compat.v1.ones_initializer(), dtype)


def create_beta_initializer(dtype: Any = tf.float32) -> Any:
    """Zeros (LayerNorm's and BatchNorm's ``beta``)."""
    return _zeros(tf.as_dtype(dtype).base_dtype)


def create_gamma_initializer(dtype: Any = tf.float32) -> Any:
    """Ones (LayerNorm's and BatchNorm's ``gamma``)."""
    return _ones(tf.as_dtype(dtype).base_dtype)


def create_mean_initializer(dtype: Any = tf.float32) -> Any:
    """Zeros (BatchNorm's ``moving_mean``)."""
    return _zeros(tf.as_dtype(dtype).base_dtype)


def create_variance_initializer(dtype: Any = tf.float32) -> Any:
    """Ones (BatchNorm's ``moving_variance``)."""
    return _ones(tf.as_dtype(dtype).base_dtype)
