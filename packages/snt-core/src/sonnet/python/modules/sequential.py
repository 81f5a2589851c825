"""Sonnet 1's ``sequential.py``: provided by snt-nets, resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, "sequential.py", "Sequential")
