"""What a module answers about its variables (a mixin of AbstractModule).

Every variable a module creates is attributed to it by the connection frame
(``_connection.attribute_new_variable``) and kept in its ``ModuleState``;
modules connected inside it are its children. ``variables`` and friends walk
those records; ``get_variables``/``get_all_variables`` read the graph
collections in ``tf.compat.v1`` graphs, as Sonnet 1 did.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import tensorflow as tf

from sonnet import _modes
from sonnet._module_state import unique_by_identity
from sonnet._template_support import relative_name
from sonnet.errors import VariableCreatedOnReconnectionError

if TYPE_CHECKING:
    from sonnet._abstract_module import AbstractModule
    from sonnet._connection import Frame
    from sonnet._module_state import ModuleState

_TRAINABLE = tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES
_GLOBAL = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES


def _select_as_collection(variables: list[Any], collection: str) -> list[Any]:
    """The variables a graph ``collection`` would list, outside v1 graphs."""
    if collection == _TRAINABLE:
        return [v for v in variables if v.trainable]
    local = tf.compat.v1.GraphKeys.LOCAL_VARIABLES
    if collection == _GLOBAL:
        excluded = {id(v) for v in tf.compat.v1.get_collection(local)}
        return [v for v in variables if id(v) not in excluded]
    included = {id(v) for v in tf.compat.v1.get_collection(collection)}
    return [v for v in variables if id(v) in included]


class ModuleVariables:
    """Variable records and queries of ``AbstractModule``."""

    _snt_state: ModuleState
    scope_name: str

    if TYPE_CHECKING:  # provided by AbstractModule and tf.Module

        def _ensure_is_connected(self) -> None: ...

        @property
        def is_connected(self) -> bool: ...

        def _track_trackable(self, trackable: Any, name: str, overwrite: bool = ...) -> Any: ...

    def _snt_adopt_variable(self, variable: Any, frame: Frame) -> None:
        # As TensorFlow's templates (and so Sonnet 1): a graph reconnection may add
        # non-trainable variables (e.g. a custom getter's copies); trainable ones, or
        # any variable made eagerly (new on every call), are refused.
        if frame.strict and (variable.trainable or tf.executing_eagerly()):
            raise VariableCreatedOnReconnectionError(
                f"{self.scope_name}: variable {variable.name!r} was created on a connection "
                "after the first one. Create variables with tf.compat.v1.get_variable (which "
                "shares them across connections), not tf.Variable, inside _build."
            )
        if self._snt_state.add_variable(variable):
            self._track_trackable(
                variable, name=relative_name(variable, self.scope_name), overwrite=True
            )

    def _snt_adopt_child(self, child: AbstractModule) -> None:
        if self._snt_state.add_child(child):
            prefix = self.scope_name + "/"
            key = child.scope_name
            key = key[len(prefix) :] if key.startswith(prefix) else key
            self._track_trackable(child, name=f"snt_child/{key}", overwrite=True)

    def _snt_adopt_reused(self, variables: Any) -> None:
        """Records variables the first connection looked up that this module cannot reach.

        A module built inside another one's ``_build`` is a new object on each
        connection, reusing the variables of the first (through the scope's
        reuse in graphs, the shared template store eagerly). Sonnet 1 counts
        the variables a module *uses*: this one records them as its own.
        """
        reachable = {id(v) for v in self._snt_tracked_variables()}
        for variable in variables:
            if id(variable) not in reachable and self._snt_state.add_variable(variable):
                self._track_trackable(
                    variable, name=relative_name(variable, self.scope_name), overwrite=True
                )

    def _snt_descendants(self) -> list[AbstractModule]:
        """This module's children, their children, ... (each once, depth first)."""
        out: list[AbstractModule] = []
        seen = {id(self)}
        stack = list(reversed(self._snt_state.children))
        while stack:
            module = stack.pop()
            if id(module) not in seen:
                seen.add(id(module))
                out.append(module)
                stack.extend(reversed(module._snt_state.children))
        return out

    def _snt_tracked_variables(self) -> list[Any]:
        modules = [self, *self._snt_descendants()]
        return unique_by_identity(v for m in modules for v in m._snt_state.variables)

    @property
    def variables(self) -> tuple[tf.Variable, ...]:
        """Every variable the module uses, sorted by name.

        Those it created (in ``_build``, in ``_enter_variable_scope`` blocks,
        in ``@snt.reuse_variables`` methods) and those of every module connected
        inside it. Independent of graph collections, so it works the same in
        every mode.

        Raises:
          NotConnectedError: the module has not been connected yet.
        """
        self._ensure_is_connected()
        return tuple(sorted(self._snt_tracked_variables(), key=lambda v: v.name))

    @property
    def trainable_variables(self) -> tuple[tf.Variable, ...]:
        """The trainable subset of :attr:`variables` (raises before connection)."""
        return tuple(v for v in self.variables if v.trainable)

    @property
    def non_trainable_variables(self) -> tuple[tf.Variable, ...]:
        """The non-trainable subset of :attr:`variables` (raises before connection)."""
        return tuple(v for v in self.variables if not v.trainable)

    @property
    def _all_variables(self) -> tuple[tf.Variable, ...]:
        """Sonnet 1's name for :attr:`variables` without the connection check."""
        return tuple(self._snt_tracked_variables())

    def get_variables(self, collection: str = _TRAINABLE) -> tuple[tf.Variable, ...]:
        """Variables inside this module's variable scope, sorted by name.

        In graph mode they are read from the graph ``collection``. Eagerly and
        for modules used inside ``tf.function`` they are the variables the
        module uses (:attr:`variables`) inside its scope, selected as the
        collection would: ``TRAINABLE_VARIABLES`` the trainable ones,
        ``GLOBAL_VARIABLES`` all but local ones, any other collection those
        the default graph's collection holds.

        Raises:
          NotConnectedError: the module has not been connected yet.
        """
        self._ensure_is_connected()
        prefix = self.scope_name + "/"
        graph = self._snt_state.graph
        if graph is not None:
            with graph.as_default():
                found = tf.compat.v1.get_collection(collection, "^" + re.escape(prefix))
        else:
            found = [v for v in self._snt_tracked_variables() if v.name.startswith(prefix)]
            found = _select_as_collection(found, collection)
        return tuple(sorted(unique_by_identity(found), key=lambda v: v.name))

    def get_all_variables(self, collection: str = _TRAINABLE) -> tuple[tf.Variable, ...]:
        """Like :meth:`get_variables`, plus the variables of every connected
        submodule, including ones whose scopes are outside this module's (for
        example modules passed to the constructor).
        """
        self._ensure_is_connected()
        found = list(self.get_variables(collection))
        for child in self._snt_state.children:
            if child.is_connected:
                found.extend(child.get_all_variables(collection))
        return tuple(sorted(unique_by_identity(found), key=lambda v: v.name))

    def get_regularization_losses(self) -> list[tf.Tensor]:
        """The regularization losses of this module and its submodules.

        In graph mode these are the module's entries in the
        ``REGULARIZATION_LOSSES`` collection. Eagerly and inside ``tf.function``
        the regularizers are evaluated now, on the variables' current values,
        so the result can be added to a loss in every training step.
        """
        modules = [self, *self._snt_descendants()]
        graph = self._snt_state.graph
        if _modes.in_v1_graph() and graph is not None:
            scopes = tuple({m.scope_name + "/" for m in modules if m.is_connected})
            losses = graph.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
            return [t for t in losses if t.name.startswith(scopes)]
        pairs = [pair for m in modules for pair in m._snt_state.regularizers]
        losses = []
        for variable, regularizer in unique_by_identity(pairs, key=lambda pair: pair[0]):
            loss = regularizer(variable)
            if loss is not None:
                losses.append(loss)
        return losses
