"""``Context``: a custom getter that is active only inside a ``with`` block."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

__all__ = ["Context"]

_log = logging.getLogger("sonnet.custom_getters")


class Context:
    """Wraps a custom getter so it applies only inside ``with context:``.

    Outside the block, variables come from ``default_getter`` (or straight
    from the next getter). Blocks may nest; the getter applies until the
    outermost one exits. The switch is shared by all threads (so it also
    covers ``tf.distribute`` replica threads started inside the block).

    Example:
      >>> ctx = snt.custom_getters.Context(snt.custom_getters.stop_gradient)
      >>> lin = snt.Linear(3, custom_getter=ctx)
      >>> x = tf.ones([2, 4])
      >>> y = lin(x)          # gradients reach lin's variables
      >>> with ctx:
      ...     y_frozen = lin(x)  # no gradient to lin's variables

    Args:
      getter: The custom getter to apply inside the block.
      verbose: Log (``logging`` logger ``sonnet.custom_getters``, INFO) the
        name of each variable the getter is applied to.
      default_getter: A custom getter to apply outside the block, or ``None``.

    Raises:
      TypeError: ``getter`` or ``default_getter`` is not callable.
    """

    def __init__(
        self,
        getter: Callable[..., Any],
        verbose: bool = False,
        default_getter: Callable[..., Any] | None = None,
    ) -> None:
        if not callable(getter):
            raise TypeError(f"Context: getter must be callable, got {type(getter).__name__}.")
        if default_getter is not None and not callable(default_getter):
            raise TypeError(
                "Context: default_getter must be callable or None, got "
                f"{type(default_getter).__name__}."
            )
        self._getter = getter
        self._verbose = verbose
        self._default_getter = default_getter
        self._depth = 0

    @property
    def active(self) -> bool:
        """Whether a ``with`` block of this context is open."""
        return self._depth > 0

    def __enter__(self) -> Context:
        self._depth += 1
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._depth -= 1

    def __call__(self, getter: Callable[..., Any], name: str, *args: Any, **kwargs: Any) -> Any:
        if self.active:
            if self._verbose:
                _log.info("Context: applying custom getter to %s", name)
            return self._getter(getter, name, *args, **kwargs)
        if self._default_getter is not None:
            return self._default_getter(getter, name, *args, **kwargs)
        return getter(name, *args, **kwargs)
