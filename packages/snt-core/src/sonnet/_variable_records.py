"""Records of the variables (and their regularizers) each module created.

Every connection that is not nested in another one runs under a variable
creator that hands each new variable to the innermost module being connected
(see ``_connection``). Those records are what ``module.variables``,
``get_variables`` outside graph mode, checkpoint tracking and eager
regularization losses are built from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import tensorflow as tf

from sonnet import _connection


class VariableRecords:
    """Variables a module created, in creation order, without duplicates.

    A plain object (not a list) on purpose: ``tf.Module`` walks lists and dicts
    held in attributes, and regularizer records must not show up as variables.
    """

    __slots__ = ("variables", "_ids", "regularizers")

    def __init__(self) -> None:
        self.variables: list[Any] = []
        self._ids: set[int] = set()
        self.regularizers: list[tuple[Any, Callable[[Any], Any]]] = []

    def add(self, variable: Any) -> bool:
        if id(variable) in self._ids:
            return False
        self._ids.add(id(variable))
        self.variables.append(variable)
        return True

    def add_regularizer(self, variable: Any, regularizer: Callable[[Any], Any]) -> None:
        if all(v is not variable for v, _ in self.regularizers):
            self.regularizers.append((variable, regularizer))


def _attribute_to_innermost_module(next_creator: Callable[..., Any], **kwargs: Any) -> Any:
    variable = next_creator(**kwargs)
    owner = _connection.current_module()
    if owner is not None:
        owner._snt_adopt_variable(variable)
    return variable


def creator_scope():
    """A ``tf.variable_creator_scope`` attributing new variables to modules."""
    return tf.variable_creator_scope(_attribute_to_innermost_module)


def unique_by_identity(items: Iterable[Any], key: Callable[[Any], Any] | None = None) -> list[Any]:
    """Drops repeated items, comparing ``key(item)`` by identity.

    Variables are unhashable in eager mode, so a plain ``set`` cannot be used.
    """
    seen: set[int] = set()
    out = []
    for item in items:
        marker = id(item if key is None else key(item))
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out
