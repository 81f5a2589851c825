"""``@snt.reuse_variables``: share one variable scope across several methods."""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import tensorflow as tf

from sonnet import _modes, _tf_internals
from sonnet._abstract_module import AbstractModule

F = TypeVar("F", bound=Callable[..., Any])


class _ObjectState:
    """Per-object state: which methods ran in which graph, and the eager variables."""

    def __init__(self) -> None:
        # v1 graph -> names of the decorated methods already called in it.
        self.initialized: weakref.WeakKeyDictionary[tf.Graph, set[str]] = (
            weakref.WeakKeyDictionary()
        )
        # Outside v1 graphs: full variable name -> (variable, owning method).
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


def reuse_variables(method: F) -> F:
    """Makes a method share variables across calls, like a module's ``_build``.

    Works on methods of a :class:`snt.AbstractModule` and of any object with a
    ``variable_scope`` attribute. All decorated methods of one object use that
    single variable scope; each has its own reuse flag, so they may be called
    in any order and nested. Variables must be created with
    ``tf.compat.v1.get_variable``, and each variable must be created by only one
    decorated method.

    Example:
      >>> class AutoEncoder(snt.AbstractModule):
      ...   @snt.reuse_variables
      ...   def encode(self, x):
      ...     w = tf.compat.v1.get_variable("w_enc", [x.shape[-1], 2])
      ...     return tf.matmul(x, w)
      ...   def _build(self, x):
      ...     return self.encode(x)

    Raises:
      ValueError: (on call) a decorated method tries to create a variable that
        another decorated method of the same object created, or the object has
        no variable scope.
    """
    method_name = method.__name__

    def run(obj: Any, module: AbstractModule | None, args: tuple, kwargs: dict) -> tuple:
        scope = _scope_of(obj, method_name)
        state = _state_for(obj)
        with contextlib.ExitStack() as stack:
            if _modes.in_v1_graph():
                graph = tf.compat.v1.get_default_graph()
                initialized = state.initialized.setdefault(graph, set())
                reuse = True if method_name in initialized else None
                stack.enter_context(tf.compat.v1.variable_scope(scope, reuse=reuse))
            else:
                initialized = None
                stack.enter_context(_shared_outside_v1_graph(scope, state, method_name, module))
            with tf.name_scope(method_name) as name_scope:
                outputs = method(obj, *args, **kwargs)
            if initialized is not None:
                initialized.add(method_name)
        return outputs, name_scope

    @functools.wraps(method)
    def wrapper(obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(obj, AbstractModule):
            return run(obj, None, args, kwargs)[0]

        def body(frame: Any, args: tuple, kwargs: dict) -> tuple:
            obj._check_same_graph()
            with obj._snt_attribution(frame):
                return run(obj, obj, args, kwargs)

        # A connection of the module like any other (the one connection path).
        return obj._snt_connect(args, kwargs, body=body, fn=functools.partial(method, obj))

    return wrapper  # type: ignore[return-value]
