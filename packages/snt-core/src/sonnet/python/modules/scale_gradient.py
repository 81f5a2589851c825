"""Sonnet 1's ``scale_gradient.py`` (snt-core)."""

from sonnet import scale_gradient

__all__ = ["scale_gradient"]
