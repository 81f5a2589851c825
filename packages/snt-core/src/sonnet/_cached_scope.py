"""The eager fast path for modules that call ``tf.compat.v1.get_variable`` themselves.

A Sonnet 1 module's ``_build`` looks its variables up with
``tf.compat.v1.get_variable``. Eagerly, each such call through the module's
template costs more than a small matmul (entering the scope, then the
variable store's checks). After the first connection the variables are known:
the module getter recorded every lookup made during it (:func:`note_lookup`).
On later eager calls the module runs ``_build`` with a
:class:`CachedVariableScope` as the current variable scope: its
``get_variable`` answers from those records, after the same shape and dtype
checks TensorFlow makes when sharing a variable.

Lookups in variable scopes opened inside ``_build`` go through the scope's
custom getter, which answers from the records too (slower, still correct). A
name the first connection never looked up raises ``NotSupportedError``: a
module creates all its variables on its first connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf
from tensorflow.python.ops import variable_scope as _tf_variable_scope

from sonnet import _connection
from sonnet.errors import NotSupportedError, VariableCreatedOnReconnectionError

__all__ = ["CachedVariableScope", "enter", "leave", "note_lookup", "scope_for"]


def note_lookup(lookups: dict[str, Any], name: str, variable: Any) -> None:
    """Records that the first connection looked ``variable`` up as ``name`` (a full name)."""
    if isinstance(variable, tf.Variable):
        lookups.setdefault(name, variable)


def _not_created(where: str, name: str) -> NotSupportedError:
    return NotSupportedError(
        f"{where}: variable {name!r} was not created by the module's first connection; a "
        "module must create all its variables the first time it is connected."
    )


def _checked(where: str, name: str, variable: Any, shape: Any, dtype: Any) -> Any:
    """``variable``, after TensorFlow's checks for sharing it with this shape and dtype."""
    if shape is not None and not variable.shape.is_compatible_with(shape):
        raise ValueError(
            f"{where}: trying to share variable {name}, but specified shape "
            f"{tf.TensorShape(shape)} and found shape {variable.shape}."
        )
    if dtype is not None and tf.as_dtype(dtype).base_dtype != variable.dtype.base_dtype:
        raise ValueError(
            f"{where}: trying to share variable {name}, but specified dtype "
            f"{tf.as_dtype(dtype).name} and found dtype {variable.dtype.base_dtype.name}."
        )
    return variable


class CachedVariableScope(tf.compat.v1.VariableScope):
    """A module's variable scope that answers ``get_variable`` from recorded variables."""

    def __init__(
        self, module: Any, scope: tf.compat.v1.VariableScope, variables: Mapping[str, Any]
    ) -> None:
        where = scope.name
        known = dict(variables)

        def recorded_getter(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:
            del getter  # never creates: lookups in sub-scopes are answered from the records
            if name not in known:
                raise _not_created(where, name)
            return _checked(where, name, known[name], kwargs.get("shape"), kwargs.get("dtype"))

        super().__init__(
            reuse=True,
            name=scope.name,
            initializer=scope.initializer,
            regularizer=scope.regularizer,
            custom_getter=recorded_getter,
            name_scope=scope.original_name_scope,
            dtype=scope.dtype,
            use_resource=scope.use_resource,
            constraint=scope.constraint,
        )
        prefix = scope.name + "/"
        self._snt_where = where
        self._snt_module = module
        self._snt_direct = {
            full[len(prefix) :]: v for full, v in known.items() if full.startswith(prefix)
        }

    def get_variable(  # type: ignore[override]
        self,
        var_store: Any,
        name: str,
        shape: Any = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> Any:
        variable = self._snt_direct.get(name)
        if variable is None:
            full = f"{self.name}/{name}"
            raise _not_created(self._snt_where, full)
        return _checked(self._snt_where, f"{self.name}/{name}", variable, shape, dtype)

    def refuse_creation(self, next_creator: Any, **kwargs: Any) -> Any:
        """A variable creator for fast-path calls: the module itself may create nothing.

        A variable made by the module's own ``_build`` on a fast-path call (a
        ``tf.Variable``, or a lookup in a scope that bypasses this one) would be
        a new, untracked variable each call. Submodules connecting for the
        first time inside the call create theirs as usual.
        """
        entry = _connection.current_entry()
        if entry is not None and entry[0] is self._snt_module and entry[2]:
            raise VariableCreatedOnReconnectionError(
                f"{self._snt_where}: variable {kwargs.get('name')!r} was created on a "
                "connection after the first one. Create variables with "
                "tf.compat.v1.get_variable in the module's scope, all on the first connection."
            )
        return next_creator(**kwargs)


def scope_for(
    module: Any,
    scope: tf.compat.v1.VariableScope,
    lookups: Mapping[str, Any],
    cached: Mapping[str, Any],
) -> CachedVariableScope | None:
    """The scope for the module's fast-path calls, or None if it needs none.

    ``cached`` holds what ``snt.get_variable`` already serves on the fast path;
    only a module that looked variables up some other way needs the scope.
    """
    served = {id(v) for v in cached.values()}
    if all(id(v) in served for v in lookups.values()):
        return None
    return CachedVariableScope(module, scope, lookups)


def enter(scope: CachedVariableScope) -> tuple[Any, Any]:
    """Makes ``scope`` this thread's current variable scope; returns what :func:`leave` needs.

    Two plain functions rather than a context manager: this runs on every
    fast-path call.
    """
    store = _tf_variable_scope.get_variable_scope_store()
    previous = store.current_scope
    store.current_scope = scope
    return store, previous


def leave(token: tuple[Any, Any]) -> None:
    """Restores the variable scope current before :func:`enter`."""
    store, previous = token
    store.current_scope = previous
