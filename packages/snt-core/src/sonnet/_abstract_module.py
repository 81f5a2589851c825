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
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

import tensorflow as tf

from sonnet import _connection, _modes, _tf_internals
from sonnet._checks import custom_getter_router
from sonnet._input_policy import call_mismatch
from sonnet._input_policy import spec_for as input_spec_for
from sonnet._module_info import record_module
from sonnet._module_records import ModuleRecords
from sonnet._module_state import ModuleState, new_serial
from sonnet._module_variables import ModuleVariables
from sonnet._naming import to_snake_case
from sonnet._replay import VariableReplay, replay_for
from sonnet._template_support import (
    EagerTemplateScopes,
    enclosing_caching_device,
    install_eager_scope,
    make_module_getter,
    property_getter,
    tf_module_name,
    without_template_trace,
)
from sonnet.errors import (
    DifferentGraphError,
    NotConnectedError,
    NotInitializedError,
    NotSupportedError,
)

_TRAINABLE = tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES
_GLOBAL = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES

#: ``body(frame, args, kwargs) -> (outputs, name_scope)``: what a connection runs.
Body = Callable[[_connection.Frame, tuple, dict], tuple[Any, str]]


class AbstractModule(ModuleVariables, ModuleRecords, tf.Module, metaclass=abc.ABCMeta):
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

    #: The ``_build`` parameters that take tensors and their kind (``"tensor"``,
    #: ``"float"``, ``"int"``, ``"nest"``), e.g. ``{"inputs": "float"}``: the
    #: connection path converts NumPy arrays and lists of numbers there and
    #: refuses anything else with a named error, the same in every mode (see
    #: ``sonnet._input_policy`` and docs/errors.md). Empty: arguments pass as given.
    CONNECTION_INPUTS: ClassVar[Mapping[str, str]] = {}

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
                f"{name}: Given custom_getter is not callable: expected a callable or a dict "
                f"of callables, got {type(custom_getter).__name__}."
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
        state.input_spec = input_spec_for(type(self))
        object.__setattr__(self, "_name", tf_module_name(unique_name))
        object.__setattr__(self, "_snt_state", state)
        # tf.Module's attribute walk (a plain tf.Module holding this module)
        # finds this module's variables and children here.
        object.__setattr__(self, "_snt_walk", (state.variables, state.children))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Gives each subclass a ``__call__`` with its ``_build``'s signature and docstring.

        ``inspect.signature(module.__call__)`` and ``help(module)`` then show what
        the module takes, as in Sonnet 1. Classes defining ``__call__`` keep theirs.
        """
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("_build")
        if build is None or "__call__" in cls.__dict__ or not callable(build):
            return

        def __call__(self: AbstractModule, *args: Any, **kwargs: Any) -> Any:
            defun_call = self._snt_state.defun_call
            if defun_call is not None:
                return defun_call(*args, **kwargs)
            return self._snt_connect(args, kwargs)

        try:
            __call__.__signature__ = inspect.signature(build)  # type: ignore[attr-defined]
        except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
            pass
        __call__.__doc__ = build.__doc__
        __call__.__qualname__ = f"{cls.__qualname__}.__call__"
        cls.__call__ = __call__  # type: ignore[method-assign]

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
        Variables created inside it belong to the module (``module.variables``),
        also when the block is entered in ``__init__``. Inside a replayed
        ``_build`` the scope answers look-ups from the module's recorded variables.
        """
        if check_same_graph:
            self._check_same_graph()
        state = self._snt_state
        scope = state.template.variable_scope
        frame = _connection.current()
        if frame is not None and frame.module is self:  # inside the module's connection
            if frame.replay is not None:
                scope = frame.replay.scope or scope
            with tf.compat.v1.variable_scope(scope, reuse=reuse) as vs:
                yield vs
            return
        # Outside its connections (e.g. in __init__): variables made here belong to
        # the module, in its template's store, as those its connections make.
        frame = _connection.enter(self, None, strict=False)
        try:
            with (
                self._snt_attribution(frame),
                _tf_internals.template_variable_store(state.template),
                tf.compat.v1.variable_scope(scope, reuse=reuse) as vs,
            ):
                yield vs
        finally:
            _connection.leave(frame)

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
        eager = _tf_internals.executing_eagerly()
        if state.input_spec is not None and body is None:
            args, kwargs = state.input_spec.apply(self, args, kwargs, eager)  # the input policy
        replay = state.replay if body is None else None
        if replay is not None and not eager and not tf.inside_function():
            replay = None  # a tf.compat.v1 graph: TensorFlow's reuse is the truth there
        # _connection.enter, inline (this runs on every call of every module).
        stack = _connection.local.stack
        parent = stack[-1] if stack else None
        if parent is not None:
            adopter = parent.module
            if adopter is not self and id(self) not in adopter._snt_state.child_ids:
                adopter._snt_adopt_child(self)  # the parent adopts this module
        frame = _connection.Frame(self, parent, replay, body is None and state.built)
        stack.append(frame)
        try:
            if replay is None:
                if body is None:
                    outputs, name_scope = self._snt_run_template(frame, args, kwargs)
                else:
                    outputs, name_scope = body(frame, args, kwargs)
            elif eager and replay.scope is None:
                # The common eager case (every variable served by name): _build as is.
                outputs, name_scope = self._build(*args, **kwargs), ""
            else:
                outputs, name_scope = replay.run(self._build, args, kwargs, eager)
        except TypeError as error:
            named = call_mismatch(self, error, _BUILD_CALL_SITES)
            if named is not None:  # the arguments do not fit _build at all
                raise named from None
            raise
        finally:
            if stack.pop() is not frame:  # _connection.leave, inline
                raise AssertionError("connection frames must be popped in order")
        state.connected = True
        if not eager or _connection.local.observers:  # eager calls are recorded for observers only
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
            known = len(state.variables)
            with contextlib.ExitStack() as stack:
                if first:
                    stack.enter_context(self._snt_creation_strategy())
                    stack.enter_context(enclosing_caching_device(state.template.variable_scope))
                stack.enter_context(self._snt_attribution(frame))
                stack.enter_context(without_template_trace())
                outputs, name_scope = state.template(*args, **kwargs)
            if first:
                state.built = True
                self._snt_after_first_build(serial_at_start, state.variables[known:])
        return outputs, name_scope

    def _snt_after_first_build(self, serial_at_start: int, created: list[Any]) -> None:
        state = self._snt_state
        if state.getter.clean:
            # The module getter only records regularizers of new variables; with
            # no user getter in play, later connections need no getter at all
            # (a custom getter costs every get_variable call ~30 us eagerly).
            state.template.variable_scope.set_custom_getter(None)
            if state.eager_scopes is not None:
                # The per-thread scope contexts copied the getter: make new ones.
                state.eager_scopes = EagerTemplateScopes()
        self._snt_adopt_reused(state.lookups.values())
        if _modes.in_v1_graph():
            state.lookups, state.short_names = {}, {}
        else:
            state.replay = replay_for(self, state, serial_at_start, created)

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

    def _build_wrapper(self, *args: Any, **kwargs: Any) -> tuple[Any, str]:
        name_scope = tf.get_current_name_scope()
        return self._build(*args, **kwargs), name_scope

    def _regularizer_recording_getter(self, getter: Callable[..., Any], *args, **kwargs) -> Any:
        """Outside v1 graphs, also keeps regularizers to evaluate on demand.

        It also notes each variable this module's first connection looks up
        (a replay serves them later, see ``_replay``).
        """
        regularizer = kwargs.get("regularizer")
        if regularizer is None or _modes.in_v1_graph():
            variable = getter(*args, **kwargs)
        else:
            if not tf.executing_eagerly():
                # Inside tf.function the loss would go to the function graph's
                # collection, which nobody reads: evaluate it on demand only.
                kwargs["regularizer"] = None
            # Eagerly TensorFlow adds a lazily evaluated loss to the
            # REGULARIZATION_LOSSES collection, as Sonnet 1 programs expect.
            variable = getter(*args, **kwargs)
            self._snt_state.add_regularizer(variable, regularizer)
        frame = _connection.current()
        if frame is not None and frame.module is self and not frame.strict:
            if isinstance(variable, tf.Variable):
                name = kwargs["name"] if "name" in kwargs else args[0]
                self._snt_state.lookups.setdefault(name, variable)
        return variable

    def _check_same_graph(self) -> None:
        if not _modes.in_v1_graph():
            return
        state = self._snt_state
        graph = tf.compat.v1.get_default_graph()
        if state.graph is None:
            state.graph = graph
            record_module(self, graph, state.subgraphs)  # the "sonnet" collection
        elif state.graph is not graph:
            raise DifferentGraphError(
                f"{self.scope_name}: Cannot connect module to multiple Graphs: it was first "
                "connected into a different tf.Graph. A module (and its variables) belongs to "
                "one graph: construct a new module inside each graph."
            )

    def _ensure_is_connected(self) -> None:
        if not self._snt_state.connected:
            raise NotConnectedError(
                f"{self.scope_name}: module not connected yet. Variables in {self.scope_name} "
                "not instantiated yet, __call__ the module first (its variables are created "
                "by the first connection)."
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

    # -- serialization -------------------------------------------------------

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise NotSupportedError(
            f"{self.module_name} ({type(self).__name__}): Sonnet AbstractModule instances "
            "cannot be serialized (pickled or copied): "
            "Sonnet modules hold variables and graph state. Save the configuration "
            "(constructor arguments) to rebuild the module, and its variables with "
            "tf.train.Checkpoint or tf.compat.v1.train.Saver."
        )


# AutoGraph calls modules (and reuse_variables connections) unconverted, as it
# called Sonnet 1's templates: see _tf_internals.keep_out_of_autograph.
_tf_internals.keep_out_of_autograph(AbstractModule)
_tf_internals.keep_out_of_autograph(AbstractModule._snt_connect)

#: Where the connection path calls ``_build`` (a TypeError raised right there means
#: the arguments do not fit its signature).
_BUILD_CALL_SITES = (
    AbstractModule._build_wrapper.__code__,
    AbstractModule._snt_connect.__code__,
    VariableReplay._run.__code__,
)
