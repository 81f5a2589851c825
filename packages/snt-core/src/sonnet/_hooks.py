"""The ``sonnet`` plugin project: its name, hook prefix and the ``hookimpl`` marker.

A plugin is a module (or any object) whose functions are marked with
:data:`hookimpl` and named after a spec in :mod:`sonnet._hookspecs`.
Distributions announce their plugin module under the ``sonnet`` entry-point
group. Core calls each plugin's hooks itself, one plugin at a time, so that
every record it gets back is tagged with the distribution and version it came
from. pluggy is imported only when the marker is first used, so that
``import sonnet`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PROJECT", "HOOK_PREFIX", "hookimpl"]

#: The pluggy project name, equal to the entry-point group and the marker name.
PROJECT = "sonnet"
#: Every hook name starts with this prefix; other attributes are never inspected.
HOOK_PREFIX = "snt_"


class _LazyHookimplMarker:
    """``pluggy.HookimplMarker("sonnet")``, created on first use."""

    _marker: Any = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        marker = self._marker
        if marker is None:
            import pluggy

            marker = type(self)._marker = pluggy.HookimplMarker(PROJECT)
        return marker(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<hookimpl marker for pluggy project {PROJECT!r}>"


#: Marks a plugin function as a hook implementation: ``@snt.hookimpl`` or
#: ``@snt.hookimpl(optionalhook=True)`` (same options as pluggy's marker).
hookimpl = _LazyHookimplMarker()
