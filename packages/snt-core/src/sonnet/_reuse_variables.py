"""``@snt.reuse_variables``: share one variable scope across several methods."""

from __future__ import annotations

import contextlib
import functools
import inspect
import weakref
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import tensorflow as tf

from sonnet import _modes, _tf_internals
from sonnet._abstract_module import AbstractModule
from sonnet._naming import to_snake_case

F = TypeVar("F", bound=Callable[..., Any])


class _ObjectState:
    """Per-object variables of decorated methods outside v1 graphs."""

    def __init__(self) -> None:
        # Full variable name -> (variable, owning method).
        self.variables: dict[str, tuple[Any, str]] = {}


_STATES: weakref.WeakKeyDictionary[Any, _ObjectState] = weakref.WeakKeyDictionary()
_STATE_ATTR = "_snt_reuse_variables_state"


def _state_for(obj: Any) -> _ObjectState:
    try:
        state = _STATES.get(obj)
        if state is None:
            state = _STATES[obj] = _ObjectState()
        return state
    except TypeError:  # not weak-referenceable or unhashable: keep it on the object
        state = obj.__dict__.get(_STATE_ATTR)
        if state is None:
            state = _ObjectState()
            object.__setattr__(obj, _STATE_ATTR, state)
        return state


def _scope_of(obj: Any, method_name: str) -> tf.compat.v1.VariableScope:
    if isinstance(obj, AbstractModule):
        return obj._snt_state.template.variable_scope
    scope = getattr(obj, "variable_scope", None)
    if not isinstance(scope, tf.compat.v1.VariableScope):
        raise ValueError(
            f"@snt.reuse_variables on {type(obj).__name__}.{method_name} needs the object to "
            "be a snt.AbstractModule or to have a `variable_scope` attribute holding a "
            f"tf.compat.v1.VariableScope; got {type(scope).__name__}."
        )
    return scope


@contextlib.contextmanager
def _shared_outside_v1_graph(
    scope: tf.compat.v1.VariableScope,
    state: _ObjectState,
    method_name: str,
    module: AbstractModule | None,
) -> Iterator[None]:
    """Eagerly and in tf.function, sharing comes from this object's own records.

    A variable creator hands back the variable made on an earlier call (so
    custom getters above it still run every time), and a custom getter checks
    that each variable belongs to a single decorated method, as graph mode's
    reuse flags do.
    """

    def owner_check(getter: Callable[..., Any], name: str, *args: Any, **kwargs: Any) -> Any:
        known = state.variables.get(name)
        if known is not None and known[1] != method_name:
            raise ValueError(
                f"Variable {name} already exists: it was created by @snt.reuse_variables "
                f"method {known[1]}(), and {method_name}() may not create it too. Each "
                "decorated method must own the variables it creates."
            )
        if module is not None:  # eager regularizers, as in the module's own getter
            return module._regularizer_recording_getter(getter, name, *args, **kwargs)
        return getter(name, *args, **kwargs)

    def reuse_creator(next_creator: Callable[..., Any], **kwargs: Any) -> Any:
        name = kwargs.get("name")
        known = state.variables.get(name) if name else None
        if known is not None:
            return known[0]
        variable = next_creator(**kwargs)
        if name:
            state.variables[name] = (variable, method_name)
        return variable

    with (
        tf.compat.v1.variable_scope(
            scope, reuse=tf.compat.v1.AUTO_REUSE, custom_getter=owner_check
        ),
        tf.variable_creator_scope(reuse_creator),
    ):
        try:
            yield
        finally:
            if not tf.executing_eagerly():
                _tf_internals.forget_default_store_variables(state.variables)


