"""The Transposable interface."""

from __future__ import annotations

import abc
from typing import Any


class Transposable(abc.ABC):
    """Interface of modules that can build their transpose.

    ``transpose()`` returns a new module related to this one (a Linear mapping
    back to the input size, the Conv2DTranspose of a Conv2D, ...). Settings
    that depend on the original's input are passed as callables evaluated when
    the transposed module connects, so it can be built before the original is
    connected. Transposing twice gives a module with the original's
    specification.
    """

    @abc.abstractmethod
    def transpose(self, name: str | None = None, **kwargs: Any) -> Any:
        """Returns the transposed module."""

    @abc.abstractmethod
    def input_shape(self) -> Any:
        """The shape of the input seen at connection (raises before connection)."""
