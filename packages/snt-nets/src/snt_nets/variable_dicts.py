"""The ``initializers``/``partitioners``/``regularizers`` properties modules share.

Public within the first-party packages (snt-transpose uses it): a module that
stores its checked dicts as ``_initializers``, ``_partitioners`` and
``_regularizers`` (see ``snt_nets._utils.store_checked_dicts``) mixes this in
instead of repeating the three properties.
"""

from __future__ import annotations

from typing import Any


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
