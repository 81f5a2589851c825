"""AbstractModule: configure in ``__init__``, connect with ``__call__``, share variables.

Each module owns a ``tf.compat.v1`` template (``make_template``) around its
``_build``: the template gives the module its uniquified variable scope, turns
on variable reuse from the second connection on, and (eagerly) keeps the
module's variable store.

Every connection goes through :meth:`AbstractModule._snt_connect`, the one
connection path: it pushes a connection frame (where a parent adopts the
module as its child), runs ``_build`` — through the template, or, outside
``tf.compat.v1`` graphs once the module's variables are known, by replaying
them (see ``_replay``) — and records the connection. The per-module state
lives in one :class:`~sonnet._module_state.ModuleState`.
"""

from __future__ import annotations

import abc
import contextlib
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import tensorflow as tf

from sonnet import _connection, _modes
from sonnet._checks import custom_getter_router
from sonnet._module_state import ModuleState, new_serial, unique_by_identity
from sonnet._naming import to_snake_case
from sonnet._replay import replay_for
from sonnet._template_support import (
    EagerTemplateScopes,
    enclosing_caching_device,
    install_eager_scope,
    make_module_getter,
    property_getter,
    relative_name,
    signature,
    tf_module_name,
    without_template_trace,
)
from sonnet.errors import (
    DifferentGraphError,
    NotConnectedError,
    NotInitializedError,
    NotSupportedError,
    VariableCreatedOnReconnectionError,
)

_TRAINABLE = tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES
_GLOBAL = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES

#: ``body(frame, args, kwargs) -> (outputs, name_scope)``: what a connection runs.
Body = Callable[[_connection.Frame, tuple, dict], tuple[Any, str]]


