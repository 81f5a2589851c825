"""Module-like objects for plugin sub-namespaces such as ``snt.nets``."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sonnet.plugins._state import PluginState

__all__ = ["Namespace"]


class Namespace(types.ModuleType):
    """``snt.<name>``: resolves ``snt.<name>.<attr>`` through the plugin registry.

    Resolved attributes are cached on the object, so later lookups are plain
    attribute reads. ``dir()`` lists every name plugins put in the namespace.
    """

    # Set through __dict__ in __init__; declared for type checkers only.
    _snt_namespace: str
    _snt_state: PluginState

    def __init__(self, name: str, state: PluginState) -> None:
        super().__init__(f"sonnet.{name}", f"Plugin sub-namespace snt.{name}.")
        self.__dict__["_snt_namespace"] = name
        self.__dict__["_snt_state"] = state

    def __getattr__(self, attr: str) -> object:
        if attr.startswith("_"):
            raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")
        obj = self._snt_state.resolve(f"{self._snt_namespace}.{attr}")
        self.__dict__[attr] = obj
        return obj

    def __dir__(self) -> list[str]:
        names = self._snt_state.registry().names(self._snt_namespace)
        own = {k for k in self.__dict__ if not k.startswith("_snt_")}
        return sorted(set(names) | own)

    def __repr__(self) -> str:
        return f"<sonnet plugin namespace {self.__name__!r}>"

    def _snt_clear(self) -> None:
        """Drops cached attributes (after a refresh)."""
        for key in [k for k in self.__dict__ if not k.startswith("_")]:
            del self.__dict__[key]
