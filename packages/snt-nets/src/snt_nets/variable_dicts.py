"""The ``initializers``/``partitioners``/``regularizers`` properties modules share.

A module that stores its checked dicts as ``_initializers``, ``_partitioners``
and ``_regularizers`` mixes :class:`VariableDicts` in instead of repeating the
three properties.

Part of snt-nets' public, versioned API for other plugins (snt-rnn and
snt-transpose build on it; see the README's "Public modules"): the names in
``__all__`` keep their signatures and behaviour within a minor release.
"""

from __future__ import annotations

from typing import Any

__all__ = ["VariableDicts"]


class VariableDicts:
    """Mixin: read-only access to the dicts a module was constructed with."""

    _initializers: dict[str, Any]
    _partitioners: dict[str, Any]
    _regularizers: dict[str, Any]

    @property
    def initializers(self) -> dict[str, Any]:
        """The initializers given to the constructor (checked, keyed by variable)."""
        return self._initializers

    @property
    def partitioners(self) -> dict[str, Any]:
        """The partitioners given to the constructor."""
        return self._partitioners

    @property
    def regularizers(self) -> dict[str, Any]:
        """The regularizers given to the constructor."""
        return self._regularizers
