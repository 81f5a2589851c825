"""Helpers of AbstractModule around TensorFlow's templates, getters and names.

Kept apart from the class so that ``_abstract_module.py`` holds the module's
behaviour and this file the plumbing it needs from ``tf.compat.v1``.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import re
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import tensorflow as tf

from sonnet import _tf_internals

if TYPE_CHECKING:
    from sonnet._abstract_module import AbstractModule

_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


def tf_module_name(name: str) -> str:
    """``tf.Module`` accepts only identifiers; Sonnet scope names may be ``conv-1``."""
    cleaned = _NOT_IDENTIFIER.sub("_", name)
    return cleaned if cleaned and not cleaned[0].isdigit() else "_" + cleaned


def relative_name(variable: Any, scope_name: str) -> str:
    name = variable.name.split(":")[0]
    prefix = scope_name + "/"
    return name[len(prefix) :] if name.startswith(prefix) else name


@functools.lru_cache(maxsize=4096)
def property_getter(cls: type, name: str) -> Callable[[Any], Any] | None:
    """The getter of the property ``name`` of ``cls`` (None if it is not a property).

    ``AbstractModule.__getattr__`` asks this on every failed attribute lookup,
    and ``tf.Module`` probes missing ``_self_*`` attributes on every
    ``__setattr__``: a cached MRO walk keeps module construction cheap.
    """
    for klass in cls.__mro__:
        if name in klass.__dict__:
            descriptor = klass.__dict__[name]
            return descriptor.fget if isinstance(descriptor, property) else None
    return None


@functools.lru_cache(maxsize=1024)
def _method_signature(function: Callable[..., Any]) -> inspect.Signature:
    """The signature of ``function`` without its first (``self``) parameter."""
    parameters = list(inspect.signature(function).parameters.values())[1:]
    return inspect.Signature(parameters)


def signature(fn: Callable[..., Any]) -> inspect.Signature:
    """The signature of a callable; cached per class for bound methods."""
    if inspect.ismethod(fn):
        return _method_signature(fn.__func__)
    return inspect.signature(fn)


class EagerTemplateScopes(threading.local):
    """Per-thread scope contexts for an eager template.

    An eager template caches the context manager of its variable scope, made
    on its first call. That object belongs to the thread that made it (it
    holds that thread's variable-scope store), and if it was made while a
    ``tf.function`` was being traced it re-enters the function's graph on
    every later call. So each thread gets its own, made eagerly, and it is
    installed on the template before each call (calls are serialized by the
    module's lock).
    """

    context: Any = None


def install_eager_scope(template: Any, scopes: EagerTemplateScopes) -> None:
    context = scopes.context
    if context is None:
        with tf.init_scope():  # eagerly, even when first called in a tf.function
            context = scopes.context = tf.compat.v1.variable_scope(
                template.variable_scope, reuse=tf.compat.v1.AUTO_REUSE
            )
    _tf_internals.set_template_scope_context(template, context)


_TEMPLATE_TRACE = "\n\noriginally defined at:\n"


@contextlib.contextmanager
def without_template_trace() -> Iterator[None]:
    """Strips the construction stack a template appends to errors from ``_build``.

    ``make_template`` adds "originally defined at: <stack>" to the first
    argument of any exception raised inside it (once per nested module), which
    buries messages such as "linear: expected input size 3, got 4". The
    traceback itself already shows where the error came from.
    """
    try:
        yield
    except Exception as error:
        message = error.args[0] if error.args else None
        if isinstance(message, str) and _TEMPLATE_TRACE in message:
            error.args = (message.split(_TEMPLATE_TRACE, 1)[0], *error.args[1:])
        raise


# TensorFlow inspects a custom getter's signature on every get_variable call
# (to decide which arguments to pass). A function carrying a precomputed
# ``__signature__`` makes that inspection cheap.
_GETTER_SIGNATURE = inspect.Signature(
    [
        inspect.Parameter("getter", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
        inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD),
    ]
)


def getter_is_clean(custom_getter: Any) -> bool:
    """True for no custom getter, or a module's own getter without user getters."""
    return custom_getter is None or getattr(custom_getter, "clean", False) is True


def make_module_getter(
    module: AbstractModule,
    user_getter: Callable[..., Any] | None,
    enclosing: tf.compat.v1.VariableScope,
) -> Callable[..., Any]:
    """The custom getter of a module's variable scope.

    It runs the user's custom getter (if any) and records regularizers outside
    v1 graphs. Its ``clean`` attribute says whether no user custom getter
    applies to this module's variables, here or in the scopes it was created
    in: only then may its connections be replayed (see ``_replay``).
    """
    record = module._regularizer_recording_getter

    if user_getter is None:

        def module_getter(getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            return record(getter, *args, **kwargs)

    else:

        def module_getter(getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            return user_getter(functools.partial(record, getter), *args, **kwargs)

    module_getter.__signature__ = _GETTER_SIGNATURE  # type: ignore[attr-defined]
    module_getter.clean = user_getter is None and getter_is_clean(  # type: ignore[attr-defined]
        enclosing.custom_getter
    )
    return module_getter


@contextlib.contextmanager
def enclosing_caching_device(scope: tf.compat.v1.VariableScope) -> Iterator[None]:
    """Lends the enclosing variable scope's caching device to ``scope`` for a connection.

    ``tf.compat.v1.nn.dynamic_rnn`` (and ``static_rnn``, ``raw_rnn``) set a
    caching device on their scope so that variables created inside the loop
    are read once, outside it. A scope created inside the loop inherits it; a
    module's scope exists since construction, so without this its variables
    would be read on every step (a stateful ``While`` with extra reads).
    Only in ``tf.compat.v1`` graphs: caching devices mean nothing eagerly.
    """
    if tf.compat.v1.executing_eagerly_outside_functions() or scope.caching_device is not None:
        yield
        return
    caching_device = tf.compat.v1.get_variable_scope().caching_device
    if caching_device is None:
        yield
        return
    scope.set_caching_device(caching_device)
    try:
        yield
    finally:
        scope.set_caching_device(None)
