"""Validation of the ``initializers``/``partitioners``/``regularizers`` dicts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def _check_nested_callables(
    what: str, dictionary: Any, keys: Iterable[str], module_name: str | None
) -> dict[str, Any]:
    where = f"{module_name}: " if module_name else ""
    if dictionary is None:
        return {}
    if not isinstance(dictionary, Mapping):
        raise TypeError(
            f"{where}Expected a dict of {what}: {what} must map variable names to "
            f"callables, got {type(dictionary).__name__}."
        )
    allowed = set(keys)
    unknown = set(dictionary) - allowed
    if unknown:
        raise KeyError(
            f"{where}Invalid {what[:-1]} keys {sorted(unknown)}: {what} can only be "
            f"given for {sorted(allowed)}."
        )

    def check_leaf(key: str, path: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                check_leaf(k, f"{path}/{k}", v)
        elif not callable(value):
            at = f" (at {path!r})" if path != key else ""
            raise TypeError(
                f"{where}{what[:-2].capitalize()}r for {key!r} is not a callable function or "
                f"dictionary{at}: got {type(value).__name__}: {value!r}."
            )

    for key, value in dictionary.items():
        check_leaf(key, key, value)
    return dict(dictionary)


def check_initializers(
    initializers: Mapping[str, Any] | None, keys: Iterable[str], *, module_name: str | None = None
) -> dict[str, Any]:
    """Checks an ``initializers`` dict: known keys only, callable values.

    Returns:
      A copy of ``initializers`` (``{}`` for None).

    Raises:
      KeyError: a key is not in ``keys``; the message lists the allowed keys.
      TypeError: a value is neither callable nor a dict of callables.
    """
    return _check_nested_callables("initializers", initializers, keys, module_name)


def check_partitioners(
    partitioners: Mapping[str, Any] | None, keys: Iterable[str], *, module_name: str | None = None
) -> dict[str, Any]:
    """Like :func:`check_initializers`, for a ``partitioners`` dict."""
    return _check_nested_callables("partitioners", partitioners, keys, module_name)


def check_regularizers(
    regularizers: Mapping[str, Any] | None, keys: Iterable[str], *, module_name: str | None = None
) -> dict[str, Any]:
    """Like :func:`check_initializers`, for a ``regularizers`` dict."""
    return _check_nested_callables("regularizers", regularizers, keys, module_name)


def custom_getter_router(
    custom_getter_map: Mapping[str, Callable[..., Any]], name_fn: Callable[[str], str]
) -> Callable[..., Any]:
    """A custom getter that dispatches on the variable name.

    Args:
      custom_getter_map: regular expression -> custom getter. A variable whose
        ``name_fn(name)`` matches (``re.match``) one pattern goes through that
        getter; one that matches none is created as usual.
      name_fn: maps the full variable name to the name matched against.

    Raises:
      TypeError: ``custom_getter_map`` is not a dict of callables.
      KeyError: (when getting a variable) more than one pattern matches.
    """
    if not isinstance(custom_getter_map, Mapping):
        raise TypeError(
            f"custom_getter_map must be a dict, got {type(custom_getter_map).__name__}."
        )
    for pattern, getter in custom_getter_map.items():
        if not callable(getter):
            raise TypeError(
                f"Given custom_getter is not callable: the getter for pattern {pattern!r} "
                f"is {type(getter).__name__}: {getter!r}."
            )
    compiled = [(re.compile(p), p, g) for p, g in custom_getter_map.items()]

    def _router(getter: Callable[..., Any], name: str, *args: Any, **kwargs: Any) -> Any:
        bare = name_fn(name)
        matches = [(p, g) for rx, p, g in compiled if rx.match(bare)]
        if len(matches) > 1:
            raise KeyError(
                f"More than one custom_getter matched {name} ({bare}): "
                f"{[p for p, _ in matches]}. Each variable may match one pattern only."
            )
        if matches:
            return matches[0][1](getter, name, *args, **kwargs)
        return getter(name, *args, **kwargs)

    return _router
