"""Builds the lazy attribute lookup of a legacy (Sonnet 1 path) module."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Mapping
from typing import Any

import sonnet
from sonnet.plugins._import_context import is_import_from

__all__ = ["lazy_names"]


def _resolve(qualname: str) -> Any:
    value: Any = sonnet
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def lazy_names(
    module_name: str,
    sonnet1_file: str,
    names: str,
    renames: Mapping[str, str] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of a legacy module.

    Args:
      module_name: The legacy module's ``__name__``.
      sonnet1_file: The Sonnet 1 file it stands for (for messages), e.g. ``"basic.py"``.
      names: Space-separated public names of that file, each found as ``snt.<name>``.
      renames: Public names found elsewhere on ``snt`` (``{"MLP": "nets.MLP"}``).

    Returns:
      ``(__getattr__, __dir__, __all__)`` to assign at the legacy module's top level.
    """
    table = {name: name for name in names.split()}
    table.update(renames or {})
    exported = sorted(table)

    def __getattr__(name: str) -> Any:
        qualname = table.get(name)
        if qualname is None:
            message = f"module {module_name!r} has no attribute {name!r}"
            if not name.startswith("_"):
                close = difflib.get_close_matches(name, exported, n=3, cutoff=0.6)
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                message += f" (Sonnet 1's {sonnet1_file} has no such name{hint})"
            raise AttributeError(message)
        try:
            return _resolve(qualname)
        except AttributeError as error:
            message = f"{module_name}.{name} (Sonnet 1 {sonnet1_file}) is snt.{qualname}: {error}"
            if is_import_from(sys._getframe(1)):
                raise ImportError(message, name=module_name) from error
            raise AttributeError(message) from error

    def __dir__() -> list[str]:
        module = sys.modules[module_name]
        return sorted(set(exported) | set(module.__dict__))

    return __getattr__, __dir__, exported
