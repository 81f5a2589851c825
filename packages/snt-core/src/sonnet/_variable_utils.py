"""Finding, naming and saving the variables of scopes and modules."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import tensorflow as tf

from sonnet._saver import ShapeCheckedSaver

_TRAINABLE = tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES
_GLOBAL = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES


def get_variable_scope_name(value: Any) -> str:
    """The scope name of a VariableScope, a module (or any object with a
    ``variable_scope``/``scope_name``), or a string.

    Raises:
      ValueError: ``value`` names no scope.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, tf.compat.v1.VariableScope):
        return value.name
    scope_name = getattr(value, "scope_name", None)
    if isinstance(scope_name, str):
        return scope_name
    scope = getattr(value, "variable_scope", None)
    if isinstance(scope, tf.compat.v1.VariableScope):
        return scope.name
    raise ValueError(
        f"Expected a variable scope, a module or a scope name string, got "
        f"{type(value).__name__}: {value!r}."
    )


def is_scope_prefix(scope_name: str, prefix_name: str) -> bool:
    """Whether ``prefix_name`` names ``scope_name`` or a scope enclosing it.

    Whole components only: ``"a/b"`` encloses ``"a/b/c"`` but ``"a"`` does not
    enclose ``"ab/c"``; ``""`` encloses every scope and ``"a/"`` means ``"a"``.
    """
    if not prefix_name:
        return True
    prefix = prefix_name if prefix_name.endswith("/") else prefix_name + "/"
    return (scope_name + "/").startswith(prefix)


def get_variables_in_scope(scope: Any, collection: str = _TRAINABLE) -> tuple[tf.Variable, ...]:
    """The variables of graph ``collection`` inside ``scope`` (graph mode).

    ``scope`` may be a VariableScope, a module or a name; ``"a/b"`` matches
    ``a/b/w`` but not ``a/bc/w``, and ``""`` matches every variable.
    """
    name = get_variable_scope_name(scope)
    pattern = "^" + re.escape(name if name.endswith("/") else name + "/") if name else None
    return tuple(tf.compat.v1.get_collection(collection, pattern))


def get_variables_in_module(module: Any, collection: str = _TRAINABLE) -> tuple[tf.Variable, ...]:
    """``module.get_variables(collection)``."""
    return module.get_variables(collection)


def sort_by_name(variables: Iterable[Any]) -> tuple[Any, ...]:
    """Variables sorted by their ``name``."""
    return tuple(sorted(variables, key=lambda v: v.name))


def has_variable_scope(obj: Any) -> bool:
    """Whether ``obj`` has a ``variable_scope`` (modules do, connected or not)."""
    from sonnet.errors import NotConnectedError

    try:
        return getattr(obj, "variable_scope", None) is not None
    except NotConnectedError:
        return True


def _slice_full_name(variable: Any) -> str | None:
    info = getattr(variable, "_save_slice_info", None)
    return info.full_name if info is not None else None


def get_normalized_variable_map(
    scope_or_module: Any,
    collection: str = _GLOBAL,
    context: Any = None,
    group_sliced_variables: bool = True,
) -> dict[str, Any]:
    """Maps the names of the variables in a scope, relative to ``context``, to them.

    ``mlp/linear_0/w:0`` in module ``mlp`` becomes ``linear_0/w``. With
    ``group_sliced_variables``, the partitions of a partitioned variable are
    grouped in a list under the full variable's name.

    Raises:
      ValueError: ``context`` is not a prefix of the scope, or two variables
        end up with the same name.
    """
    scope_name = get_variable_scope_name(scope_or_module)
    context_name = scope_name if context is None else get_variable_scope_name(context)
    if not is_scope_prefix(scope_name, context_name):
        raise ValueError(
            f"Scope {scope_name!r} is not prefixed by {context_name!r}: the context must be "
            "the scope itself or a scope enclosing it."
        )
    prefix = context_name + "/" if context_name else ""
    if hasattr(scope_or_module, "get_variables") and not isinstance(scope_or_module, str):
        variables = scope_or_module.get_variables(collection)
    else:
        variables = get_variables_in_scope(scope_name, collection)
    result: dict[str, Any] = {}
    for variable in variables:
        full = _slice_full_name(variable) if group_sliced_variables else None
        name = full if full is not None else variable.name.split(":")[0]
        key = name[len(prefix) :] if name.startswith(prefix) else name
        if full is not None:
            result.setdefault(key, []).append(variable)
        elif key in result:
            raise ValueError(f"Two variables map to the same name {key!r}.")
        else:
            result[key] = variable
    return result


def get_saver(
    scope: Any,
    collections: Iterable[str] = (_GLOBAL,),
    context: Any = None,
    **kwargs: Any,
) -> tf.compat.v1.train.Saver:
    """A ``tf.compat.v1.train.Saver`` over a scope's variables, keyed by relative names.

    Checkpoints written this way restore into the same module built under a
    different parent scope (the names are relative to ``context``). Its
    ``restore`` refuses a saved shape that differs from a variable's with
    ``tf.errors.InvalidArgumentError`` (also for resource variables, which
    TensorFlow would silently reshape).
    """

    var_list: dict[str, Any] = {}
    for collection in collections:
        var_list.update(get_normalized_variable_map(scope, collection, context))
    return ShapeCheckedSaver(var_list=var_list, **kwargs)


def variable_map_items(variable_map: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yields ``(key, variable)``, once per partition for partitioned variables."""
    for key, value in variable_map.items():
        if isinstance(value, (list, tuple)):
            for part in value:
                yield key, part
        else:
            yield key, value


@contextlib.contextmanager
def notify_about_new_variables(callback: Callable[[Any], None]) -> Iterator[None]:
    """Calls ``callback(variable)`` for each variable created inside the block."""

    def _creator(next_creator: Callable[..., Any], **kwargs: Any) -> Any:
        variable = next_creator(**kwargs)
        callback(variable)
        return variable

    with tf.variable_creator_scope(_creator):
        yield
