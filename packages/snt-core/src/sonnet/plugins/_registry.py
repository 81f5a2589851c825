"""The built registry: who provides which name, and the status of every plugin."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sonnet.plugins import _messages
from sonnet.plugins._arrange import Arrangement
from sonnet.plugins._records import FAILED, PluginInfo, Provided, canonical
from sonnet.plugins._reserved import RESERVED, RESERVED_NAMESPACES

__all__ = ["Registry"]


class Registry:
    """An immutable snapshot: exports by name, conflicts, and plugin status rows."""

    def __init__(
        self,
        infos: Sequence[PluginInfo],
        arrangement: Arrangement,
        core_names: set[str],
        loaded: Sequence[tuple[PluginInfo, object]] = (),
        manager: Any = None,
    ) -> None:
        self.infos = list(infos)
        self.loaded = list(loaded)
        self.manager = manager
        self.flat = arrangement.flat
        self.namespaces = arrangement.namespaces
        self.conflicts = arrangement.conflicts
        self.core_names = frozenset(core_names)

    def info_for_distribution(self, distribution: str) -> PluginInfo | None:
        """The status row of ``distribution``'s plugin (the first one), or ``None``."""
        for info in self.infos:
            if canonical(info.distribution) == distribution:
                return info
        return None

    def is_namespace(self, name: str) -> bool:
        """Whether ``snt.<name>`` is a plugin sub-namespace."""
        return name in self.namespaces or name in RESERVED_NAMESPACES

    def names(self, namespace: str | None = None) -> list[str]:
        """Public names at top level (without core's) or inside ``namespace``."""
        if namespace is not None:
            return sorted(self.namespaces.get(namespace, {}))
        return sorted(set(self.flat) | set(self.namespaces) | RESERVED_NAMESPACES)

    def lookup(self, qualname: str) -> Provided:
        """Returns the export for ``qualname`` (``"Linear"``, ``"nets.MLP"``).

        Raises:
          PluginConflictError: If two plugins export the name.
          PluginError: If the name's reserved owner failed or is incompatible.
          AttributeError: If nobody provides it (with an install or spelling hint).
        """
        namespace, _, name = qualname.rpartition(".")
        table = self.namespaces.get(namespace, {}) if namespace else self.flat
        found = table.get(name)
        if found is not None:
            return found
        if qualname in self.conflicts:
            raise _messages.conflict_error(qualname, self.conflicts[qualname])
        owner = RESERVED.get(qualname)
        if owner is not None:
            raise _messages.reserved_miss(qualname, owner, self.info_for_distribution(owner))
        known = set(table)
        if namespace:
            known |= {q.split(".", 1)[1] for q in RESERVED if q.startswith(namespace + ".")}
        else:
            known |= self.core_names | {q for q in RESERVED if "." not in q}
            known |= set(self.namespaces)
        failed = [i for i in self.infos if i.status == FAILED]
        raise _messages.unknown_name(qualname, known, failed)
