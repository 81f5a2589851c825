"""Sonnet 1's ``nets/mlp.py``: provided by snt-nets, resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, "nets/mlp.py", "", {"MLP": "nets.MLP"})
