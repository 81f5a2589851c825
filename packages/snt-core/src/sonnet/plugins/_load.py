"""Step 2, load: imports each plugin on its own and finds its hooks.

A plugin whose import raises, or whose hooks are malformed or unknown to this
snt-core, is marked ``failed`` and skipped; the others are unaffected. Hooks
are found by name (``snt_*``) and pluggy's ``sonnet`` marker, and called one
plugin at a time (:meth:`Plugin.call`), so every record keeps its provenance.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sonnet._hooks import HOOK_PREFIX, HOOKS, PROJECT
from sonnet.errors import PluginError
from sonnet.plugins._discover import FAILED, OK, PluginInfo, Problem, Source

__all__ = ["Plugin", "fail", "find_hooks", "load"]

R = TypeVar("R")
_MARKER = f"{PROJECT}_impl"  # the attribute pluggy.HookimplMarker("sonnet") sets


@dataclasses.dataclass
class Plugin:
    """A loaded plugin: its status row and its hook functions by name."""

    info: PluginInfo
    hooks: dict[str, Callable[[], Any]]

    def call(self, hook: str, record_type: type[R]) -> list[R]:
        """Calls this plugin's ``hook`` (if it has one) and checks the records.

        Raises:
          TypeError: If a record is not a ``record_type``.
          Exception: Whatever the hook raises.
        """
        func = self.hooks.get(hook)
        result = func() if func is not None else None
        records = [] if result is None else list(result)
        for record in records:
            if not isinstance(record, record_type):
                raise TypeError(
                    f"{hook} returned {record!r}, not a sonnet.plugins.{record_type.__name__}"
                )
        return records


def find_hooks(plugin: object, core_version: str) -> dict[str, Callable[[], Any]]:
    """The hook implementations of ``plugin``: ``snt_*`` attributes with the marker.

    Raises:
      PluginError: If an implementation takes arguments or is a hook wrapper, or
        names a hook this snt-core does not know (it needs a newer snt-core),
        unless it was marked ``@hookimpl(optionalhook=True)``.
    """
    hooks, unknown = {}, []
    for name in dir(plugin):
        if not name.startswith(HOOK_PREFIX):  # nothing else is even read
            continue
        func = getattr(plugin, name, None)
        opts = getattr(func, _MARKER, None)
        if not isinstance(opts, dict) or func is None:
            continue
        if name not in HOOKS:
            if not opts.get("optionalhook"):
                unknown.append(name)
            continue
        if opts.get("hookwrapper") or opts.get("wrapper"):
            raise PluginError(f"invalid hook implementation {name}: wrappers are not supported")
        try:
            inspect.signature(func).bind()
        except TypeError:
            raise PluginError(
                f"invalid hook implementation {name}{inspect.signature(func)}: "
                "snt_* hooks take no arguments"
            ) from None
        hooks[name] = func
    if unknown:
        raise PluginError(
            f"implements hook(s) {', '.join(sorted(unknown))} unknown to snt-core "
            f"{core_version}; it probably needs a newer snt-core"
        )
    return hooks


def fail(info: PluginInfo, what: str, error: BaseException, problems: list[Problem]) -> None:
    """Marks ``info`` failed because of ``error`` and records the problem."""
    info.status, info.error = FAILED, error
    info.reason = f"{what}: {type(error).__name__}: {error}"
    problems.append((f"sonnet: {info.label} {info.reason}", error))


def load(sources: Iterable[Source], core_version: str, problems: list[Problem]) -> list[Plugin]:
    """Imports every source still ``ok`` on its own and finds its hooks.

    Returns:
      The plugins that loaded; the others are marked ``failed`` (with a problem).
    """
    plugins = []
    for src in sources:
        if src.info.status != OK:
            continue
        try:
            obj = src.load()
        except Exception as e:
            fail(src.info, "failed to load", e, problems)
            continue
        try:
            plugins.append(Plugin(src.info, find_hooks(obj, core_version)))
        except Exception as e:
            fail(src.info, "could not be registered", e, problems)
    return plugins
