"""The one-line custom getters: ``stop_gradient`` and ``non_trainable``.

A custom getter is a callable ``getter(next_getter, name, *args, **kwargs)``
that TensorFlow calls from ``tf.compat.v1.get_variable``. Pass one as a
module's ``custom_getter=`` or a variable scope's ``custom_getter=``; it runs on
every connection, eagerly too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

__all__ = ["non_trainable", "stop_gradient"]


def stop_gradient(getter: Callable[..., Any], *args: Any, **kwargs: Any) -> tf.Tensor:
    """Custom getter: the variable's value behind ``tf.stop_gradient``.

    The variable stays trainable (it is still listed in ``trainable_variables``)
    but no gradient reaches it through this module; gradients with respect to
    the module's inputs are unaffected.

    Example:
      >>> lin = snt.Linear(3, custom_getter=snt.custom_getters.stop_gradient)

    Args:
      getter: The next getter in the chain.
      *args: Forwarded to ``getter``.
      **kwargs: Forwarded to ``getter``.

    Returns:
      A tensor with the variable's value and no gradient.
    """
    return tf.stop_gradient(getter(*args, **kwargs))


def non_trainable(getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Custom getter: creates the variable with ``trainable=False``.

    Example:
      >>> lin = snt.Linear(3, custom_getter=snt.custom_getters.non_trainable)

    Args:
      getter: The next getter in the chain.
      *args: Forwarded to ``getter``.
      **kwargs: Forwarded to ``getter``, with ``trainable`` forced to ``False``.

    Returns:
      The variable returned by ``getter``.
    """
    kwargs["trainable"] = False
    return getter(*args, **kwargs)
