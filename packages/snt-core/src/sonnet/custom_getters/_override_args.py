"""``override_args`` / ``override_default_args``: custom getters that set arguments."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import tensorflow as tf

__all__ = ["override_args", "override_default_args"]

#: The ``get_variable`` arguments a custom getter may change.
_ALLOWED = frozenset(inspect.signature(tf.compat.v1.get_variable).parameters) - {
    "name",
    "custom_getter",
}


def _check(function: str, overrides: dict[str, Any]) -> None:
    unknown = sorted(set(overrides) - _ALLOWED)
    if unknown:
        raise TypeError(
            f"{function}: unknown get_variable argument(s) {unknown}; expected some of "
            f"{sorted(_ALLOWED)}."
        )


def override_args(**kwargs: Any) -> Callable[..., Any]:
    """A custom getter forcing ``get_variable`` arguments to the given values.

    The values replace whatever the ``get_variable`` call (or an inner custom
    getter) passed.

    Example:
      >>> getter = snt.custom_getters.override_args(trainable=False)
      >>> lin = snt.Linear(3, custom_getter=getter)  # lin's variables are not trainable

    Args:
      **kwargs: ``get_variable`` arguments (``trainable``, ``initializer``, ...).

    Returns:
      A custom getter.

    Raises:
      TypeError: A keyword is not a ``get_variable`` argument.
    """
    _check("override_args", kwargs)
    overrides = dict(kwargs)

    def custom_getter(getter: Callable[..., Any], *args: Any, **call_kwargs: Any) -> Any:
        call_kwargs.update(overrides)
        return getter(*args, **call_kwargs)

    return custom_getter


def override_default_args(**kwargs: Any) -> Callable[..., Any]:
    """A custom getter supplying ``get_variable`` arguments the caller left unset.

    An argument is replaced only when the call did not give it (or gave
    ``None``, ``get_variable``'s "use the default"); explicit values win.

    Example:
      >>> getter = snt.custom_getters.override_default_args(dtype=tf.float64)

    Args:
      **kwargs: ``get_variable`` arguments and their new defaults.

    Returns:
      A custom getter.

    Raises:
      TypeError: A keyword is not a ``get_variable`` argument.
    """
    _check("override_default_args", kwargs)
    defaults = dict(kwargs)

    def custom_getter(getter: Callable[..., Any], *args: Any, **call_kwargs: Any) -> Any:
        for key, value in defaults.items():
            if call_kwargs.get(key) is None:
                call_kwargs[key] = value
        return getter(*args, **call_kwargs)

    return custom_getter
