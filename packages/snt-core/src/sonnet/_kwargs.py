"""Introspection helpers: which keyword arguments a module or function accepts."""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Iterable, Mapping
from typing import Any

SUPPORTED = "supported"
NOT_SUPPORTED = "not_supported"
MAYBE_SUPPORTED = "maybe_supported"

logger = logging.getLogger("sonnet")
_warned: set[str] = set()


def _signature_of(module_or_fn: Any) -> inspect.Signature:
    build = getattr(module_or_fn, "_build", None)
    target = build if build is not None and callable(build) else module_or_fn
    return inspect.signature(target)


def supports_kwargs(module_or_fn: Any, kwargs_list: str | Iterable[str]) -> str:
    """Whether a module's ``_build`` (or a function) accepts the given keywords.

    Returns:
      ``SUPPORTED`` when every keyword is a named parameter, ``MAYBE_SUPPORTED``
      when some only fit a ``**kwargs`` catch-all, ``NOT_SUPPORTED`` otherwise.
    """
    if isinstance(kwargs_list, str):
        kwargs_list = [kwargs_list]
    params = _signature_of(module_or_fn).parameters.values()
    named = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    has_var_kw = any(p.kind == p.VAR_KEYWORD for p in params)
    result = SUPPORTED
    for kwarg in kwargs_list:
        if kwarg in named:
            continue
        if not has_var_kw:
            return NOT_SUPPORTED
        result = MAYBE_SUPPORTED
    return result


def remove_unsupported_kwargs(
    module_or_fn: Any, all_kwargs_dict: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The entries of ``all_kwargs_dict`` that ``module_or_fn`` (maybe) accepts.

    ``None`` stands for no keyword arguments (an empty dict is returned).
    """
    if all_kwargs_dict is None:
        return {}
    return {
        k: v
        for k, v in all_kwargs_dict.items()
        if supports_kwargs(module_or_fn, [k]) != NOT_SUPPORTED
    }


def _resolve_dotted(path: str) -> Any:
    """The object named by ``package.module.attr...``, or None."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attr in parts[split:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def parse_string_to_constructor(ctor_string: str) -> Any:
    """Resolves a constructor named by a string: ``"Linear"``, ``"snt.nets.MLP"``, ...

    A name without a package is looked up on ``snt`` (``"LayerNorm"``);
    ``"snt."`` stands for ``sonnet.``; any other dotted path is imported.

    Example:
      >>> snt.parse_string_to_constructor("snt.Module") is snt.Module
      True

    Raises:
      ValueError: the string names nothing (the message says "could not find").
    """
    path = ctor_string
    if path.startswith("snt."):
        path = "sonnet." + path[len("snt.") :]
    elif not path.startswith("sonnet."):
        try:
            return _resolve_dotted("sonnet." + path) or _resolve_or_fail(ctor_string, path)
        except ImportError:  # a plugin name whose plugin is missing
            return _resolve_or_fail(ctor_string, path)
    return _resolve_or_fail(ctor_string, path)


def _resolve_or_fail(ctor_string: str, path: str) -> Any:
    obj = _resolve_dotted(path)
    if obj is None:
        raise ValueError(
            f"parse_string_to_constructor could not find {ctor_string!r}: expected a name "
            "on snt (e.g. 'Linear', 'snt.nets.MLP') or an importable 'package.module.Name'."
        )
    return obj


def deprecation_warning(deprecation_message: str) -> None:
    """Logs ``deprecation_message`` as a warning, once per distinct message."""
    if deprecation_message not in _warned:
        _warned.add(deprecation_message)
        logger.warning(deprecation_message)
