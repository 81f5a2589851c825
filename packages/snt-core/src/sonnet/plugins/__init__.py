"""The plugin registry behind the ``snt`` namespace.

Distributions add names to ``snt`` by declaring an entry point in the ``sonnet``
group that points at a small module implementing the ``snt_exports`` hook::

    # pyproject.toml
    [project.entry-points.sonnet]
    nets = "snt_nets._plugin"

    # snt_nets/_plugin.py
    import sonnet as snt
    from sonnet.plugins import Export

    @snt.hookimpl
    def snt_exports():
        return [Export("Linear", "snt_nets.linear:Linear")]

``import sonnet`` scans nothing; the first lookup of a name ``sonnet`` does not
define builds the registry once. See ``docs/plugins.md`` for the full contract,
and ``python -m sonnet`` for the status of every installed plugin.
"""

from __future__ import annotations

import sys

from sonnet._conformance_case import ConformanceCase
from sonnet._export import KINDS, Export
from sonnet.errors import PluginConflictError, PluginError
from sonnet.plugins._api import (
    conformance_cases,
    exports,
    names,
    refresh,
    register,
    status,
    unregister,
)
from sonnet.plugins._env import ALLOW_VAR, BLOCK_VAR, STRICT_VAR
from sonnet.plugins._import_context import is_import_from
from sonnet.plugins._messages import PluginWarning
from sonnet.plugins._records import PluginInfo
from sonnet.plugins._reserved import RESERVED
from sonnet.plugins._state import current as _current

__all__ = [
    "ALLOW_VAR",
    "BLOCK_VAR",
    "KINDS",
    "RESERVED",
    "STRICT_VAR",
    "ConformanceCase",
    "Export",
    "PluginConflictError",
    "PluginError",
    "PluginInfo",
    "PluginWarning",
    "conformance_cases",
    "exports",
    "names",
    "refresh",
    "register",
    "status",
    "unregister",
]


def _module_getattr(name: str) -> object:
    """Implements ``sonnet.__getattr__`` (PEP 562)."""
    try:
        return _current().module_getattr(name)
    except AttributeError as e:
        # Frames: 0 here, 1 sonnet.__getattr__, 2 the code doing the lookup.
        if name.startswith("_") or not is_import_from(sys._getframe(2)):
            raise
        raise ImportError(f"cannot import name {name!r} from 'sonnet': {e}", name="sonnet") from (
            e.__cause__ or e
        )


def _module_dir() -> list[str]:
    """Implements ``sonnet.__dir__``."""
    return _current().module_dir()
