"""Sonnet 1's ``base.py`` (snt-core): the module base classes and, as in Sonnet 1, the errors."""

# ruff: noqa: F401
from sonnet import AbstractModule, Module, Transposable, observe_connections
from sonnet.errors import (
    DifferentGraphError,
    Error,
    IncompatibleShapeError,
    ModuleInfoError,
    NotConnectedError,
    NotInitializedError,
    NotSupportedError,
    ParentNotBuiltError,
    UnderspecifiedError,
)
