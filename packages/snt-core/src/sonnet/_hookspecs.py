"""The hook specifications of the ``sonnet`` pluggy project (imported when plugins load)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

from sonnet._hooks import PROJECT

if TYPE_CHECKING:
    from sonnet._conformance_case import ConformanceCase
    from sonnet._export import Export

__all__ = ["SonnetHookSpecs", "hookspec"]

hookspec = pluggy.HookspecMarker(PROJECT)


class SonnetHookSpecs:
    """The hooks a Sonnet plugin may implement."""

    @hookspec
    def snt_exports(self) -> Iterable[Export]:
        """Returns the names this plugin adds to ``snt``.

        Returns:
          An iterable of :class:`sonnet.plugins.Export` records. Prefer lazy
          ``"module:attr"`` targets so that nothing heavy is imported until a name
          is used.

        Example::

            @snt.hookimpl
            def snt_exports():
                return [Export("Linear", "snt_nets.linear:Linear")]
        """

    @hookspec
    def snt_conformance_cases(self) -> Iterable[ConformanceCase]:
        """Returns how to build and feed this plugin's modules for core's conformance suite.

        Optional. Every export of kind ``"module"`` should have a case.

        Returns:
          An iterable of :class:`sonnet.plugins.ConformanceCase` records.
        """
