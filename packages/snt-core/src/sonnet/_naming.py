"""Name helpers: snake_case default names and names for arbitrary callables."""

from __future__ import annotations

import functools
import re
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORD_START = re.compile(r"(.)([A-Z][a-z]+)")
_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")


def to_snake_case(camel_case: str) -> str:
    """Turns a CamelCase identifier into snake_case (``MyMLP`` -> ``my_mlp``).

    Raises:
      ValueError: ``camel_case`` is not a valid Python identifier.
    """
    if not isinstance(camel_case, str) or not _IDENTIFIER.match(camel_case):
        raise ValueError(f"to_snake_case expects a Python identifier, got {camel_case!r}.")
    words = _WORD_START.sub(r"\1_\2", camel_case)
    return _LOWER_UPPER.sub(r"\1_\2", words).lower()


def name_for_callable(func: Any) -> str | None:
    """A snake_case name describing ``func`` (a module, function, partial, ...).

    Returns the module name for Sonnet modules, ``"lambda"`` for lambdas, the
    wrapped function's name for ``functools.partial`` and None when no name can
    be found.
    """
    if isinstance(func, functools.partial):
        return name_for_callable(func.func)
    module_name = getattr(func, "module_name", None)
    if isinstance(module_name, str):
        return module_name
    name = getattr(func, "__name__", None)
    if name is None:
        name = type(func).__name__ if callable(func) else None
    if name is None:
        return None
    if name == "<lambda>":
        return "lambda"
    try:
        return to_snake_case(name)
    except ValueError:
        return name
