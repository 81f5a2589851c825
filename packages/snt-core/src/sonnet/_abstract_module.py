"""AbstractModule: configure in ``__init__``, connect with ``__call__``, share variables.

Each module owns a ``tf.compat.v1`` template (``make_template``) around its
``_build``: the template gives the module its uniquified variable scope, turns
on variable reuse from the second connection on, and (eagerly) keeps the
module's variable store. The same code path serves ``tf.compat.v1`` graph
mode, eager mode and ``tf.function``.
"""

from __future__ import annotations

import abc
import contextlib
import functools
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import tensorflow as tf

from sonnet import _cached_scope, _connection, _fast_path, _modes
from sonnet._checks import custom_getter_router
from sonnet._naming import to_snake_case
from sonnet._template_support import (
    EagerTemplateScopes,
    SubgraphLog,
    enclosing_caching_device,
    install_eager_scope,
    make_module_getter,
    property_getter,
    relative_name,
    signature,
    tf_module_name,
    without_template_trace,
)
from sonnet._variable_records import VariableRecords, creator_scope, unique_by_identity
from sonnet.errors import (
    DifferentGraphError,
    NotConnectedError,
    NotInitializedError,
    NotSupportedError,
    VariableCreatedOnReconnectionError,
)

_TRAINABLE = tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES
_GLOBAL = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES


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
        set_ = functools.partial(object.__setattr__, self)
        set_("_name", tf_module_name(unique_name))
        set_("_snt_template", template)
        set_("_snt_unique_name", unique_name)
        set_("_snt_custom_getter", custom_getter)
        set_("_snt_getter", module_getter)
        set_("_snt_graph", None)
        set_("_snt_is_connected", False)
        set_("_snt_build_connected", False)
        set_("_snt_subgraphs", SubgraphLog())
        set_("_snt_last_subgraph", None)
        records = VariableRecords()
        set_("_snt_records", records)
        # The same list, as a plain attribute: tf.Module's attribute walk (used
        # when a plain tf.Module holds this module) finds the variables there.
        set_("_snt_own_variables", records.variables)
        set_("_snt_children", [])
        set_("_snt_defun_call", None)
        set_("_snt_serial", _fast_path.take_serial())
        set_("_snt_variable_cache", {})
        set_("_snt_v1_lookups", {})  # full name -> variable, looked up by the first connection
        set_("_snt_cached_scope", None)
        set_("_snt_fast", False)
        set_("_snt_last_call", None)
        set_("_snt_connection_lock", threading.RLock())
        set_("_snt_eager_scopes", EagerTemplateScopes() if tf.executing_eagerly() else None)
        set_(
            "_snt_strategy", tf.distribute.get_strategy() if tf.distribute.has_strategy() else None
        )
        set_("_snt_initialized", True)

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
        """
        if check_same_graph:
            self._check_same_graph()
        scope = self._snt_template.variable_scope
        entry = _connection.current_entry()
        fast_call = entry is not None and entry[0] is self and entry[2]
        if fast_call and self._snt_cached_scope is not None:
            # An eager fast-path call: the template's variable store is not in
            # use, so lookups must be answered from the first connection's.
            scope = self._snt_cached_scope
        with tf.compat.v1.variable_scope(scope, reuse=reuse) as vs:
            yield vs

    # -- connection ----------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Connects the module: runs ``_build`` in the module's variable scope."""
        # The eager fast path first: it is the hot path of eager training loops.
        if self._snt_fast and self._snt_defun_call is None and _fast_path.applies():
            return self._snt_fast_call(args, kwargs)
        defun_call = self._snt_defun_call
        if defun_call is not None:
            return defun_call(*args, **kwargs)
        return self._snt_connect(*args, **kwargs)

    def _snt_connect(self, *args: Any, **kwargs: Any) -> Any:
        if self._snt_fast and _fast_path.applies():
            return self._snt_fast_call(args, kwargs)
        # One full connection at a time per module: the first one creates the
        # variables, and a template's scope context is a single object that
        # cannot be entered by two threads at once. Fast-path calls need no lock.
        with self._snt_connection_lock:
            if self._snt_fast and _fast_path.applies():  # another thread got it ready
                return self._snt_fast_call(args, kwargs)
            return self._snt_full_connect(args, kwargs)

    def _snt_full_connect(self, args: tuple, kwargs: dict) -> Any:
        self._check_same_graph()
        if self._snt_eager_scopes is not None:
            install_eager_scope(self._snt_template, self._snt_eager_scopes)
        # Only an earlier _build counts: a @reuse_variables method connected
        # first does not stop _build from creating its own variables.
        reconnecting = self._snt_build_connected
        serial_at_start = _fast_path.next_serial()
        with (
            self._snt_creation_strategy(reconnecting),  # outside the variable creator
            self._snt_connection(strict=reconnecting),
            without_template_trace(),
            contextlib.nullcontext()
            if reconnecting
            else enclosing_caching_device(self._snt_template.variable_scope),
        ):
            outputs, name_scope = self._snt_template(*args, **kwargs)
        object.__setattr__(self, "_snt_build_connected", True)
        if not reconnecting and self._snt_getter.clean:
            # The module getter only records regularizers of new variables; with
            # no user getter in play, later connections need no getter at all
            # (a custom getter costs every get_variable call ~30 us eagerly).
            self._snt_template.variable_scope.set_custom_getter(None)
            if self._snt_eager_scopes is not None:
                # The per-thread scope contexts copied the getter: make new ones.
                object.__setattr__(self, "_snt_eager_scopes", EagerTemplateScopes())
        self._snt_record_connection(name_scope, self._build, args, kwargs, outputs)
        if not reconnecting and tf.executing_eagerly():
            fast = _fast_path.eligible(self, serial_at_start)
            if fast:
                object.__setattr__(
                    self,
                    "_snt_cached_scope",
                    _cached_scope.scope_for(
                        self,
                        self._snt_template.variable_scope,
                        self._snt_v1_lookups,
                        self._snt_variable_cache,
                    ),
                )
            object.__setattr__(self, "_snt_v1_lookups", {})
            object.__setattr__(self, "_snt_fast", fast)
        return outputs

    def _snt_creation_strategy(self, reconnecting: bool) -> Any:
        """The scope of the tf.distribute strategy the module was constructed in.

        Variables are created by the first connection, which may happen outside
        ``strategy.scope()``; re-entering the construction-time strategy makes
        them distributed variables as users expect.
        """
        strategy = self._snt_strategy
        if reconnecting or strategy is None or tf.distribute.has_strategy():
            return contextlib.nullcontext()
        return strategy.scope()

    def _snt_fast_call(self, args: tuple, kwargs: dict) -> Any:
        """Eager reconnection without re-entering the template (see fast_path)."""
        scope = self._snt_cached_scope  # set if _build calls tf.compat.v1.get_variable
        if scope is None:
            return self._snt_run_build_fast(args, kwargs)
        with tf.variable_creator_scope(scope.refuse_creation):
            token = _cached_scope.enter(scope)
            try:
                return self._snt_run_build_fast(args, kwargs)
            finally:
                _cached_scope.leave(token)

    def _snt_run_build_fast(self, args: tuple, kwargs: dict) -> Any:
        stack = _connection.thread_stack()
        stack.append((self, True, True))  # see _connection: (module, strict, fast)
        try:
            outputs = self._build(*args, **kwargs)
        finally:
            stack.pop()
        self.__dict__["_snt_last_call"] = ("", self._build, args, kwargs, outputs)
        return outputs

    @contextlib.contextmanager
    def _snt_connection(self, strict: bool) -> Iterator[None]:
        """The bookkeeping around any connection (``_build`` or reuse_variables)."""
        with _connection.connecting(self, strict=strict) as (parent, parent_is_fast):
            if parent is not None:
                # Adopt before _build runs: a checkpoint restore pending on the
                # parent then reaches this module's variables as they are made.
                parent._snt_adopt_child(self)
            if parent is None or parent_is_fast:
                with creator_scope():
                    yield
            else:
                yield

    def _snt_subgraph(
        self, name_scope: str, fn: Callable[..., Any], args: tuple, kwargs: dict, outputs: Any
    ) -> _connection.ConnectedSubGraph:
        try:
            inputs = dict(signature(fn).bind(*args, **kwargs).arguments)
        except (TypeError, ValueError):
            inputs = {"args": args, "kwargs": kwargs}
        return _connection.ConnectedSubGraph(self, name_scope, inputs, outputs)

    def _snt_record_connection(
        self, name_scope: str, fn: Callable[..., Any], args: tuple, kwargs: dict, outputs: Any
    ) -> None:
        object.__setattr__(self, "_snt_is_connected", True)
        if not _modes.in_v1_graph() and not _connection.has_observers():
            # Eagerly nobody may ask: build the record only on demand.
            object.__setattr__(self, "_snt_last_call", (name_scope, fn, args, kwargs, outputs))
            return
        subgraph = self._snt_subgraph(name_scope, fn, args, kwargs, outputs)
        if _modes.in_v1_graph():
            self._snt_subgraphs.items.append(subgraph)
        object.__setattr__(self, "_snt_last_subgraph", subgraph)
        object.__setattr__(self, "_snt_last_call", None)
        _connection.notify_observers(subgraph)

    def _build_wrapper(self, *args: Any, **kwargs: Any) -> tuple[Any, str]:
        name_scope = tf.get_current_name_scope()
        return self._build(*args, **kwargs), name_scope

    def _regularizer_recording_getter(self, getter: Callable[..., Any], *args, **kwargs) -> Any:
        """Outside v1 graphs, keeps regularizers to evaluate on demand (no collections).

        Eagerly, it also notes each variable this module's own connection looks
        up (the eager fast path serves them later, see ``_cached_scope``).
        """
        regularizer = kwargs.get("regularizer")
        if regularizer is None or _modes.in_v1_graph():
            variable = getter(*args, **kwargs)
        else:
            kwargs["regularizer"] = None
            variable = getter(*args, **kwargs)
            self._snt_records.add_regularizer(variable, regularizer)
        if tf.executing_eagerly() and _connection.current_module() is self:
            name = kwargs["name"] if "name" in kwargs else args[0]
            _cached_scope.note_lookup(self._snt_v1_lookups, name, variable)
        return variable

    def _snt_adopt_variable(self, variable: Any) -> None:
        if _connection.current_is_strict():
            raise VariableCreatedOnReconnectionError(
                f"{self.scope_name}: variable {variable.name!r} was created on a connection "
                "after the first one. Create variables with tf.compat.v1.get_variable (which "
                "shares them across connections), not tf.Variable, inside _build."
            )
        if self._snt_records.add(variable):
            self._track_trackable(
                variable, name=relative_name(variable, self.scope_name), overwrite=True
            )

    def _snt_adopt_child(self, child: AbstractModule) -> None:
        # A submodule built inside _build is a new object on every call but
        # names the same scope and variables: keep the first one only, so
        # repeated calls keep no per-call state.
        if child is self or any(
            c is child or c.scope_name == child.scope_name for c in self._snt_children
        ):
            return
        self._snt_children.append(child)
        prefix = self.scope_name + "/"
        key = child.scope_name
        key = key[len(prefix) :] if key.startswith(prefix) else key
        self._track_trackable(child, name=f"snt_child/{key}", overwrite=True)

    def _check_same_graph(self) -> None:
        if tf.executing_eagerly() or not _modes.in_v1_graph():
            return
        graph = tf.compat.v1.get_default_graph()
        if self._snt_graph is None:
            object.__setattr__(self, "_snt_graph", graph)
        elif self._snt_graph is not graph:
            raise DifferentGraphError(
                f"{self.scope_name}: this module was first connected into a different "
                "tf.Graph. A module (and its variables) belongs to one graph: construct a "
                "new module inside each graph."
            )

    def _ensure_is_connected(self) -> None:
        if not self._snt_is_connected:
            raise NotConnectedError(
                f"{self.scope_name}: module not connected yet; call it on inputs first "
                "(its variables are created by the first connection)."
            )

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails.
        if name.startswith("_snt_") and "_snt_initialized" not in self.__dict__:
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
        prefix = self._snt_template.variable_scope.name + "/"
        return variable_name[len(prefix) :] if variable_name.startswith(prefix) else variable_name

    # -- tf.function ---------------------------------------------------------

    def defun(self) -> None:
        """Wraps this module's ``__call__`` in ``tf.function`` (Sonnet 1's ``defun``)."""
        if self._snt_defun_call is None:
            object.__setattr__(self, "_snt_defun_call", tf.function(self._snt_connect))

    @property
    def defun_wrapped(self) -> bool:
        """Whether :meth:`defun` has been called."""
        return self._snt_defun_call is not None

    # -- names and scopes ----------------------------------------------------

    @property
    def module_name(self) -> str:
        """The uniquified module name (``linear``, ``linear_1``, ...)."""
        return self._snt_unique_name

    @property
    def scope_name(self) -> str:
        """The full name of the module's variable scope (``parent/linear``)."""
        return self._snt_template.variable_scope.name

    @property
    def variable_scope(self) -> tf.compat.v1.VariableScope:
        """The module's variable scope. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._snt_template.variable_scope

    @property
    def name_scopes(self) -> tuple[str, ...]:
        """The name scope of each graph-mode connection, in order."""
        return tuple(s.name_scope for s in self._snt_subgraphs.items)

    @property
    def name_scope(self) -> tf.name_scope:
        """A name scope for ops that belong with this module (``tf.Module`` API)."""
        return tf.name_scope(self._snt_template.variable_scope.original_name_scope or None)

    @property
    def graph(self) -> tf.Graph | None:
        """The graph the module is connected into; None eagerly or before connection."""
        return self._snt_graph

    @property
    def is_connected(self) -> bool:
        """Whether the module has been connected at least once."""
        return self._snt_is_connected

    @property
    def connected_subgraphs(self) -> tuple[_connection.ConnectedSubGraph, ...]:
        """Every graph-mode connection of the module (eagerly: the last one only).

        Eager calls are not accumulated, so calling a module many times keeps
        no per-call state.
        """
        if self._snt_subgraphs.items:
            return tuple(self._snt_subgraphs.items)
        return (self.last_connected_subgraph,) if self._snt_is_connected else ()

    @property
    def last_connected_subgraph(self) -> _connection.ConnectedSubGraph:
        """The most recent connection. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        if self._snt_last_call is not None:  # an eager call, recorded lazily
            subgraph = self._snt_subgraph(*self._snt_last_call)
            object.__setattr__(self, "_snt_last_subgraph", subgraph)
            object.__setattr__(self, "_snt_last_call", None)
        return self._snt_last_subgraph

    # -- variables -----------------------------------------------------------

    def _snt_all_records(self) -> list[VariableRecords]:
        records, stack, seen = [], [self], set()
        while stack:
            module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            records.append(module._snt_records)
            stack.extend(module._snt_children)
        return records

    def _snt_tracked_variables(self) -> list[Any]:
        return unique_by_identity(v for r in self._snt_all_records() for v in r.variables)

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
        if self._snt_graph is not None:
            with self._snt_graph.as_default():
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
        for child in self._snt_children:
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
        if _modes.in_v1_graph() and self._snt_graph is not None:
            scopes = tuple(
                {m.scope_name + "/" for m in [self, *self._snt_descendants()] if m.is_connected}
            )
            losses = self._snt_graph.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
            return [t for t in losses if t.name.startswith(scopes)]
        pairs = [pair for records in self._snt_all_records() for pair in records.regularizers]
        losses = []
        for variable, regularizer in unique_by_identity(pairs, key=lambda pair: pair[0]):
            loss = regularizer(variable)
            if loss is not None:
                losses.append(loss)
        return losses

    def _snt_descendants(self) -> list[AbstractModule]:
        out: list[AbstractModule] = []
        stack = list(self._snt_children)
        while stack:
            module = stack.pop()
            if all(m is not module for m in out):
                out.append(module)
                stack.extend(module._snt_children)
        return out

    # -- serialization -------------------------------------------------------

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise NotSupportedError(
            f"{self.module_name} ({type(self).__name__}) cannot be pickled or copied: "
            "Sonnet modules hold variables and graph state. Save the configuration "
            "(constructor arguments) to rebuild the module, and its variables with "
            "tf.train.Checkpoint or tf.compat.v1.train.Saver."
        )
