"""Turns an export into the object it names, importing lazy targets on first use."""

from __future__ import annotations

import importlib
import inspect
import sys

from sonnet.errors import PluginError
from sonnet.plugins._records import Provided

__all__ = ["load_reference", "resolve"]


def load_reference(reference: str) -> object:
    """Imports ``"package.module:attr.sub"`` (or ``"package.module"``) and returns it."""
    module_name, _, attr_path = reference.partition(":")
    obj: object = importlib.import_module(module_name)
    for part in attr_path.split(".") if attr_path else ():
        obj = getattr(obj, part)
    return obj


def _kind_problem(obj: object, kind: str) -> str | None:
    if kind == "module":
        base = getattr(sys.modules.get("sonnet"), "AbstractModule", None)
        if not inspect.isclass(obj):
            return f"is not a class but {type(obj).__name__}"
        if base is not None and not issubclass(obj, base):
            return "is a class that does not derive from snt.AbstractModule"
    elif kind == "function" and not callable(obj):
        return f"is not callable but {type(obj).__name__}"
    return None


def resolve(provided: Provided) -> object:
    """Returns the object behind ``provided``, checking it has the declared kind.

    Raises:
      PluginError: If the target cannot be imported (chained to the cause) or is
        not of the declared kind. The message names the plugin's distribution.
    """
    export, info = provided.export, provided.plugin
    target = export.target
    if isinstance(target, str):
        try:
            target = load_reference(target)
        except Exception as e:
            raise PluginError(
                f"snt.{export.qualname} could not be loaded from {export.target!r} "
                f"({info.label}): {type(e).__name__}: {e}"
            ) from e
    problem = _kind_problem(target, export.kind)
    if problem:
        raise PluginError(
            f"snt.{export.qualname} from {info.label} is declared kind={export.kind!r} "
            f"but {problem}."
        )
    return target
