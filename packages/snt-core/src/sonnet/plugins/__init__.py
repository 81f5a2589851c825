"""The plugin registry behind the ``snt`` namespace.

Distributions add names to ``snt`` by declaring an entry point in the ``sonnet``
group that points at a small module implementing hooks::

    # pyproject.toml
    [project.entry-points.sonnet]
    nets = "snt_nets._plugin"

    # snt_nets/_plugin.py
    from sonnet import hookimpl
    from sonnet.plugins import Export, LegacyPath

    @hookimpl
    def snt_exports():
        return [Export("Linear", "snt_nets.linear:Linear")]

    @hookimpl
    def snt_legacy_paths():
        return [LegacyPath("sonnet.python.modules.basic", "Linear")]

``import sonnet`` scans nothing; the first lookup of a name ``sonnet`` does not
define builds the registry once, in four steps, a module each: discover the
entry points (``_discover``), load each on its own (``_load``), collect their
records and apply the conflict rules (``_collect``), resolve names
(``_resolve``; ``_legacy`` for Sonnet 1's import paths). See
``docs/plugins.md`` for the contract and ``python -m sonnet`` for the status of
every installed plugin.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys

from sonnet._conformance_case import ConformanceCase
from sonnet._export import KINDS, Export, LegacyPath, Retired
from sonnet.errors import PluginConflictError, PluginError
from sonnet.plugins import _legacy
from sonnet.plugins._discover import (
    ALLOW_VAR,
    BLOCK_VAR,
    OK,
    STRICT_VAR,
    PluginInfo,
    Source,
    canonical,
)
from sonnet.plugins._resolve import PluginState, PluginWarning

__all__ = [
    "ALLOW_VAR",
    "BLOCK_VAR",
    "KINDS",
    "STRICT_VAR",
    "ConformanceCase",
    "Export",
    "LegacyPath",
    "PluginConflictError",
    "PluginError",
    "PluginInfo",
    "PluginWarning",
    "Retired",
    "conformance_cases",
    "exports",
    "legacy_paths",
    "names",
    "refresh",
    "register",
    "status",
    "unregister",
]

_state = PluginState()
_legacy.install()


def _current() -> PluginState:
    """The state ``sonnet`` currently uses (``sonnet.testing`` swaps it)."""
    return _state


def _swap(state: PluginState) -> PluginState:
    """Makes ``state`` current and returns the previous one."""
    global _state
    with _state.lock:
        previous, _state = _state, state
        previous.detach()
        state.attach()
    return previous


def refresh() -> None:
    """Rescans installed plugins and rebuilds the registry now.

    Names already cached on ``sonnet`` are dropped and resolved again on next use.
    Call it after installing or removing a plugin distribution in a running process.

    Raises:
      PluginError: In strict mode (``SNT_STRICT_PLUGINS=1``), if a plugin has problems.
    """
    with _state.lock:
        _state.invalidate()
        importlib.invalidate_caches()
        _state.registry()


def register(
    plugin: object,
    name: str | None = None,
    *,
    distribution: str | None = None,
    version: str | None = None,
) -> str:
    """Adds a plugin object (a module, class or instance with ``snt_*`` hooks) by hand.

    The registry is rebuilt on the next lookup; the ``SNT_*`` switches do not
    apply to it.

    Args:
      plugin: An object whose ``@snt.hookimpl`` functions implement ``snt_*`` hooks.
      name: Its name in the status table; defaults to ``plugin.__name__`` (or its
        class name), with ``-2``, ``-3``, ... appended if taken.
      distribution: Attribute its records to this distribution (so a first-party
        distribution's names can be registered by hand).
      version: The distribution's version; looked up when omitted.

    Returns:
      The name the plugin was registered under.

    Raises:
      ValueError: If the plugin or the name is already registered.
    """
    if plugin is None:
        raise TypeError("register() needs a plugin object, got None.")
    with _state.lock:
        taken = {src.info.name for src in _state.manual}
        if any(src.obj is plugin for src in _state.manual):
            raise ValueError(f"Plugin {plugin!r} is already registered.")
        if name is None:
            base = getattr(plugin, "__name__", None) or type(plugin).__name__
            name, index = base, 1
            while name in taken:
                index += 1
                name = f"{base}-{index}"
        elif name in taken:
            raise ValueError(f"A plugin named {name!r} is already registered; pass another name=.")
        if distribution is not None and version is None:
            try:
                version = importlib.metadata.version(distribution)
            except importlib.metadata.PackageNotFoundError:
                pass
        info = PluginInfo(name, None, distribution, version)
        _state.manual.append(Source(info, lambda: plugin, obj=plugin))
        _state.invalidate()
    return name


def unregister(plugin: object) -> None:
    """Removes a plugin added with :func:`register`, or disables an installed one.

    Args:
      plugin: The registered object, its name, or the entry-point or distribution
        name of an installed plugin (which is then reported as ``disabled``).

    Raises:
      ValueError: If no such plugin is known.
    """
    with _state.lock:
        for src in _state.manual:
            if src.obj is plugin or src.info.name == plugin:
                _state.manual.remove(src)
                _state.invalidate()
                return
        if isinstance(plugin, str):
            key = canonical(plugin)
            for info in _state.registry().infos:
                if info.entry_point and key in (
                    canonical(info.name),
                    canonical(info.distribution or ""),
                ):
                    _state.blocked.add(key)
                    _state.invalidate()
                    return
    raise ValueError(f"No plugin {plugin!r} is registered or installed.")


def status() -> list[PluginInfo]:
    """The status table: one row per discovered or registered plugin."""
    return list(_state.registry().infos)


def names(namespace: str | None = None) -> list[str]:
    """Names plugins provide at the top level of ``snt`` or in ``snt.<namespace>``."""
    return _state.registry().exported(namespace)


def exports() -> list[tuple[Export, PluginInfo]]:
    """Every export in use (after the conflict rules), with the plugin providing it."""
    used = sorted(_state.registry().names.items())
    return [(p.record, p.plugin) for _, p in used if isinstance(p.record, Export) and p.plugin]


def legacy_paths() -> dict[str, dict[str, str]]:
    """Every importable Sonnet 1 module path, with the public names it provides now.

    Returns:
      ``{path: {name: target}}``, the names being the module's ``__all__`` and each
      target an ``snt`` name (``"nets.MLP"``) or a ``"module:attr"`` reference.
    """
    registry = _state.registry()
    return {
        path: {a: registry.legacy[path][a].record for a in _legacy.public_names(registry, path)}
        for path in _legacy.legacy_paths(registry)
    }


def conformance_cases() -> list[tuple[ConformanceCase, PluginInfo]]:
    """Calls every working plugin's ``snt_conformance_cases`` hook.

    Returns:
      Each case with the plugin that provided it.

    Raises:
      PluginError: If a hook raises or returns something that is not a
        :class:`ConformanceCase` (chained to the cause, naming the plugin).
    """
    found: list[tuple[ConformanceCase, PluginInfo]] = []
    for plugin in _state.registry().plugins:
        if plugin.info.status != OK:
            continue
        try:
            cases = plugin.call("snt_conformance_cases", ConformanceCase)
        except Exception as e:
            raise PluginError(f"{plugin.info.label} failed in snt_conformance_cases: {e!r}") from e
        found += [(case, plugin.info) for case in cases]
    return found


def _module_getattr(name: str) -> object:
    """Implements ``sonnet.__getattr__`` (PEP 562)."""
    return _state.module_getattr(name)


def _module_dir() -> list[str]:
    """Implements ``sonnet.__dir__``: core names plus every name plugins provide."""
    return sorted(set(vars(sys.modules["sonnet"])) | set(_state.registry().exported()))
