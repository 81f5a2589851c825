"""Sonnet 1's ``clip_gradient.py`` (snt-core)."""

from sonnet import clip_gradient

__all__ = ["clip_gradient"]
