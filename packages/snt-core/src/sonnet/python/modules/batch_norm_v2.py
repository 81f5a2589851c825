"""Sonnet 1's ``batch_norm_v2.py``: provided by snt-nets, resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__,
    "batch_norm_v2.py",
    "BatchNormV2 create_beta_initializer create_gamma_initializer create_mean_initializer "
    "create_variance_initializer",
)
