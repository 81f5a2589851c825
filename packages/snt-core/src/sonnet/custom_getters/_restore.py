"""``custom_getters.restore_initializer``: initialize every variable from a checkpoint."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import tensorflow as tf

from sonnet._restore_initializer import restore_initializer as _initializer

__all__ = ["restore_initializer"]

_log = logging.getLogger("sonnet.custom_getters")
_GLOBAL = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES
_TRAINABLE = tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES


def restore_initializer(
    filename: Any,
    name_fn: Callable[[str], str] | None = None,
    collection: str | None = _GLOBAL,
) -> Callable[..., Any]:
    """A custom getter giving variables a :func:`snt.restore_initializer`.

    Each variable it sees (its full name, e.g. ``"mlp/linear_0/w"``) is
    initialized from the checkpoint key ``name_fn(name)`` (or ``name``).

    Example:
      >>> getter = snt.custom_getters.restore_initializer("/tmp/old.ckpt")
      >>> mlp = snt.nets.MLP([10, 2], custom_getter=getter)

    Args:
      filename: Prefix of a name-based checkpoint.
      name_fn: Maps a variable's name to its key in the checkpoint.
      collection: Only variables that would go in this collection are
        restored (``None``: all). Trainable variables count as members of
        ``TRAINABLE_VARIABLES``; every variable as one of ``GLOBAL_VARIABLES``
        unless it names its own collections.

    Returns:
      A custom getter.

    Raises:
      TypeError: ``name_fn`` is neither ``None`` nor callable.
    """
    if name_fn is not None and not callable(name_fn):
        raise TypeError(
            "custom_getters.restore_initializer: name_fn must be callable or None, got "
            f"{type(name_fn).__name__}."
        )

    def custom_getter(getter: Callable[..., Any], name: str, *args: Any, **kwargs: Any) -> Any:
        collections = list(kwargs.get("collections") or [_GLOBAL])
        if kwargs.get("trainable", True) is not False and _TRAINABLE not in collections:
            collections.append(_TRAINABLE)
        if collection is None or collection in collections:
            key = name_fn(name) if name_fn is not None else name
            _log.info("Restoring %r from %r into variable %r", key, filename, name)
            kwargs["initializer"] = _initializer(filename, key, scope="")
        return getter(name, *args, **kwargs)

    return custom_getter
