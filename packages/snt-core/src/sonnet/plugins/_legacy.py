"""Resolve, for Sonnet 1's import paths: ``sonnet.python.modules.gated_rnn.LSTM``.

snt-core and each plugin declare which names live at which Sonnet 1 path
(:class:`sonnet.plugins.LegacyPath`). A finder on ``sys.meta_path``, which
answers only ``sonnet.*`` names that no file provides, makes a module for
every declared path, every path of the hint table (so that
``import sonnet.python.modules.gated_rnn`` works without snt-rnn, and using a
name says what to install) and their parents. Attributes resolve on use, so
importing a known path loads no plugin; only a path new to core builds the
registry to find its declaration.

The finder also keeps the message of ``from sonnet import LSTM`` (and of
``from <legacy module> import X``): CPython replaces an ``AttributeError``
raised there by a bare "cannot import name", but first tries to import
``sonnet.LSTM`` as a submodule; the finder answers that with the hint.
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Iterable
from typing import Any

from sonnet._export import LEGACY_ROOT, MODULE_ALIAS, Export
from sonnet.errors import PluginError
from sonnet.plugins._collect import Registry
from sonnet.plugins._discover import OK
from sonnet.plugins._hints import HINT_NAMES, HINT_PATHS
from sonnet.plugins._resolve import conflict_error, hint_error, load_reference, miss, unknown_name
from sonnet.python import core_legacy_table

__all__ = ["LegacyModule", "install", "is_legacy_path", "legacy_paths", "public_names"]


#: Names of the hint table; a failed ``from ... import`` of one keeps its message.
_HINTED = frozenset(q.rpartition(".")[2] for q in HINT_NAMES)


def _registry() -> Registry:
    from sonnet.plugins import _current

    return _current().registry()


def _with_parents(paths: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        parts = path.split(".")
        found.update(".".join(parts[:n]) for n in range(3, len(parts) + 1))
    return found


@functools.cache
def _known() -> frozenset[str]:
    """The legacy modules snt-core knows without any plugin: its own, the hinted."""
    return frozenset(_with_parents({*core_legacy_table(), *HINT_PATHS}))


def legacy_paths(registry: Registry | None = None) -> list[str]:
    """Every importable legacy module path (declared, hinted, and their parents)."""
    return sorted(_with_parents({*(registry or _registry()).legacy, *HINT_PATHS}))


def is_legacy_path(name: str) -> bool:
    """Whether ``name`` is a legacy module; builds the registry only for paths new to core."""
    return name in _known() or name in legacy_paths()


def _get(path: str, attr: str) -> object:
    """``path.attr``: snt-core's declaration, a known submodule, or a plugin's."""
    target, provider = core_legacy_table().get(path, {}).get(attr), "snt-core"
    if target is None:
        if f"{path}.{attr}" in _known():
            return importlib.import_module(f"{path}.{attr}")
        registry = _registry()
        found = registry.legacy.get(path, {}).get(attr)
        if found is None:
            if f"{path}.{attr}" in legacy_paths(registry):
                return importlib.import_module(f"{path}.{attr}")
            raise _miss(registry, path, attr)
        target, provider = found.record, found.provider
    if ":" not in target:  # an snt name
        obj: Any = sys.modules["sonnet"]
        for part in target.split("."):
            obj = getattr(obj, part)
        return obj
    try:
        return load_reference(target)
    except Exception as e:
        raise PluginError(
            f"{path}.{attr} could not be loaded from {target!r} ({provider}): "
            f"{type(e).__name__}: {e}"
        ) from e


def _miss(registry: Registry, path: str, attr: str) -> Exception:
    key = f"{path}.{attr}"
    if key in registry.conflicts:
        return conflict_error(key, registry.conflicts[key])
    for qualname in HINT_NAMES:
        if qualname.rpartition(".")[2] == attr and qualname not in registry.names:
            error = miss(registry, qualname)
            prefixed = type(error)(f"{key}: {error}")
            prefixed.__cause__ = error.__cause__
            return prefixed
    owner = HINT_PATHS.get(path)
    info = registry.info_for(owner) if owner else None
    if owner and (info is None or info.status != OK):
        error = hint_error(path, owner, info)
        prefixed = type(error)(f"module {path!r} has no attribute {attr!r}: {error}")
        prefixed.__cause__ = error.__cause__
        return prefixed
    known = [*public_names(registry, path), *(q.rpartition(".")[2] for q in HINT_NAMES)]
    return unknown_name(path, attr, known, registry)


def public_names(registry: Registry, path: str) -> list[str]:
    """The public names at ``path`` whose target is available (its ``__all__``)."""

    def available(target: str) -> bool:
        found = registry.names.get(target)
        return (
            ":" in target
            or target.split(".")[0] in registry.core_names
            or (found is not None and isinstance(found.record, Export))
        )

    table = registry.legacy.get(path, {})
    return sorted(a for a, p in table.items() if a[0] != "_" and available(p.record))


class LegacyModule(types.ModuleType):
    """A Sonnet 1 module path; its names resolve on use (never cached here)."""

    def __getattr__(self, attr: str) -> Any:
        if attr == "__all__":
            return public_names(_registry(), self.__name__)
        if attr.startswith("__"):
            raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")
        return _get(self.__name__, attr)

    def __dir__(self) -> list[str]:
        return sorted(set(public_names(_registry(), self.__name__)) | set(self.__dict__))


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Creates legacy modules and keeps the hint of failed ``from ... import``."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if not fullname.startswith("sonnet."):
            return None
        if fullname.startswith(LEGACY_ROOT + ".") and is_legacy_path(fullname):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        parent, _, name = fullname.rpartition(".")
        module = sys.modules.get(parent)
        if name in _HINTED and (parent == "sonnet" or isinstance(module, LegacyModule)):
            try:
                getattr(module, name)
            except AttributeError as e:
                raise ImportError(
                    f"cannot import name {name!r} from {parent!r}: {e}", name=parent
                ) from e.__cause__
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        if spec.name not in _known():  # only plugins declare whole-module aliases
            alias = _registry().legacy.get(spec.name, {}).get(MODULE_ALIAS)
            if alias is not None:  # the path is that module (LegacyPath(module=...))
                return importlib.import_module(alias.record)
        return LegacyModule(spec.name, f"Sonnet 1's {spec.name}: names declared by snt plugins.")

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def install() -> None:
    """Puts the finder first on ``sys.meta_path`` (once).

    First, so that no other finder (another tool's alias of ``sonnet.python``)
    answers for these paths; it answers only ``sonnet.*`` names, and the legacy
    paths have no files, so it hides nothing from the path-based finder.
    """
    if not any(type(f).__name__ == "_Finder" for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
