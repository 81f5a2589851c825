"""Sonnet 1's ``base_errors.py`` (snt-core): the module errors."""

# ruff: noqa: F401
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