def _in_v1_graph_scope(
    scope: tf.compat.v1.VariableScope,
    initialized: weakref.WeakKeyDictionary[tf.Graph, set[str]],
) -> Any:
    """The variable scope with reuse set as Sonnet 1 did: per graph and scope name.

    The first call of a decorated method in a graph for a scope name creates
    the variables; every later one, by any object sharing that scope name,
    reuses them. The current name scope is kept (no ``scope_1`` name scopes).
    """
    graph = tf.compat.v1.get_default_graph()
    names = initialized.setdefault(graph, set())
    reuse = True if scope.name in names else None
    names.add(scope.name)
    return tf.compat.v1.variable_scope(scope, reuse=reuse, auxiliary_name_scope=False)


def reuse_variables(method: F) -> F:
    """Makes a method share variables across calls, like a module's ``_build``.

    Works on methods of a :class:`snt.AbstractModule` and, in graph mode, of
    any object with a ``variable_scope`` attribute. In a graph, the first call
    of the method for a variable scope (name) creates its variables and later
    calls reuse them, whichever object they come from; its ops go in a name
    scope ``<scope>/<method name>`` inside the current one. Eagerly and in
    ``tf.function`` (modules only), each object keeps the variables its
    decorated methods created. Variables must be created with
    ``tf.compat.v1.get_variable``, and each variable must be created by only
    one decorated method.

    Example:
      >>> class AutoEncoder(snt.AbstractModule):
      ...   @snt.reuse_variables
      ...   def encode(self, x):
      ...     w = tf.compat.v1.get_variable("w_enc", [x.shape[-1], 2])
      ...     return tf.matmul(x, w)
      ...   def _build(self, x):
      ...     return self.encode(x)

    Raises:
      TypeError: (when decorating) ``method`` is not a method (its first
        parameter is not ``self``).
      ValueError: (on call) a decorated method tries to create a variable that
        another decorated method of the same object created, the object has
        no variable scope, or an object that is not a Sonnet module is used
        eagerly ("not supported in eager mode except in Sonnet modules").
    """
    parameters = list(inspect.signature(method).parameters)
    if not parameters or parameters[0] != "self":
        raise TypeError(
            f"reuse_variables can only be used with methods: {method.__qualname__} has no "
            "first parameter named self."
        )
    method_name = method.__name__
    name_scope_name = to_snake_case(method_name) if method_name.isidentifier() else method_name
    # Per decorated method, as in Sonnet 1: graph -> variable scope names already built.
    initialized: weakref.WeakKeyDictionary[tf.Graph, set[str]] = weakref.WeakKeyDictionary()

    def run(obj: Any, module: AbstractModule | None, args: tuple, kwargs: dict) -> tuple:
        scope = _scope_of(obj, method_name)
        if _modes.in_v1_graph():
            scope_context = _in_v1_graph_scope(scope, initialized)
        else:
            state = _state_for(obj)
            scope_context = _shared_outside_v1_graph(scope, state, method_name, module)
        with scope_context, tf.name_scope(f"{scope.name}/{name_scope_name}") as name_scope:
            return method(obj, *args, **kwargs), name_scope

    @functools.wraps(method)
    def wrapper(obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(obj, AbstractModule):
            with tf.init_scope():
                eager_outside = tf.executing_eagerly()
            if eager_outside:
                raise ValueError(
                    f"{type(obj).__name__}.{method_name}: reuse_variables is not supported in "
                    "eager mode except in Sonnet modules (objects deriving from "
                    "snt.AbstractModule, which keep their own variables); got "
                    f"{type(obj).__name__}."
                )
            return run(obj, None, args, kwargs)[0]

        def body(frame: Any, args: tuple, kwargs: dict) -> tuple:
            obj._check_same_graph()
            with obj._snt_attribution(frame):
                return run(obj, obj, args, kwargs)

        # A connection of the module like any other (the one connection path).
        return obj._snt_connect(args, kwargs, body=body, fn=functools.partial(method, obj))

    # Called unconverted by AutoGraph, as modules are (see _tf_internals).
    return _tf_internals.keep_out_of_autograph(wrapper)  # type: ignore[no-any-return]
