"""Status rows of the plugin table and the provenance of each export."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, overload

from sonnet._export import Export

if TYPE_CHECKING:
    from sonnet.plugins._discovery import Candidate

__all__ = [
    "OK",
    "FAILED",
    "INCOMPATIBLE",
    "DISABLED",
    "PluginInfo",
    "Provided",
    "Source",
    "canonical",
]

OK = "ok"
FAILED = "failed"
INCOMPATIBLE = "incompatible"
DISABLED = "disabled"


@dataclasses.dataclass(eq=False)
class PluginInfo:
    """One row of the plugin status table (see :func:`sonnet.plugins.status`).

    Attributes:
      name: The entry-point name (``"nets"``) or the name given to ``register``.
      entry_point: The entry-point value (``"snt_nets._plugin"``); ``None`` for a
        plugin added with :func:`sonnet.plugins.register`.
      distribution: The distribution that provides the plugin (``"snt-nets"``).
      version: That distribution's version.
      status: ``"ok"``, ``"failed"``, ``"incompatible"`` or ``"disabled"``.
      reason: Why the status is not ``"ok"`` (human-readable), else ``None``.
      error: The exception that made the plugin fail, if any.
      exports: Qualified names (``"Linear"``, ``"nets.MLP"``) this plugin provides.
      conflicts: Names this plugin exported that were not used, with the reason.
    """

    name: str
    entry_point: str | None
    distribution: str | None
    version: str | None
    status: str = OK
    reason: str | None = None
    error: BaseException | None = dataclasses.field(default=None, repr=False)
    exports: list[str] = dataclasses.field(default_factory=list)
    conflicts: list[str] = dataclasses.field(default_factory=list)

    @property
    def label(self) -> str:
        """``"plugin 'nets' (snt-nets 0.1.0)"``, for messages."""
        if self.distribution is None:
            return f"plugin {self.name!r} (registered by hand)"
        return f"plugin {self.name!r} ({self.provider})"

    @property
    def provider(self) -> str:
        """``"snt-nets 0.1.0"``, or the plugin name for hand-registered plugins."""
        if self.distribution is None:
            return f"registered plugin {self.name!r}"
        return f"{self.distribution} {self.version or '(unknown version)'}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view of this row."""
        return {
            "name": self.name,
            "entry_point": self.entry_point,
            "distribution": self.distribution,
            "version": self.version,
            "status": self.status,
            "reason": self.reason,
            "exports": list(self.exports),
            "conflicts": list(self.conflicts),
        }


@dataclasses.dataclass(frozen=True, eq=False)
class Provided:
    """An export together with the plugin that provided it."""

    export: Export
    plugin: PluginInfo

    @property
    def qualname(self) -> str:
        return self.export.qualname


@dataclasses.dataclass
class Source:
    """A plugin to load: a discovered entry point or an object registered by hand."""

    info: PluginInfo
    candidate: Candidate | None = None
    obj: object = None
    blocked: bool = False


@overload
def canonical(name: str) -> str: ...
@overload
def canonical(name: None) -> None: ...
@overload
def canonical(name: str | None) -> str | None: ...
def canonical(name: str | None) -> str | None:
    """PEP 503 normalized name (``Snt_Nets`` -> ``snt-nets``)."""
    if name is None:
        return None
    return name.strip().lower().replace("_", "-").replace(".", "-")
