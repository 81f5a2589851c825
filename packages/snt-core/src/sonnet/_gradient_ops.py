"""Gradient ops from Sonnet 1: identity forward, altered gradient backward.

``clip_gradient`` clips the gradient flowing back through a tensor
element-wise; ``scale_gradient`` multiplies it by a constant. Both are built
on ``tf.custom_gradient`` and work in ``tf.compat.v1`` graph mode, eagerly and
inside ``tf.function``. They belong to snt-core (not to a plugin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

__all__ = ["clip_gradient", "scale_gradient"]


def _float_tensor(function: str, net: Any) -> tf.Tensor:
    """Converts ``net`` to a tensor and checks that it is floating point."""
    if isinstance(net, tf.Variable):
        net = net.read_value()
    tensor = tf.convert_to_tensor(net)
    if not tensor.dtype.is_floating:
        raise ValueError(
            f"{function}: expected a floating-point tensor, got dtype {tensor.dtype.name}."
        )
    return tensor


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def clip_gradient(
    net: Any, clip_value_min: Any, clip_value_max: Any, name: str | None = None
) -> tf.Tensor:
    """Returns ``net`` unchanged; its gradient is clipped to ``[min, max]``.

    Example:
      >>> import sonnet as snt, tensorflow as tf
      >>> x = tf.constant([1.0, 2.0])
      >>> with tf.GradientTape() as tape:
      ...     tape.watch(x)
      ...     y = snt.clip_gradient(x * 10.0, -1.0, 1.0)
      >>> tape.gradient(y, x).numpy().tolist()  # d(x*10)/dx = 10 * clip(1, -1, 1)
      [10.0, 10.0]

    Args:
      net: A floating-point tensor.
      clip_value_min: Lower bound of each gradient element (number or scalar tensor).
      clip_value_max: Upper bound of each gradient element (number or scalar tensor).
      name: Name scope of the op (default ``"clip_gradient"``).

    Returns:
      A tensor equal to ``net`` whose incoming gradient is clipped element-wise.

    Raises:
      ValueError: ``net`` is not floating point, or ``clip_value_min`` is greater
        than ``clip_value_max`` (when both are Python numbers).
    """
    if _is_number(clip_value_min) and _is_number(clip_value_max):
        if clip_value_min > clip_value_max:
            raise ValueError(
                f"clip_gradient: expected clip_value_min <= clip_value_max, got "
                f"{clip_value_min} > {clip_value_max}."
            )
    with tf.name_scope(name or "clip_gradient"):
        tensor = _float_tensor("clip_gradient", net)
        low = tf.cast(clip_value_min, tensor.dtype)
        high = tf.cast(clip_value_max, tensor.dtype)

        @tf.custom_gradient
        def _clip(x: tf.Tensor) -> Any:
            def grad(dy: tf.Tensor) -> tf.Tensor:
                return tf.clip_by_value(dy, low, high)

            return tf.identity(x), grad

        return _clip(tensor)


def scale_gradient(
    net: Any | Callable[[], Any], scale: Any, name: str = "scale_gradient"
) -> tf.Tensor:
    """Returns ``net`` unchanged; its gradient is multiplied by ``scale``.

    ``scale=0`` is ``tf.stop_gradient`` and ``scale=1`` is ``tf.identity``.

    Example:
      >>> import sonnet as snt, tensorflow as tf
      >>> x = tf.constant(3.0)
      >>> with tf.GradientTape() as tape:
      ...     tape.watch(x)
      ...     y = snt.scale_gradient(x * x, 0.5)
      >>> float(tape.gradient(y, x))  # 0.5 * 2x
      3.0

    Args:
      net: A floating-point tensor, or (as Sonnet 1 accepted eagerly) a
        callable returning one.
      scale: A number or scalar tensor.
      name: Name scope of the op.

    Returns:
      A tensor equal to ``net`` whose incoming gradient is scaled by ``scale``.

    Raises:
      ValueError: ``net`` is not floating point.
    """
    if callable(net) and not isinstance(net, (tf.Tensor, tf.Variable)):
        net = net()
    with tf.name_scope(name):
        tensor = _float_tensor("scale_gradient", net)
        if _is_number(scale) and scale == 0:
            return tf.stop_gradient(tensor)
        if _is_number(scale) and scale == 1:
            return tf.identity(tensor)
        factor = tf.cast(scale, tensor.dtype)

        @tf.custom_gradient
        def _scale(x: tf.Tensor) -> Any:
            def grad(dy: tf.Tensor) -> tf.Tensor:
                return dy * factor

            return tf.identity(x), grad

        return _scale(tensor)
