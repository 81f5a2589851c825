"""Step 4, resolve: a name's object, or an error that says what to do.

:class:`PluginState` runs discover -> load -> collect once, under a lock, on the
first lookup, and caches each resolved name as a plain attribute of ``sonnet``
(or of its sub-namespace object, ``snt.nets``), so later lookups cost nothing.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import os
import pkgutil
import sys
import threading
import types
import warnings
from collections.abc import Sequence
from typing import Any

from sonnet._export import Export
from sonnet.errors import PluginConflictError, PluginError
from sonnet.plugins import _collect, _discover, _load
from sonnet.plugins._collect import Provided, Registry
from sonnet.plugins._discover import DISABLED, FAILED, INCOMPATIBLE, PluginEnv, PluginInfo, Source
from sonnet.plugins._hints import HINT_NAMES
from sonnet.python import core_legacy_table

__all__ = ["Namespace", "PluginState", "PluginWarning", "load_reference", "miss"]


class PluginWarning(UserWarning):
    """A plugin failed, was skipped, or had declarations refused (see ``python -m sonnet``)."""


def load_reference(reference: str) -> object:
    """Imports ``"package.module:attr.sub"`` (or ``"package.module"``) and returns it."""
    module_name, _, attr_path = reference.partition(":")
    obj: object = importlib.import_module(module_name)
    for part in attr_path.split(".") if attr_path else ():
        obj = getattr(obj, part)
    return obj


def resolve(provided: Provided) -> object:
    """The object of a winning record: imported, and checked against its kind.

    Raises:
      AttributeError: If the record retires the name.
      PluginError: If a lazy target fails to import (chained to the cause) or is
        not of the declared kind; the message names the distribution.
    """
    record, name, provider = provided.record, f"snt.{provided.key}", provided.provider
    if not isinstance(record, Export):
        raise AttributeError(f"{name} was retired by {provider}: {record.reason}")
    obj = record.target
    if isinstance(obj, str):
        try:
            obj = load_reference(obj)
        except Exception as e:
            label = provided.plugin.label if provided.plugin else provider
            raise PluginError(
                f"{name} could not be loaded from {record.target!r} ({label}): "
                f"{type(e).__name__}: {e}"
            ) from e
    base = getattr(sys.modules.get("sonnet"), "AbstractModule", object)
    problem = None
    if record.kind == "module" and not inspect.isclass(obj):
        problem = f"is not a class but {type(obj).__name__}"
    elif record.kind == "module" and not issubclass(obj, base):  # type: ignore[arg-type]
        problem = "is a class that does not derive from snt.AbstractModule"
    elif record.kind == "function" and not callable(obj):
        problem = f"is not callable but {type(obj).__name__}"
    if problem:
        raise PluginError(f"{name} from {provider} is declared kind={record.kind!r} but {problem}.")
    return obj


def conflict_error(shown: str, providers: Sequence[Provided]) -> PluginConflictError:
    """The error for a name two plugins declare."""
    infos = [p.plugin for p in providers if p.plugin is not None]
    names = " and ".join(f"{i.provider} (plugin {i.name!r})" for i in infos)
    return PluginConflictError(
        f"{shown} is exported by both {names}, so neither is used. Uninstall one of them, "
        f"or disable one, e.g. {_discover.BLOCK_VAR}={infos[-1].distribution or infos[-1].name}."
    )


def hint_error(shown: str, owner: str, info: PluginInfo | None) -> Exception:
    """The error for a hint-table name (or path) that its ``owner`` (status row
    ``info``, ``None`` if not installed) does not provide now."""
    where = f"{shown} is provided by {owner}"
    if info is None:
        return AttributeError(f"{where}, which is not installed (pip install {owner})")
    if info.status == FAILED:
        error = PluginError(f"{where} {info.version}, whose plugin {info.reason}")
        error.__cause__ = info.error
        return error
    if info.status == INCOMPATIBLE:
        return PluginError(f"{where}, but {info.label} was skipped: {info.reason}")
    if info.status == DISABLED:
        return AttributeError(f"{where}, which is installed but {info.reason}")
    return AttributeError(
        f"{shown} is reserved for {owner}, but the installed {owner} {info.version} "
        "does not provide it"
    )


def unknown_name(module: str, name: str, known: Sequence[str], reg: Registry) -> AttributeError:
    """The error for a name nobody provides: close matches, and the plugins that
    failed (which might have provided it; chained to the first failure)."""
    message = f"module {module!r} has no attribute {name!r}"
    matches = difflib.get_close_matches(name, sorted(set(known)), n=3, cutoff=0.6)
    if matches:
        message += ". Did you mean: " + ", ".join(repr(m) for m in matches) + "?"
    failed = [i for i in reg.infos if i.status == FAILED]
    if failed:
        listing = "; ".join(f"{i.label}: {i.reason}" for i in failed)
        message += (
            f" (Note: {len(failed)} plugin(s) failed to load and might provide it: {listing})"
        )
    error = AttributeError(message)
    error.__cause__ = failed[0].error if failed else None
    return error


def miss(reg: Registry, qualname: str) -> Exception:
    """Why ``snt.<qualname>`` has no object: a conflict, a hint, or an unknown name."""
    if qualname in reg.conflicts:
        return conflict_error(f"snt.{qualname}", reg.conflicts[qualname])
    if qualname in HINT_NAMES:
        owner = HINT_NAMES[qualname]
        return hint_error(f"snt.{qualname}", owner, reg.info_for(owner))
    namespace, _, name = qualname.rpartition(".")
    known = [q for q in HINT_NAMES if "." not in q] + [*reg.core_names, *reg.exported()]
    if namespace:
        prefix = namespace + "."
        known = [q[len(prefix) :] for q in HINT_NAMES if q.startswith(prefix)]
        known += reg.exported(namespace)
    return unknown_name(f"sonnet.{namespace}".rstrip("."), name, known, reg)


class Namespace(types.ModuleType):
    """``snt.<name>``: resolves ``snt.<name>.<attr>`` through the registry and caches
    it on itself; ``dir()`` lists every name plugins put there."""

    _snt_namespace: str
    _snt_state: PluginState

    def __init__(self, name: str, state: PluginState) -> None:
        super().__init__(f"sonnet.{name}", f"Plugin sub-namespace snt.{name}.")
        self.__dict__.update(_snt_namespace=name, _snt_state=state)

    def __getattr__(self, attr: str) -> object:
        if attr.startswith("_"):
            raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")
        obj = self.__dict__[attr] = self._snt_state.resolve(f"{self._snt_namespace}.{attr}")
        return obj

    def __dir__(self) -> list[str]:
        names = self._snt_state.registry().exported(self._snt_namespace)
        return sorted(set(names) | {k for k in self.__dict__ if not k.startswith("_")})

    def __repr__(self) -> str:
        return f"<sonnet plugin namespace {self.__name__!r}>"


def _warn(message: str) -> None:
    """Warns, attributed to the first caller outside sonnet and importlib."""
    here, level, frame = os.path.dirname(os.path.dirname(__file__)) + os.sep, 2, sys._getframe(1)
    while frame.f_back and (
        frame.f_code.co_filename.startswith(here) or "importlib" in frame.f_code.co_filename
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(PluginWarning(message), stacklevel=level)


class PluginState:
    """Plugins registered by hand, the registry built from them and the installed
    ones (if ``discover``), and the names cached on ``sonnet``. ``env`` fixes the
    switches; ``None`` reads the ``SNT_*`` variables at each build."""

    def __init__(self, *, discover: bool = True, env: PluginEnv | None = None) -> None:
        self.discover, self.env = discover, env
        self.manual: list[Source] = []
        self.blocked: set[str] = set()
        self.cached: dict[str, object] = {}
        self.namespaces: dict[str, Namespace] = {}
        self.lock = threading.RLock()
        self._registry: Registry | None = None

    def registry(self) -> Registry:
        """The registry, built on first use (once, under the lock)."""
        registry = self._registry
        if registry is None:
            with self.lock:
                registry = self._registry = self._registry or self._build()
        return registry

    def _build(self) -> Registry:
        """discover -> load -> collect; then warns about (or, strict, raises) problems."""
        from sonnet._version import __version__

        env = self.env if self.env is not None else PluginEnv.from_environ()
        sources, problems = _discover.discover(
            self.manual, scan=self.discover, env=env, blocked=self.blocked, core_version=__version__
        )
        plugins = _load.load(sources, __version__, problems)
        infos, core_names = [s.info for s in sources], self._core_names()
        registry = _collect.collect(plugins, infos, core_names, core_legacy_table(), problems)
        if problems and env.strict:
            text = "\n  ".join(message for message, _ in problems)
            raise PluginError(
                f"{_discover.STRICT_VAR} is set and {len(problems)} plugin problem(s) "
                f"occurred:\n  {text}"
            ) from next((cause for _, cause in problems if cause is not None), None)
        for message, _ in problems:
            _warn(message)
        return registry

    def _core_names(self) -> frozenset[str]:
        """Public names ``sonnet`` defines, and its submodules (imported or not)."""
        module = sys.modules["sonnet"]
        names = {n for n in vars(module) if not n.startswith("_") and n not in self.cached}
        names.update(m.name for m in pkgutil.iter_modules(module.__path__) if m.name[0] != "_")
        return frozenset(names)

    def resolve(self, qualname: str) -> object:
        """The object of ``snt.<qualname>`` (``"Linear"``, ``"nets.MLP"``), or raises."""
        registry = self.registry()
        found = registry.names.get(qualname)
        if found is None:
            raise miss(registry, qualname)
        return resolve(found)

    def module_getattr(self, name: str) -> object:
        """``sonnet.__getattr__``: a namespace, a submodule, or a plugin name (cached)."""
        if name.startswith("_"):
            raise AttributeError(f"module 'sonnet' has no attribute {name!r}")
        registry = self.registry()
        obj: Any
        if name in registry.namespaces:
            obj = self.namespaces.setdefault(name, Namespace(name, self))
        elif name in registry.core_names:  # a submodule not imported yet: not cached
            return importlib.import_module(f"sonnet.{name}")
        else:
            obj = self.resolve(name)
        self.cached[name] = obj
        setattr(sys.modules["sonnet"], name, obj)
        return obj

    def detach(self) -> None:
        """Removes the names this state cached from ``sonnet`` (keeps the record)."""
        module = vars(sys.modules["sonnet"])
        for name, obj in self.cached.items():
            if module.get(name) is obj:
                del module[name]

    def attach(self) -> None:
        """Puts the cached names back on ``sonnet`` (after :meth:`detach`)."""
        for name, obj in self.cached.items():
            setattr(sys.modules["sonnet"], name, obj)

    def invalidate(self) -> None:
        """Forgets the registry and every cached name; the next lookup rebuilds."""
        with self.lock:
            self.detach()
            self.cached.clear()
            for namespace in self.namespaces.values():
                for key in [k for k in namespace.__dict__ if not k.startswith("_")]:
                    del namespace.__dict__[key]
            self._registry = None
