"""Module: turn a function into a Sonnet module."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sonnet._abstract_module import AbstractModule
from sonnet._naming import name_for_callable


class Module(AbstractModule):
    """A module whose ``_build`` is a function given to the constructor.

    Variables the function creates with ``tf.compat.v1.get_variable`` are
    shared across calls, as for any module.

    Example:
      >>> def affine(x):
      ...   w = tf.compat.v1.get_variable("w", [x.shape[-1], 3])
      ...   return tf.matmul(x, w)
      >>> mod = snt.Module(affine, name="affine")
      >>> a, b = mod(tf.ones([1, 2])), mod(tf.ones([4, 2]))  # both use affine/w

    Args:
      build: the callable run on each connection.
      custom_getter: as for :class:`AbstractModule`.
      name: module name; defaults to the snake_case name of ``build``
        (``_make_model`` -> ``make_model``), or ``"module"`` when it has none
        (lambdas, callable objects).

    Raises:
      TypeError: ``build`` is not callable.
    """

    def __init__(
        self,
        build: Callable[..., Any],
        custom_getter: Callable[..., Any] | Mapping[str, Callable[..., Any]] | None = None,
        name: str | None = None,
    ) -> None:
        if not callable(build):
            # Sonnet 1's exact message (its users compare it); the details go in a note.
            error = TypeError("Input 'build' must be callable.")
            if hasattr(error, "add_note"):  # Python 3.11+
                error.add_note(f"snt.Module got {type(build).__name__}: {build!r}.")
            raise error
        if name is None:
            name = name_for_callable(build)
            if name is None or not name.isidentifier():
                name = "module"
        super().__init__(custom_getter=custom_getter, name=name)
        self._build_function = build

    def _build(self, *args: Any, **kwargs: Any) -> Any:
        return self._build_function(*args, **kwargs)