class AbstractModule(tf.Module, metaclass=abc.ABCMeta):
    """Base class for Sonnet modules.

    Subclasses call ``super().__init__(name=...)`` first in their constructor,
    store their configuration, and implement :meth:`_build`. Calling the module
    connects ``_build``: the first call creates its variables (with
    ``tf.compat.v1.get_variable``), every later call reuses them.

    Example:
      >>> class Scale(snt.AbstractModule):
      ...   def __init__(self, name="scale"):
      ...     super().__init__(name=name)
      ...   def _build(self, x):
      ...     s = tf.compat.v1.get_variable("s", [], initializer=tf.ones_initializer())
      ...     return x * s
      >>> scale = Scale()
      >>> y = scale(tf.ones([2]))
      >>> [v.name for v in scale.get_variables()]
      ['scale/s:0']

    Args:
      _sentinel: must not be given: Sonnet modules take keyword arguments only.
      custom_getter: a callable ``getter(next_getter, name, *args, **kwargs)``
        applied to every variable the module creates, or a dict mapping regular
        expressions (matched against the name inside the module's scope) to
        such callables.
      name: the module name; defaults to the class name in snake_case.

    Raises:
      ValueError: ``__init__`` was called with a positional argument.
      TypeError: ``name`` is not a string, or ``custom_getter`` is neither
        callable nor a dict.
    """

    def __init__(
        self,
        _sentinel: Any = None,
        custom_getter: Callable[..., Any] | Mapping[str, Callable[..., Any]] | None = None,
        name: str | None = None,
    ) -> None:
        if _sentinel is not None:
            raise ValueError(
                f"{type(self).__name__}: AbstractModule.__init__ takes keyword arguments "
                "only (e.g. super().__init__(name=name)); a positional argument was given."
            )
        if name is None:
            name = to_snake_case(type(self).__name__)
        if not isinstance(name, str):
            raise TypeError(
                f"{type(self).__name__}: name must be a string, got "
                f"{type(name).__name__}: {name!r}."
            )
        user_getter = custom_getter
        if isinstance(custom_getter, Mapping):
            custom_getter = custom_getter_router(custom_getter, self._name_inside_scope)
        elif custom_getter is not None and not callable(custom_getter):
            raise TypeError(
                f"{name}: custom_getter must be callable or a dict of callables, got "
                f"{type(custom_getter).__name__}."
            )
        module_getter = make_module_getter(self, custom_getter, tf.compat.v1.get_variable_scope())
        template = tf.compat.v1.make_template(
            name, self._build_wrapper, create_scope_now_=True, custom_getter_=module_getter
        )
        unique_name = template.variable_scope.name.split("/")[-1]
        state = ModuleState(
            template,
            unique_name,
            custom_getter=user_getter,
            getter=module_getter,
            strategy=tf.distribute.get_strategy() if tf.distribute.has_strategy() else None,
            eager_scopes=EagerTemplateScopes() if tf.executing_eagerly() else None,
        )
        object.__setattr__(self, "_name", tf_module_name(unique_name))
        object.__setattr__(self, "_snt_state", state)
        # tf.Module's attribute walk (a plain tf.Module holding this module)
        # finds this module's variables and children here.
        object.__setattr__(self, "_snt_walk", (state.variables, state.children))

    # -- subclass API --------------------------------------------------------

    @abc.abstractmethod
    def _build(self, *args: Any, **kwargs: Any) -> Any:
        """Adds the module's computation to the graph; called by ``__call__``."""

    @classmethod
    def get_possible_initializer_keys(cls) -> set[str]:
        """The keys accepted in this module's ``initializers`` dict."""
        return set(getattr(cls, "POSSIBLE_INITIALIZER_KEYS", set()))

    @contextlib.contextmanager
    def _enter_variable_scope(
        self, reuse: bool | None = None, check_same_graph: bool = True
    ) -> Iterator[tf.compat.v1.VariableScope]:
        """Re-enters the module's variable scope, e.g. to build submodules in ``__init__``.

        Submodules constructed inside this block nest under the module's scope
        (``parent/linear/w``); built outside it they get a scope of their own.
        Inside a replayed ``_build`` the scope answers look-ups from the
        module's recorded variables.
        """
        if check_same_graph:
            self._check_same_graph()
        scope = self._snt_state.template.variable_scope
        frame = _connection.current()
        if frame is not None and frame.module is self and frame.replay is not None:
            scope = frame.replay.scope or scope
        with tf.compat.v1.variable_scope(scope, reuse=reuse) as vs:
            yield vs

    @property
    def custom_getter(self) -> Callable[..., Any] | Mapping[str, Callable[..., Any]] | None:
        """The custom getter given to the constructor (a callable, a dict, or None).

        ``clone()`` and ``transpose()`` pass it on, so a copy keeps the user's getters.
        """
        return self._snt_state.custom_getter

    # -- connection ----------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Connects the module: runs ``_build`` in the module's variable scope."""
        defun_call = self._snt_state.defun_call
        if defun_call is not None:
            return defun_call(*args, **kwargs)
        return self._snt_connect(args, kwargs)

    def _snt_connect(
        self,
        args: tuple,
        kwargs: dict,
        body: Body | None = None,
        fn: Callable[..., Any] | None = None,
    ) -> Any:
        """The one connection path, for ``_build`` (``body=None``) and reuse_variables.

        Pushes the connection frame (the parent adopts this module), runs
        ``_build`` by replay or through the template (or runs ``body``), pops
        the frame, and records the connection (``fn`` is what the inputs are
        bound to for the record; ``_build`` by default).
        """
        state = self._snt_state
        eager = tf.executing_eagerly()
        replay = state.replay if body is None else None
        if replay is not None and not eager and not tf.inside_function():
            replay = None  # a tf.compat.v1 graph: TensorFlow's reuse is the truth there
        frame = _connection.enter(self, replay, strict=body is None and state.built)
        try:
            if replay is not None:
                outputs, name_scope = replay.run(self._build, args, kwargs, eager)
            elif body is None:
                outputs, name_scope = self._snt_run_template(frame, args, kwargs)
            else:
                outputs, name_scope = body(frame, args, kwargs)
        finally:
            _connection.leave(frame)
        self._snt_record_connection(name_scope, fn or self._build, args, kwargs, outputs, eager)
        return outputs

    def _snt_run_template(self, frame: _connection.Frame, args: tuple, kwargs: dict) -> Any:
        """Connects ``_build`` through the module's template (the full path)."""
        state = self._snt_state
        # One template connection at a time per module: the first one creates
        # the variables, and a template's scope context is a single object.
        with state.lock:
            self._check_same_graph()
            first = not state.built
            frame.strict = not first  # another thread may have built it meanwhile
            if state.eager_scopes is not None:
                install_eager_scope(state.template, state.eager_scopes)
            serial_at_start = new_serial()
            with contextlib.ExitStack() as stack:
                if first:
                    stack.enter_context(self._snt_creation_strategy())
                    stack.enter_context(enclosing_caching_device(state.template.variable_scope))
                stack.enter_context(self._snt_attribution(frame))
                stack.enter_context(without_template_trace())
                outputs, name_scope = state.template(*args, **kwargs)
            if first:
                state.built = True
                self._snt_after_first_build(serial_at_start)
        return outputs, name_scope

    def _snt_after_first_build(self, serial_at_start: int) -> None:
        state = self._snt_state
        if state.getter.clean:
            # The module getter only records regularizers of new variables; with
            # no user getter in play, later connections need no getter at all
            # (a custom getter costs every get_variable call ~30 us eagerly).
            state.template.variable_scope.set_custom_getter(None)
            if state.eager_scopes is not None:
                # The per-thread scope contexts copied the getter: make new ones.
                state.eager_scopes = EagerTemplateScopes()
        if _modes.in_v1_graph():
            state.lookups, state.short_names = {}, {}
        else:
            state.replay = replay_for(self, state, serial_at_start)

    def _snt_attribution(self, frame: _connection.Frame) -> Any:
        """The variable creator attributing new variables to modules, unless one is active."""
        if frame.attributing:
            return contextlib.nullcontext()
        frame.attributing = True
        return tf.variable_creator_scope(_connection.attribute_new_variable)

    def _snt_creation_strategy(self) -> Any:
        """The scope of the tf.distribute strategy the module was constructed in.

        Variables are created by the first connection, which may happen outside
        ``strategy.scope()``; re-entering the construction-time strategy makes
        them distributed variables as users expect.
        """
        strategy = self._snt_state.strategy
        if strategy is None or tf.distribute.has_strategy():
            return contextlib.nullcontext()
        return strategy.scope()

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
        v1_graph = not eager and _modes.in_v1_graph()
        if not v1_graph and not _connection.has_observers():
            # Eagerly nobody may ask: build the record only on demand.
            state.pending_call = (name_scope, fn, args, kwargs, outputs)
            return
        subgraph = self._snt_subgraph(name_scope, fn, args, kwargs, outputs)
        if v1_graph:
            state.subgraphs.append(subgraph)
        state.last_subgraph = subgraph
        state.pending_call = None
        _connection.notify_observers(subgraph)

    def _build_wrapper(self, *args: Any, **kwargs: Any) -> tuple[Any, str]:
        name_scope = tf.get_current_name_scope()
        return self._build(*args, **kwargs), name_scope

    def _regularizer_recording_getter(self, getter: Callable[..., Any], *args, **kwargs) -> Any:
        """Outside v1 graphs, keeps regularizers to evaluate on demand (no collections).

        It also notes each variable this module's first connection looks up
        (a replay serves them later, see ``_replay``).
        """
        regularizer = kwargs.get("regularizer")
        if regularizer is None or _modes.in_v1_graph():
            variable = getter(*args, **kwargs)
        else:
            kwargs["regularizer"] = None
            variable = getter(*args, **kwargs)
            self._snt_state.add_regularizer(variable, regularizer)
        frame = _connection.current()
        if frame is not None and frame.module is self and not frame.strict:
            if isinstance(variable, tf.Variable):
                name = kwargs["name"] if "name" in kwargs else args[0]
                self._snt_state.lookups.setdefault(name, variable)
        return variable

    def _snt_adopt_variable(self, variable: Any, frame: _connection.Frame) -> None:
        if frame.strict:
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

    def _check_same_graph(self) -> None:
        if not _modes.in_v1_graph():
            return
        state = self._snt_state
        graph = tf.compat.v1.get_default_graph()
        if state.graph is None:
            state.graph = graph
        elif state.graph is not graph:
            raise DifferentGraphError(
                f"{self.scope_name}: this module was first connected into a different "
                "tf.Graph. A module (and its variables) belongs to one graph: construct a "
                "new module inside each graph."
            )

    def _ensure_is_connected(self) -> None:
        if not self._snt_state.connected:
            raise NotConnectedError(
                f"{self.scope_name}: module not connected yet; call it on inputs first "
                "(its variables are created by the first connection)."
            )

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails.
        if name.startswith("_snt_") and "_snt_state" not in self.__dict__:
            raise NotInitializedError(
                f"{type(self).__name__} is not initialized: its __init__ must call "
                "super().__init__(name=...) before the module is used."
            )
        # A property that raised AttributeError lands here too: re-run it so its
        # own message (e.g. "no bias: use_bias=False") reaches the caller.
        getter = property_getter(type(self), name)
        if getter is not None:
            return getter(self)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _name_inside_scope(self, variable_name: str) -> str:
        prefix = self._snt_state.template.variable_scope.name + "/"
        return variable_name[len(prefix) :] if variable_name.startswith(prefix) else variable_name

    # -- tf.function ---------------------------------------------------------

    def defun(self) -> None:
        """Wraps this module's ``__call__`` in ``tf.function`` (Sonnet 1's ``defun``)."""
        state = self._snt_state
        if state.defun_call is None:
            state.defun_call = tf.function(lambda *args, **kwargs: self._snt_connect(args, kwargs))

    @property
    def defun_wrapped(self) -> bool:
        """Whether :meth:`defun` has been called."""
        return self._snt_state.defun_call is not None

    # -- names and scopes ----------------------------------------------------

    @property
    def module_name(self) -> str:
        """The uniquified module name (``linear``, ``linear_1``, ...)."""
        return self._snt_state.unique_name

    @property
    def scope_name(self) -> str:
        """The full name of the module's variable scope (``parent/linear``)."""
        return self._snt_state.template.variable_scope.name

    @property
    def variable_scope(self) -> tf.compat.v1.VariableScope:
        """The module's variable scope. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._snt_state.template.variable_scope

    @property
    def name_scopes(self) -> tuple[str, ...]:
        """The name scope of each graph-mode connection, in order."""
        return tuple(s.name_scope for s in self._snt_state.subgraphs)

    @property
    def name_scope(self) -> tf.name_scope:
        """A name scope for ops that belong with this module (``tf.Module`` API)."""
        return tf.name_scope(self._snt_state.template.variable_scope.original_name_scope or None)

    @property
    def graph(self) -> tf.Graph | None:
        """The graph the module is connected into; None eagerly or before connection."""
        return self._snt_state.graph

    @property
    def is_connected(self) -> bool:
        """Whether the module has been connected at least once."""
        return self._snt_state.connected

    @property
    def connected_subgraphs(self) -> tuple[_connection.ConnectedSubGraph, ...]:
        """Every graph-mode connection of the module (eagerly: the last one only).

        Eager calls are not accumulated, so calling a module many times keeps
        no per-call state.
        """
        state = self._snt_state
        if state.subgraphs:
            return tuple(state.subgraphs)
        return (self.last_connected_subgraph,) if state.connected else ()

    @property
    def last_connected_subgraph(self) -> _connection.ConnectedSubGraph:
        """The most recent connection. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        state = self._snt_state
        if state.pending_call is not None:  # an eager call, recorded lazily
            state.last_subgraph = self._snt_subgraph(*state.pending_call)
            state.pending_call = None
        return state.last_subgraph

    # -- variables -----------------------------------------------------------

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
        """Variables of this module and of the modules it connected, sorted by name."""
        return tuple(sorted(self._snt_tracked_variables(), key=lambda v: v.name))

    @property
    def trainable_variables(self) -> tuple[tf.Variable, ...]:
        """The trainable subset of :attr:`variables`."""
        return tuple(v for v in self.variables if v.trainable)

    @property
    def non_trainable_variables(self) -> tuple[tf.Variable, ...]:
        """The non-trainable subset of :attr:`variables`."""
        return tuple(v for v in self.variables if not v.trainable)

    def get_variables(self, collection: str = _TRAINABLE) -> tuple[tf.Variable, ...]:
        """Variables inside this module's variable scope, sorted by name.

        In graph mode they are read from the graph ``collection``. Eagerly and
        for modules used inside ``tf.function`` (no collections there),
        ``TRAINABLE_VARIABLES`` selects the trainable variables the module and
        its submodules created, ``GLOBAL_VARIABLES`` all of them; other
        collections are empty.

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
            if collection == _TRAINABLE:
                found = [v for v in found if v.trainable]
            elif collection != _GLOBAL:
                found = []
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

    # -- serialization -------------------------------------------------------

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise NotSupportedError(
            f"{self.module_name} ({type(self).__name__}) cannot be pickled or copied: "
            "Sonnet modules hold variables and graph state. Save the configuration "
            "(constructor arguments) to rebuild the module, and its variables with "
            "tf.train.Checkpoint or tf.compat.v1.train.Saver."
        )
