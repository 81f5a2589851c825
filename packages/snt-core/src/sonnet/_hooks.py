"""The ``sonnet`` plugin project: its name, the ``hookimpl`` marker and the hooks.

A plugin is a module (or any object) whose functions are marked with
:data:`hookimpl` and named after a hook of :class:`SonnetHookSpecs`.
Distributions announce their plugin module under the ``sonnet`` entry-point
group. Core calls each plugin's hooks itself, one plugin at a time, so that
every record it gets back is tagged with the distribution and version it came
from. pluggy provides the marker (``@snt.hookimpl`` is pluggy's
``HookimplMarker("sonnet")``, created on first use so that ``import sonnet``
stays cheap); this module and everything it imports need no TensorFlow.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sonnet._conformance_case import ConformanceCase
    from sonnet._export import Export, LegacyPath, Retired

__all__ = ["HOOKS", "HOOK_PREFIX", "PROJECT", "SonnetHookSpecs", "hookimpl"]

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


class SonnetHookSpecs:
    """The hooks a Sonnet plugin may implement; none takes arguments.

    Each returns an iterable of records (or ``None`` for none). Core calls the
    hooks of one plugin at a time; a hook that raises, or returns something
    other than its record type, marks that plugin ``failed``.
    """

    def snt_exports(self) -> Iterable[Export]:
        """Returns the names this plugin adds to ``snt``.

        Returns:
          :class:`sonnet.plugins.Export` records. Prefer lazy ``"module:attr"``
          targets so that nothing heavy is imported until a name is used.

        Example::

            @snt.hookimpl
            def snt_exports():
                return [Export("Linear", "snt_nets.linear:Linear")]
        """
        raise NotImplementedError

    def snt_legacy_paths(self) -> Iterable[LegacyPath]:
        """Returns the Sonnet 1 import paths (``sonnet.python.modules.<file>``) it fills.

        Optional. The modules exist as soon as a plugin names them; each name
        resolves on first use. Several plugins may add names to one path.

        Returns:
          :class:`sonnet.plugins.LegacyPath` records.

        Example::

            @snt.hookimpl
            def snt_legacy_paths():
                return [LegacyPath("sonnet.python.modules.basic", "Linear AddBias")]
        """
        raise NotImplementedError

    def snt_retired_names(self) -> Iterable[Retired]:
        """Returns names this plugin used to provide, with what to use instead.

        Optional. Looking one up raises ``AttributeError`` with the reason.

        Returns:
          :class:`sonnet.plugins.Retired` records.

        Example::

            @snt.hookimpl
            def snt_retired_names():
                return [Retired("OldCore", "removed in snt-foo 0.3: use snt.NewCore")]
        """
        raise NotImplementedError

    def snt_conformance_cases(self) -> Iterable[ConformanceCase]:
        """Returns how to build and feed this plugin's modules for core's conformance suite.

        Optional; called only by the suite, so it may import TensorFlow. Every
        export of kind ``"module"`` should have a case.

        Returns:
          :class:`sonnet.plugins.ConformanceCase` records.

        Example::

            @snt.hookimpl
            def snt_conformance_cases():
                import tensorflow as tf
                return [ConformanceCase("Linear", lambda: snt.Linear(3),
                                        lambda: (tf.ones([2, 4]),))]
        """
        raise NotImplementedError


#: Hook name -> its spec (the methods of :class:`SonnetHookSpecs`).
HOOKS: dict[str, Any] = {
    name: spec for name, spec in inspect.getmembers(SonnetHookSpecs) if name.startswith(HOOK_PREFIX)
}
