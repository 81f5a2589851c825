"""Public functions of :mod:`sonnet.plugins`; each acts on the current plugin state."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence

from sonnet._conformance_case import ConformanceCase
from sonnet._export import Export
from sonnet.errors import PluginError
from sonnet.plugins._records import OK, PluginInfo, Source, canonical
from sonnet.plugins._state import current

__all__ = [
    "conformance_cases",
    "exports",
    "names",
    "refresh",
    "register",
    "status",
    "unregister",
]


def refresh() -> None:
    """Rescans installed plugins and rebuilds the registry now.

    Names already cached on ``sonnet`` are dropped and resolved again on next use.
    Call it after installing or removing a plugin distribution in a running process.

    Raises:
      PluginError: In strict mode (``SNT_STRICT_PLUGINS=1``), if a plugin has problems.
    """
    current().refresh()


def register(
    plugin: object,
    name: str | None = None,
    *,
    distribution: str | None = None,
    version: str | None = None,
) -> str:
    """Adds a plugin object by hand (a module, class or instance with ``snt_*`` hooks).

    The registry is rebuilt on the next lookup. Environment allow/block lists do
    not apply to plugins registered by hand.

    Args:
      plugin: An object whose ``@snt.hookimpl`` functions implement ``snt_*`` hooks.
      name: The plugin's name in the status table; defaults to ``plugin.__name__``.
      distribution: Attribute the exports to this distribution (this lets a
        first-party distribution's reserved names be registered by hand).
      version: The distribution's version; looked up when omitted.

    Returns:
      The name the plugin was registered under.

    Raises:
      ValueError: If the plugin or the name is already registered.
    """
    if plugin is None:
        raise TypeError("register() needs a plugin object, got None.")
    state = current()
    with state.lock:
        taken = {src.info.name for src in state.manual}
        for src in state.manual:
            if src.obj is plugin:
                raise ValueError(f"Plugin {plugin!r} is already registered as {src.info.name!r}.")
        if name is None:
            base = getattr(plugin, "__name__", None) or type(plugin).__name__
            name = next(n for n in _candidates(base) if n not in taken)
        elif name in taken:
            raise ValueError(f"A plugin named {name!r} is already registered; pass another name=.")
        if distribution is not None and version is None:
            try:
                version = importlib.metadata.version(distribution)
            except importlib.metadata.PackageNotFoundError:
                version = None
        info = PluginInfo(name, None, distribution, version)
        state.manual.append(Source(info, obj=plugin))
        state.invalidate()
    return name


def _candidates(base: str):
    yield base
    index = 2
    while True:
        yield f"{base}-{index}"
        index += 1


def unregister(plugin: object) -> None:
    """Removes a plugin added with :func:`register`, or disables an installed one.

    Args:
      plugin: The registered object, its name, or the entry-point or distribution
        name of an installed plugin (which is then reported as ``disabled``).

    Raises:
      ValueError: If no such plugin is known.
    """
    state = current()
    with state.lock:
        for src in state.manual:
            if src.obj is plugin or src.info.name == plugin:
                state.manual.remove(src)
                state.invalidate()
                return
        if isinstance(plugin, str):
            key = canonical(plugin)
            for info in state.registry().infos:
                if info.entry_point and key in (canonical(info.name), canonical(info.distribution)):
                    state.blocked.add(key)
                    state.invalidate()
                    return
    raise ValueError(f"No plugin {plugin!r} is registered or installed.")


def status() -> list[PluginInfo]:
    """The status table: one row per discovered or registered plugin."""
    return list(current().registry().infos)


def names(namespace: str | None = None) -> list[str]:
    """Names plugins provide at the top level of ``snt`` or in ``snt.<namespace>``."""
    return current().registry().names(namespace)


def exports() -> list[tuple[Export, PluginInfo]]:
    """Every export in use (after conflict rules), with the plugin that provides it."""
    registry = current().registry()
    used = list(registry.flat.values())
    for table in registry.namespaces.values():
        used.extend(table.values())
    return [(p.export, p.plugin) for p in sorted(used, key=lambda p: p.qualname)]


def conformance_cases() -> list[tuple[ConformanceCase, PluginInfo]]:
    """Calls every working plugin's ``snt_conformance_cases`` hook.

    Returns:
      Each case with the plugin that provided it.

    Raises:
      PluginError: If a hook raises or returns something that is not a
        :class:`ConformanceCase` (chained to the cause, naming the plugin).
    """
    registry = current().registry()
    found: list[tuple[ConformanceCase, PluginInfo]] = []
    for info, plugin in _working(registry.loaded):
        try:
            cases = registry.manager.call_own(plugin, "snt_conformance_cases")
        except Exception as e:
            raise PluginError(f"{info.label} failed in snt_conformance_cases: {e!r}") from e
        for case in cases:
            if not isinstance(case, ConformanceCase):
                raise PluginError(f"{info.label} returned {case!r}, not a ConformanceCase.")
            found.append((case, info))
    return found


def _working(loaded: Sequence[tuple[PluginInfo, object]]) -> list[tuple[PluginInfo, object]]:
    return [(info, plugin) for info, plugin in loaded if info.status == OK]
