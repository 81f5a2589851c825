"""Sonnet 1's ``nets/dilation.py``: provided by snt-nets, resolved on use.

TEMP legacy path (lead will replace): ``_range_along_dimension`` is read by
Sonnet 1's tests and comes straight from snt-nets' implementation module.
"""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__,
    "nets/dilation.py",
    "",
    {
        "Dilation": "nets.Dilation",
        "identity_kernel_initializer": "nets.identity_kernel_initializer",
        "noisy_identity_kernel_initializer": "nets.noisy_identity_kernel_initializer",
    },
)


def _range_along_dimension(*args, **kwargs):
    from snt_nets.nets.identity_kernels import _range_along_dimension as target

    return target(*args, **kwargs)
