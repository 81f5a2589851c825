"""The eager fast path: reconnect a module without re-entering its template.

Eagerly, a connection through ``tf.compat.v1.make_template`` re-enters the
variable scope and looks every variable up with ``get_variable`` on every
call, which costs more than the matmul of a 256-wide layer. Once a module has
been connected, its variables exist; if they all came from
:func:`sonnet.get_variable` (which keeps them in the module's cache) the
module can run ``_build`` directly and receive the cached variables.

A module takes the fast path on an eager call when, at its first connection,

* no custom getter applied to it (its own, or one set on a scope it was
  created in),
* every variable it created was looked up by that connection through
  ``snt.get_variable`` or ``tf.compat.v1.get_variable`` (not made with
  ``tf.Variable``), and
* every submodule it connected already existed before that connection
  (submodules built inside ``_build`` are new objects on each call and need
  the template's variable store),

and, at the call, no ``snt.observe_connections`` observer is active. (A custom
getter of the caller's variable scope does not apply to a module built
outside it on either path: the template re-enters the module's own scope.)
``snt.get_variable`` answers from the module's cache; a module calling
``tf.compat.v1.get_variable`` runs under a scope answering from the first
connection's lookups (see ``_cached_scope``). Graph mode and ``tf.function``
tracing always take the full path.
"""

from __future__ import annotations

import itertools
from typing import Any

import tensorflow as tf

from sonnet import _connection
from sonnet.errors import NotSupportedError

_AMBIGUOUS = object()
_serials = itertools.count()
_last_serial = [0]


def take_serial() -> int:
    """A number increasing with each module constructed (to spot new submodules)."""
    serial = next(_serials)
    _last_serial[0] = serial + 1
    return serial


def next_serial() -> int:
    return _last_serial[0]


def getter_is_clean(custom_getter: Any) -> bool:
    """True for no custom getter, or a module's own getter without user getters."""
    return custom_getter is None or getattr(custom_getter, "clean", False) is True


def applies() -> bool:
    # The variable scope current at call time needs no check: a template
    # re-enters the scope captured when the module was built, so a custom
    # getter of the caller's scope does not apply on the full path either.
    return tf.executing_eagerly() and not _connection.has_observers()


def eligible(module: Any, serial_at_start: int) -> bool:
    """Whether ``module``'s later eager calls may take the fast path."""
    if not module._snt_getter.clean:
        return False
    if any(v is _AMBIGUOUS for v in module._snt_variable_cache.values()):
        return False
    # Variables looked up by tf.compat.v1.get_variable are served by the
    # module's CachedVariableScope (see _cached_scope) on fast-path calls.
    served = {id(v) for v in module._snt_variable_cache.values()}
    served.update(id(v) for v in module._snt_v1_lookups.values())
    if any(id(v) not in served for v in module._snt_records.variables):
        return False
    return all(child._snt_serial < serial_at_start for child in module._snt_children)


def get_cached_variable(name: str) -> Any | None:
    """On an eager fast-path call, the module's variable ``name``; else None.

    For module authors who want to skip computing ``get_variable``'s arguments
    (shapes, default initializers) on the fast path::

        w = snt.get_cached_variable("w")
        if w is None:
            w = snt.get_variable("w", shape, initializer=make_initializer())
    """
    entry = _connection.current_entry()
    if entry is None or not entry[2]:
        return None
    return entry[0]._snt_variable_cache.get(name)


def get_variable(name: str, *args: Any, **kwargs: Any) -> Any:
    """``tf.compat.v1.get_variable`` for module authors, with the eager fast path.

    Inside a module's ``_build`` this behaves exactly like
    ``tf.compat.v1.get_variable`` (same arguments, scopes, sharing, custom
    getters, regularizers). In addition, eagerly, the module remembers the
    variable, so its later eager calls can skip the variable-scope machinery
    (see :mod:`sonnet._fast_path`). First-party modules use it; user modules
    may, and keep working with ``tf.compat.v1.get_variable`` either way.

    Raises:
      NotSupportedError: on a fast-path call, ``name`` was not created by the
        module's first connection.
    """
    entry = _connection.current_entry()
    if entry is not None and entry[2]:
        module = entry[0]
        try:
            return module._snt_variable_cache[name]
        except KeyError:
            raise NotSupportedError(
                f"{module.scope_name}: variable {name!r} was not created by the module's "
                "first connection; a module must create all its variables the first time "
                "it is connected."
            ) from None
    variable = tf.compat.v1.get_variable(name, *args, **kwargs)
    if entry is not None and tf.executing_eagerly() and isinstance(variable, tf.Variable):
        cache = entry[0]._snt_variable_cache
        known = cache.setdefault(name, variable)
        if known is not variable:
            # The same short name in two sub-scopes of one module: the cache
            # cannot tell them apart, so this module keeps the full path.
            cache[name] = _AMBIGUOUS
    return variable
