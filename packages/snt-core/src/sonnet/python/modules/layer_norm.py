"""Sonnet 1's ``layer_norm.py``: provided by snt-nets, resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__, "layer_norm.py", "LayerNorm create_beta_initializer create_gamma_initializer"
)
