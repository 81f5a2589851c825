"""What a module records of its connections (a mixin of AbstractModule).

As in Sonnet 1, ``tf.compat.v1`` graph connections are kept
(``connected_subgraphs``, ``name_scopes``) and eager ones are not (a training
loop would accumulate them); observers registered with
``snt.observe_connections`` hear of every connection as it happens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import tensorflow as tf

from sonnet import _connection, _modes
from sonnet._template_support import signature
from sonnet.errors import NotConnectedError, NotSupportedError

if TYPE_CHECKING:
    from sonnet._module_state import ModuleState


class ModuleRecords:
    """Connection records and graph binding of ``AbstractModule``."""

    _snt_state: ModuleState
    scope_name: str

    if TYPE_CHECKING:  # provided by AbstractModule and tf.Module

        def _ensure_is_connected(self) -> None: ...

    def _snt_subgraph(
        self, name_scope: str, fn: Callable[..., Any], args: tuple, kwargs: dict, outputs: Any
    ) -> _connection.ConnectedSubGraph:
        try:
            inputs = dict(signature(fn).bind(*args, **kwargs).arguments)
        except (TypeError, ValueError):
            inputs = {"args": args, "kwargs": kwargs}
        return _connection.ConnectedSubGraph(self, name_scope, inputs, outputs)

    def _snt_record_connection(
        self,
        name_scope: str,
        fn: Callable[..., Any],
        args: tuple,
        kwargs: dict,
        outputs: Any,
        eager: bool,
    ) -> None:
        state = self._snt_state
        state.connected = True
        if eager and not _connection.has_observers():
            return  # eager connections are not tracked (each training step is one)
        subgraph = self._snt_subgraph(name_scope, fn, args, kwargs, outputs)
        if not eager:
            if _modes.in_v1_graph():
                state.subgraphs.append(subgraph)
            state.last_subgraph = subgraph
        _connection.notify_observers(subgraph)

    def _check_subgraphs_tracked(self, what: str) -> None:
        if tf.executing_eagerly():
            raise NotSupportedError(
                f"{self.scope_name}: {what} in eager mode: eager calls (one per training "
                "step) are not recorded. snt.observe_connections reports them as they happen."
            )

    @property
    def name_scopes(self) -> tuple[str, ...]:
        """The name scope of each graph-mode connection, in order.

        Raises:
          NotSupportedError: when executing eagerly (connections are not tracked).
        """
        self._check_subgraphs_tracked("the name_scopes property is not supported")
        return tuple(s.name_scope for s in self._snt_state.subgraphs)

    @property
    def name_scope(self) -> tf.name_scope:
        """A name scope for ops that belong with this module (``tf.Module`` API)."""
        return tf.name_scope(self._snt_state.template.variable_scope.original_name_scope or None)

    @property
    def graph(self) -> tf.Graph | None:
        """The ``tf.compat.v1`` graph the module is connected into; None eagerly or before."""
        return self._snt_state.graph

    @property
    def is_connected(self) -> bool:
        """Whether the module has been connected at least once."""
        return self._snt_state.connected

    @property
    def connected_subgraphs(self) -> tuple[_connection.ConnectedSubGraph, ...]:
        """Every ``tf.compat.v1`` graph connection of the module, in order.

        Inside a ``tf.function`` being traced it is the latest connection only.

        Raises:
          NotSupportedError: when executing eagerly (eager calls are not
            tracked, as in Sonnet 1: a training loop would accumulate them).
        """
        self._check_subgraphs_tracked("Connected sub-graphs are not tracked")
        state = self._snt_state
        if state.subgraphs:
            return tuple(state.subgraphs)
        return (state.last_subgraph,) if state.last_subgraph is not None else ()

    @property
    def last_connected_subgraph(self) -> _connection.ConnectedSubGraph:
        """The most recent graph connection.

        Raises:
          NotSupportedError: when executing eagerly.
          NotConnectedError: the module has not been connected in a graph yet.
        """
        self._check_subgraphs_tracked("Connected sub-graphs are not tracked")
        self._ensure_is_connected()
        state = self._snt_state
        if state.last_subgraph is None:
            raise NotConnectedError(
                f"{self.scope_name}: not connected in a graph yet (Variables in "
                f"{self.scope_name} not instantiated yet in a graph): it was connected eagerly "
                "only, where connections are not tracked."
            )
        return state.last_subgraph

    @property
    def _graph(self) -> tf.Graph | None:
        """Sonnet 1's name for :attr:`graph`."""
        return self._snt_state.graph

    @property
    def _template(self) -> Any:
        """Sonnet 1's ``_template``: the ``make_template`` around ``_build``.

        Sonnet 1 client code enters ``self._template.variable_scope``.
        """
        return self._snt_state.template
