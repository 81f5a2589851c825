"""Sonnet 1's ``ops/initializers.py`` (snt-core)."""

from sonnet import restore_initializer

__all__ = ["restore_initializer"]
