"""Sonnet 1's ``embed.py``: provided by snt-nets, resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, "embed.py", "Embed")
