"""Variable replay: later connections served from the variables the first one made.

Every connection of a module goes through ``AbstractModule._snt_connect``.
On the template path, ``_build`` runs inside the module's
``tf.compat.v1.make_template``: the template re-enters the variable scope and
``get_variable`` looks each variable up in the template's store. Eagerly that
costs more than the matmul of a 256-wide layer, on every call.

Once a module has been connected outside a v1 graph, its variables exist. If
the module's variables can be recorded completely, its later connections
outside v1 graphs (eager calls, and later ``tf.function`` traces) *replay*
them: the module's :class:`VariableReplay` answers the look-ups of ``_build``
without entering the template. The connection is the same in every other
respect: the same frame is pushed (so parents adopt the module), the same
records are kept, observers are told.

A module gets a replay after its first ``_build`` connection outside a v1
graph when

* no user custom getter applies to it (its own, or one on a scope it was
  created in): custom getters run on every connection;
* each variable it created was looked up by that connection, with
  :func:`get_variable` (answered by name) or ``tf.compat.v1.get_variable``
  (answered by a :class:`~sonnet._recorded_scope.RecordedScope`), not made
  with ``tf.Variable``;
* no short name given to :func:`get_variable` named two variables; and
* every submodule it connected existed before that connection (submodules
  built inside ``_build`` are new objects on each call and need the
  template's variable store).

``tf.compat.v1`` graphs always take the template path: there TensorFlow's
variable-scope reuse and the graph collections are the source of truth.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import tensorflow as tf

from sonnet import _connection, _tf_internals
from sonnet._recorded_scope import RecordedScope, not_created

if TYPE_CHECKING:
    from sonnet._abstract_module import AbstractModule
    from sonnet._module_state import ModuleState

__all__ = ["VariableReplay", "get_cached_variable", "get_variable", "replay_for"]

#: A short name :func:`get_variable` saw for two different variables.
_AMBIGUOUS = object()


class VariableReplay:
    """Serves a module's variables to its later connections outside v1 graphs.

    Attributes:
      by_name: short name given to :func:`get_variable` -> variable.
      scope: a :class:`RecordedScope` answering ``tf.compat.v1.get_variable``
        (and ``_enter_variable_scope``) for Sonnet 1 style modules, or None
        when every variable is served by name.
    """

    __slots__ = ("by_name", "scope", "where")

    def __init__(self, where: str, by_name: dict[str, Any], scope: RecordedScope | None) -> None:
        self.where = where
        self.by_name = by_name
        self.scope = scope

    def lookup(self, name: str) -> Any:
        try:
            return self.by_name[name]
        except KeyError:
            raise not_created(self.where, name) from None

    def run(
        self, build: Callable[..., Any], args: tuple, kwargs: dict, eager: bool
    ) -> tuple[Any, str]:
        """Runs ``build`` with this replay answering variable look-ups.

        Returns ``(outputs, name_scope)``. In a ``tf.function`` being traced the
        ops go in a name scope named after the module; eagerly the name scope is
        ``""`` (eager ops have no names worth a scope).
        """
        if eager:
            return self._run(build, args, kwargs), ""
        with tf.name_scope(self.where.split("/")[-1]) as name_scope:
            return self._run(build, args, kwargs), name_scope

    def _run(self, build: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        scope = self.scope
        if scope is None:
            return build(*args, **kwargs)
        with tf.variable_creator_scope(scope.refuse_creation):
            # Making the recorded scope current is what entering it with
            # tf.compat.v1.variable_scope does, without its ~25 us of bookkeeping.
            store = _tf_internals.variable_scope_store()
            previous = store.current_scope
            store.current_scope = scope
            try:
                return build(*args, **kwargs)
            finally:
                store.current_scope = previous


def replay_for(
    module: AbstractModule, state: ModuleState, serial_at_start: int, created: list[Any]
) -> Any:
    """The module's replay after its first connection, or None if it cannot have one.

    ``serial_at_start`` was taken when that connection started: children with
    a larger serial were constructed during it. ``created`` are the variables
    the module created during it (ones made earlier, e.g. in ``__init__``, are
    held by the module's own code, not looked up).
    """
    lookups, by_name = state.lookups, state.short_names
    state.lookups, state.short_names = {}, {}
    if not state.getter.clean or any(v is _AMBIGUOUS for v in by_name.values()):
        return None
    served = {id(v) for v in by_name.values()}
    needs_scope = any(id(v) not in served for v in lookups.values())
    served.update(id(v) for v in lookups.values())
    if any(id(v) not in served for v in created):
        return None
    if any(child._snt_state.serial > serial_at_start for child in state.children):
        return None
    scope_name = state.template.variable_scope.name
    scope = RecordedScope(module, state.template.variable_scope, lookups) if needs_scope else None
    return VariableReplay(scope_name, by_name, scope)


def get_variable(name: str, *args: Any, **kwargs: Any) -> Any:
    """``tf.compat.v1.get_variable`` for module authors, replayed without look-up costs.

    Inside a module's ``_build`` this behaves exactly like
    ``tf.compat.v1.get_variable`` (same arguments, scopes, sharing, custom
    getters, regularizers). In addition, the module remembers the variable
    under ``name``, so its later connections outside ``tf.compat.v1`` graphs
    can be answered by name without the variable-scope machinery (see
    :mod:`sonnet._replay`). First-party modules use it; user modules may, and
    keep working with ``tf.compat.v1.get_variable`` either way.

    Example:
      >>> class Scale(snt.AbstractModule):
      ...   def _build(self, x):
      ...     s = snt.get_variable("s", [], initializer=tf.ones_initializer())
      ...     return x * s
      >>> scale = Scale()
      >>> _ = scale(tf.ones([2])); _ = scale(tf.ones([2]))  # the second call replays "s"
      >>> [v.name for v in scale.variables]
      ['scale/s:0']

    Raises:
      NotSupportedError: on a replayed connection, ``name`` was not created by
        the module's first connection.
    """
    frame = _connection.current()
    if frame is not None:
        replay = frame.replay
        if replay is not None:  # the common case eagerly: one dict look-up
            variable = replay.by_name.get(name)
            if variable is None:
                raise not_created(replay.where, name)
            return variable
    variable = tf.compat.v1.get_variable(name, *args, **kwargs)
    if frame is not None and not frame.strict and isinstance(variable, tf.Variable):
        seen = frame.module._snt_state.short_names
        if seen.setdefault(name, variable) is not variable:
            # The same short name in two sub-scopes of one module: names cannot
            # tell them apart, so this module keeps the template path.
            seen[name] = _AMBIGUOUS
    return variable


def get_cached_variable(name: str) -> Any | None:
    """On a replayed connection, the module's variable ``name``; else None.

    Rarely needed: :func:`get_variable` answers replayed connections by name
    already. It lets a module skip computing ``get_variable``'s arguments
    (shapes, initializers) when those are expensive::

        w = snt.get_cached_variable("w")
        if w is None:
            w = snt.get_variable("w", shape, initializer=make_initializer())
    """
    frame = _connection.current()
    if frame is None or frame.replay is None:
        return None
    return frame.replay.by_name.get(name)
