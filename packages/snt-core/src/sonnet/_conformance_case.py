"""The record a plugin hands to core's shared conformance suite."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["ConformanceCase"]


@dataclasses.dataclass(frozen=True)
class ConformanceCase:
    """How to build and feed one exported module in the shared conformance suite.

    Plugins return a list of these from their ``snt_conformance_cases`` hook::

        ConformanceCase(
            name="Linear",
            create=lambda: snt.Linear(3),
            inputs=lambda: (tf.ones([2, 4]),),
        )

    Attributes:
      name: The export's name relative to ``snt`` (``"Linear"``, ``"nets.MLP"``).
      create: Builds a fresh module instance; called once per check.
      inputs: Builds the positional call arguments (a tuple) for one connection.
      kwargs: Keyword arguments passed on every connection (e.g. ``is_training``).
    """

    name: str
    create: Callable[[], Any]
    inputs: Callable[[], tuple[Any, ...]]
    kwargs: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"ConformanceCase name must be a non-empty string, got {self.name!r}.")
        for field in ("create", "inputs"):
            if not callable(getattr(self, field)):
                raise TypeError(f"ConformanceCase {self.name!r}: {field} must be callable.")
