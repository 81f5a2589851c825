"""ModuleState: everything ``AbstractModule`` keeps about one module, in one object.

A module holds its state in a single untracked attribute, ``_snt_state``, so
that ``tf.Module``'s attribute tracking never wraps it and the module's own
namespace stays free for subclasses. Besides it, a module carries one tuple,
``_snt_walk``, holding the variable and child lists: ``tf.Module``'s attribute
walk (used when a plain ``tf.Module`` holds a Sonnet module) finds variables and
submodules there.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sonnet._connection import ConnectedSubGraph
    from sonnet._replay import VariableReplay

_serials = itertools.count()


class ModuleState:
    """The per-module state of the module system (not public API).

    Attributes:
      template: the ``tf.compat.v1.make_template`` around ``_build_wrapper``;
        its variable scope is the module's scope.
      unique_name: the last component of that scope's name (``linear_1``).
      custom_getter: the custom getter as given to the constructor (a callable,
        a dict of them, or None), for ``clone()``/``transpose()``.
      getter: the module getter installed on the template's scope (runs the
        user's getter, records regularizers); ``getter.clean`` says whether no
        user getter applies to the module.
      strategy: the ``tf.distribute`` strategy the module was constructed in.
      serial: increases with each module constructed (to spot submodules
        made during a connection).
      graph: the ``tf.compat.v1`` graph the module is bound to, or None.
      connected: any connection (``_build`` or a reuse_variables method) ran.
      built: ``_build`` was connected at least once.
      variables / variable_ids: variables the module created, in order.
      regularizers: ``(variable, regularizer)`` pairs kept outside v1 graphs.
      children / child_ids / child_scopes: modules connected inside this one's
        connections (their ids and variable-scope names, for the duplicate checks).
      subgraphs: every v1-graph connection; ``last_subgraph`` the latest graph
        connection (v1 graph or ``tf.function``); eager ones are not kept.
      lookups: during the first connection outside v1 graphs, the variables
        ``_build`` looked up: by full name through the scope, by short name
        through ``snt.get_variable`` (``short_names``); see ``_replay``.
      replay: the :class:`~sonnet._replay.VariableReplay` serving later
        connections outside v1 graphs, or None.
      defun_call: the ``tf.function`` made by ``defun()``, or None.
      lock: serializes template connections (a template's scope context is a
        single object, and the first connection creates the variables).
      eager_scopes: per-thread scope contexts of an eager template, or None.
      input_spec: the class's tensor parameters (``_input_policy``), or None.
      input_dtypes: argument name -> dtype of its first connection.
    """

    __slots__ = (
        "template",
        "unique_name",
        "custom_getter",
        "getter",
        "strategy",
        "serial",
        "graph",
        "connected",
        "built",
        "variables",
        "variable_ids",
        "regularizers",
        "children",
        "child_ids",
        "child_scopes",
        "subgraphs",
        "last_subgraph",
        "lookups",
        "short_names",
        "replay",
        "defun_call",
        "lock",
        "eager_scopes",
        "input_spec",
        "input_dtypes",
    )

    def __init__(
        self,
        template: Any,
        unique_name: str,
        custom_getter: Any,
        getter: Any,
        strategy: Any,
        eager_scopes: Any,
    ) -> None:
        self.template = template
        self.unique_name = unique_name
        self.custom_getter = custom_getter
        self.getter = getter
        self.strategy = strategy
        self.serial = new_serial()
        self.graph: Any = None
        self.connected = False
        self.built = False
        self.variables: list[Any] = []
        self.variable_ids: set[int] = set()
        self.regularizers: list[tuple[Any, Callable[[Any], Any]]] = []
        self.children: list[Any] = []
        self.child_ids: set[int] = set()
        self.child_scopes: set[str] = set()
        self.subgraphs: list[ConnectedSubGraph] = []
        self.last_subgraph: ConnectedSubGraph | None = None
        self.lookups: dict[str, Any] = {}
        self.short_names: dict[str, Any] = {}
        self.replay: VariableReplay | None = None
        self.defun_call: Callable[..., Any] | None = None
        self.lock = threading.RLock()
        self.eager_scopes = eager_scopes
        self.input_spec: Any = None
        self.input_dtypes: dict[str, Any] = {}

    def add_variable(self, variable: Any) -> bool:
        """Records a variable the module created; False if already recorded."""
        if id(variable) in self.variable_ids:
            return False
        self.variable_ids.add(id(variable))
        self.variables.append(variable)
        return True

    def add_regularizer(self, variable: Any, regularizer: Callable[[Any], Any]) -> None:
        if all(v is not variable for v, _ in self.regularizers):
            self.regularizers.append((variable, regularizer))

    def add_child(self, child: Any) -> bool:
        """Records a child module; False if it (or a module of the same scope) is known."""
        if id(child) in self.child_ids:
            return False
        # A submodule built inside _build is a new object on every call but
        # names the same scope and variables: keep the first one only, so
        # repeated calls keep no per-call state.
        scope = child._snt_state.template.variable_scope.name
        if scope in self.child_scopes:  # a set: a parent of hundreds of units stays linear
            return False
        self.child_ids.add(id(child))
        self.child_scopes.add(scope)
        self.children.append(child)
        return True


def new_serial() -> int:
    """A number larger than every serial handed out before (modules take one each)."""
    return next(_serials)


def unique_by_identity(items: Iterable[Any], key: Callable[[Any], Any] | None = None) -> list[Any]:
    """Drops repeated items, comparing ``key(item)`` by identity.

    Variables are unhashable in eager mode, so a plain ``set`` cannot be used.
    """
    seen: set[int] = set()
    out = []
    for item in items:
        marker = id(item if key is None else key(item))
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out
