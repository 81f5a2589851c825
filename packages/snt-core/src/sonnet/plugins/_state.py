"""The live plugin state: builds the registry once, under a lock, and caches names."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import threading
import types
import warnings
from typing import TYPE_CHECKING

from sonnet.errors import PluginError
from sonnet.plugins._env import PluginEnv
from sonnet.plugins._messages import PluginWarning
from sonnet.plugins._namespace import Namespace
from sonnet.plugins._records import PluginInfo, Source, canonical
from sonnet.plugins._resolve import resolve

if TYPE_CHECKING:
    from sonnet.plugins._arrange import Problem
    from sonnet.plugins._registry import Registry

__all__ = ["PluginState", "current", "swap"]


def _sonnet() -> types.ModuleType:
    return sys.modules["sonnet"]


class PluginState:
    """Plugins registered by hand, the built registry, and names cached on ``sonnet``.

    Args:
      discover: Whether to scan installed entry points when building.
      env: Fixed switches; ``None`` reads the ``SNT_*`` variables at each build.
    """

    def __init__(self, *, discover: bool = True, env: PluginEnv | None = None) -> None:
        self.discover = discover
        self.env = env
        self.manual: list[Source] = []
        self.blocked: set[str] = set()
        self.cached: dict[str, object] = {}
        self.namespaces: dict[str, Namespace] = {}
        self.lock = threading.RLock()
        self._registry: Registry | None = None

    # -- building -------------------------------------------------------------
    def registry(self) -> Registry:
        """Returns the registry, building it on first use (once, under the lock)."""
        registry = self._registry
        if registry is not None:
            return registry
        with self.lock:
            if self._registry is None:
                self._registry = self._build()
            return self._registry

    def _sources(self) -> list[Source]:
        sources = []
        if self.discover:
            from sonnet.plugins._discovery import find_candidates

            for cand in find_candidates():
                info = PluginInfo(cand.name, cand.value, cand.distribution, cand.version)
                blocked = bool({canonical(cand.name), canonical(cand.distribution)} & self.blocked)
                sources.append(Source(info, candidate=cand, blocked=blocked))
        for src in self.manual:
            info = src.info
            fresh = PluginInfo(info.name, None, info.distribution, info.version)
            sources.append(Source(fresh, obj=src.obj))
        return sources

    def _core_names(self) -> set[str]:
        module = _sonnet()
        names = {n for n in vars(module) if not n.startswith("_") and n not in self.cached}
        path = getattr(module, "__path__", None) or []
        names.update(m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_"))
        return names

    def _build(self) -> Registry:
        from sonnet._version import __version__
        from sonnet.plugins._build import build

        env = self.env if self.env is not None else PluginEnv.from_environ()
        sources = self._sources()
        registry, problems = build(
            sources, env=env, core_names=self._core_names(), core_version=__version__
        )
        _report(problems, strict=env.strict)
        return registry

    # -- lookups --------------------------------------------------------------
    def resolve(self, qualname: str) -> object:
        """Returns the object for ``qualname`` (``"Linear"``, ``"nets.MLP"``)."""
        return resolve(self.registry().lookup(qualname))

    def module_getattr(self, name: str) -> object:
        """PEP 562 ``sonnet.__getattr__``: resolves and caches a plugin name."""
        if name.startswith("_"):
            raise AttributeError(f"module 'sonnet' has no attribute {name!r}")
        registry = self.registry()
        if registry.is_namespace(name):
            obj: object = self.namespaces.get(name) or self.namespaces.setdefault(
                name, Namespace(name, self)
            )
        else:
            obj = self.resolve(name)
        self.cached[name] = obj
        setattr(_sonnet(), name, obj)
        return obj

    def module_dir(self) -> list[str]:
        """``dir(sonnet)``: core names plus every name plugins provide."""
        return sorted(set(vars(_sonnet())) | set(self.registry().names()))

    # -- cache management -----------------------------------------------------
    def detach(self) -> None:
        """Removes the names this state cached from ``sonnet`` (keeps the record)."""
        module = vars(_sonnet())
        for name, obj in self.cached.items():
            if module.get(name) is obj:
                del module[name]

    def attach(self) -> None:
        """Puts the cached names back on ``sonnet`` (after :meth:`detach`)."""
        module = _sonnet()
        for name, obj in self.cached.items():
            setattr(module, name, obj)

    def invalidate(self) -> None:
        """Forgets the registry and every cached name; the next lookup rebuilds."""
        with self.lock:
            self.detach()
            self.cached.clear()
            for namespace in self.namespaces.values():
                namespace._snt_clear()
            self._registry = None

    def refresh(self) -> Registry:
        """Rescans entry points and rebuilds the registry now."""
        with self.lock:
            self.invalidate()
            importlib.invalidate_caches()
            return self.registry()


def _report(problems: list[Problem], *, strict: bool) -> None:
    if not problems:
        return
    if strict:
        text = "\n  ".join(p.message for p in problems)
        cause = next((p.cause for p in problems if p.cause is not None), None)
        raise PluginError(
            f"SNT_STRICT_PLUGINS is set and {len(problems)} plugin problem(s) occurred:\n  {text}"
        ) from cause
    for problem in problems:
        warnings.warn(PluginWarning(problem.message), stacklevel=5)


_current = PluginState()


def current() -> PluginState:
    """The state ``sonnet`` currently uses."""
    return _current


def swap(state: PluginState) -> PluginState:
    """Makes ``state`` current and returns the previous one (for ``sonnet.testing``)."""
    global _current
    with _current.lock:
        previous = _current
        previous.detach()
        _current = state
        state.attach()
    return previous
