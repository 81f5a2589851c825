"""RecordedScope: a module's variable scope that answers look-ups from recorded variables.

A Sonnet 1 module's ``_build`` looks its variables up with
``tf.compat.v1.get_variable``. When a connection replays the module's
variables (see ``_replay``), the module runs ``_build`` with a
:class:`RecordedScope` as the current variable scope: its ``get_variable``
answers from what the first connection looked up, after the same shape and
dtype checks TensorFlow makes when sharing a variable. Look-ups in variable
scopes opened inside ``_build`` go through the scope's custom getter, which
answers from the records too. A name the first connection never looked up
raises ``NotSupportedError``: a module creates all its variables on its first
connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

from sonnet import _connection
from sonnet.errors import NotSupportedError, VariableCreatedOnReconnectionError

__all__ = ["RecordedScope", "not_created"]


def not_created(where: str, name: str) -> NotSupportedError:
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


class RecordedScope(tf.compat.v1.VariableScope):
    """A module's variable scope whose ``get_variable`` answers from recorded variables."""

    def __init__(
        self, module: Any, scope: tf.compat.v1.VariableScope, variables: Mapping[str, Any]
    ) -> None:
        where = scope.name
        known = dict(variables)

        def recorded_getter(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:
            del getter  # never creates: lookups in sub-scopes are answered from the records
            if name not in known:
                raise not_created(where, name)
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
            raise not_created(self._snt_where, full)
        return _checked(self._snt_where, f"{self.name}/{name}", variable, shape, dtype)

    def refuse_creation(self, next_creator: Any, **kwargs: Any) -> Any:
        """A variable creator for replayed connections: the module itself may create nothing.

        A variable made by the module's own ``_build`` on a replayed connection (a
        ``tf.Variable``, or a lookup in a scope that bypasses this one) would be
        a new, untracked variable each call. Submodules connecting for the
        first time inside the call create theirs as usual.
        """
        frame = _connection.current()
        if frame is not None and frame.module is self._snt_module and frame.replay is not None:
            raise VariableCreatedOnReconnectionError(
                f"{self._snt_where}: variable {kwargs.get('name')!r} was created on a "
                "connection after the first one. Create variables with "
                "tf.compat.v1.get_variable in the module's scope, all on the first connection."
            )
        return next_creator(**kwargs)
