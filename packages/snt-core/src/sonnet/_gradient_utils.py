"""Gradient helpers from Sonnet 1's util module."""

from __future__ import annotations

from typing import Any

import tensorflow as tf


@tf.custom_gradient
def convert_gradient_to_tensor(x: Any) -> Any:
    """Identity whose gradient is converted to a dense Tensor.

    Useful after ``tf.gather`` on a large tensor: the incoming ``IndexedSlices``
    gradient becomes a Tensor at this point.
    """

    def grad(dy: Any) -> tf.Tensor:
        return tf.convert_to_tensor(dy)

    return tf.identity(x), grad
