"""Finds plugin entry points (group ``sonnet``) of installed distributions."""

from __future__ import annotations

import dataclasses
import importlib.metadata as metadata
from collections.abc import Callable

from sonnet._hooks import PROJECT

__all__ = ["Candidate", "find_candidates"]


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A discovered, not yet loaded, plugin entry point.

    Attributes:
      name: The entry-point name (``"nets"``).
      value: The entry-point value (``"snt_nets._plugin"``).
      distribution: The distribution's project name (``"snt-nets"``).
      version: The distribution's version.
      requires: The distribution's ``Requires-Dist`` lines.
      load: Imports and returns the plugin object.
    """

    name: str
    value: str
    distribution: str | None
    version: str | None
    requires: tuple[str, ...]
    load: Callable[[], object] = dataclasses.field(repr=False, compare=False)


def _candidate(ep: metadata.EntryPoint) -> Candidate:
    dist = getattr(ep, "dist", None)
    name = version = None
    requires: tuple[str, ...] = ()
    if dist is not None:
        name = dist.metadata["Name"]
        version = dist.version
        requires = tuple(dist.requires or ())
    return Candidate(ep.name, ep.value, name, version, requires, ep.load)


def find_candidates(group: str = PROJECT) -> list[Candidate]:
    """Lists the entry points in ``group``, sorted by distribution and name.

    Only metadata is read; no plugin module is imported.
    """
    found = [_candidate(ep) for ep in metadata.entry_points(group=group)]
    return sorted(found, key=lambda c: ((c.distribution or "").lower(), c.name))
