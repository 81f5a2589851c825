"""Exception classes raised by Sonnet modules and by the plugin registry.

Every exception the library raises on purpose derives from :class:`Error`, so
``except snt.Error`` catches all of them. The module-system classes keep Sonnet
1's names (``snt.NotConnectedError`` and friends); the plugin classes are new.
"""

from __future__ import annotations

__all__ = [
    "Error",
    "NotConnectedError",
    "ParentNotBuiltError",
    "IncompatibleShapeError",
    "UnderspecifiedError",
    "NotSupportedError",
    "NotInitializedError",
    "DifferentGraphError",
    "ModuleInfoError",
    "VariableCreatedOnReconnectionError",
    "PluginError",
    "PluginConflictError",
]


class Error(Exception):
    """Base class for every error raised by Sonnet."""


class NotConnectedError(Error):
    """A module was used in a way that needs it connected before its first call."""


class ParentNotBuiltError(Error):
    """A transposed module was connected before the module it was derived from."""


class IncompatibleShapeError(Error):
    """An input's shape does not match what the module expects or saw before."""


class UnderspecifiedError(Error):
    """A dimension the module needs is unknown at connection time."""


class NotSupportedError(Error):
    """The requested operation or configuration is not supported."""


class NotInitializedError(Error):
    """A subclass of AbstractModule did not call ``super().__init__``."""


class DifferentGraphError(Error):
    """A module bound to one ``tf.Graph`` was connected into another."""


class ModuleInfoError(Error):
    """Module metadata could not be serialized or restored."""


class VariableCreatedOnReconnectionError(NotSupportedError, ValueError):
    """A module created a new variable on a connection after its first one.

    Variables must come from ``tf.compat.v1.get_variable`` (which shares them);
    a ``tf.Variable`` constructed inside ``_build`` would be new on every call.
    """


class PluginError(Error, ImportError):
    """A plugin failed to load, or one of its exports could not be resolved."""


class PluginConflictError(PluginError):
    """Two third-party distributions export the same name; neither is used."""
