"""Weight regularizers for the ``regularizers`` dicts of modules.

These replace the removed ``tf.contrib.layers.l1_regularizer`` and friends:
each returns a function mapping a variable to a scalar loss.

Example:
  >>> lin = snt.Linear(3, regularizers={"w": snt.regularizers.l2(0.01)})
"""

from __future__ import annotations

import builtins
import numbers
from collections.abc import Callable
from typing import Any

import tensorflow as tf

Regularizer = Callable[[Any], "tf.Tensor | None"]


def _check_scale(kind: str, scale: Any) -> float:
    if isinstance(scale, bool) or not isinstance(scale, numbers.Real):
        raise TypeError(f"snt.regularizers.{kind}: scale must be a number, got {scale!r}.")
    if scale < 0.0:
        raise ValueError(f"snt.regularizers.{kind}: scale must be >= 0, got {scale}.")
    return float(scale)


def l1(scale: float) -> Regularizer:
    """``scale * sum(|w|)``. A scale of 0 gives a regularizer returning None."""
    scale = _check_scale("l1", scale)

    def l1_regularizer(weights: Any) -> tf.Tensor | None:
        if scale == 0.0:
            return None
        with tf.name_scope("l1_regularizer"):
            return tf.multiply(
                tf.cast(scale, weights.dtype.base_dtype), tf.reduce_sum(tf.abs(weights))
            )

    return l1_regularizer


def l2(scale: float) -> Regularizer:
    """``scale * sum(w ** 2) / 2`` (as ``tf.nn.l2_loss``). Scale 0 returns None."""
    scale = _check_scale("l2", scale)

    def l2_regularizer(weights: Any) -> tf.Tensor | None:
        if scale == 0.0:
            return None
        with tf.name_scope("l2_regularizer"):
            return tf.multiply(tf.cast(scale, weights.dtype.base_dtype), tf.nn.l2_loss(weights))

    return l2_regularizer


def sum(*regularizers: Regularizer) -> Regularizer:  # noqa: A001 - Sonnet/contrib name
    """A regularizer adding up the given ones (those returning None are skipped)."""
    for r in regularizers:
        if not callable(r):
            raise TypeError(f"snt.regularizers.sum: {r!r} is not callable.")

    def sum_regularizer(weights: Any) -> tf.Tensor | None:
        losses = [loss for loss in (r(weights) for r in regularizers) if loss is not None]
        if not losses:
            return None
        with tf.name_scope("sum_regularizer"):
            return builtins.sum(losses[1:], losses[0])

    return sum_regularizer
