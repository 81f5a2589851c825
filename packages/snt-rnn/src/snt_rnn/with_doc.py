"""``with_doc``: Sonnet 1's decorator giving a method another function's docstring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def with_doc(fn_with_doc_to_copy: Callable[..., Any]) -> Callable[[F], F]:
    """Returns a decorator that sets the decorated function's ``__doc__``.

    Sonnet 1 cores used it to document an overriding method with the base
    method's docstring::

        @snt.with_doc(snt.RNNCore.initial_state)
        def initial_state(self, batch_size, dtype=tf.float32, ...): ...

    Raises:
      TypeError: ``fn_with_doc_to_copy`` is not callable.
    """
    if not callable(fn_with_doc_to_copy):
        raise TypeError(
            f"snt.with_doc expects the function whose docstring to copy, got "
            f"{type(fn_with_doc_to_copy).__name__}: {fn_with_doc_to_copy!r}."
        )

    def decorator(fn: F) -> F:
        fn.__doc__ = fn_with_doc_to_copy.__doc__
        return fn

    return decorator
