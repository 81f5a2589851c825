"""Sonnet 1's ``moving_average.py``: provided by snt-nets, resolved on use.

TEMP legacy path (lead will replace): ``_pass_through_gradients`` is read by
Sonnet 1's tests and comes straight from snt-nets' implementation module.
"""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, "moving_average.py", "MovingAverage")


def _pass_through_gradients(*args, **kwargs):
    from snt_nets.moving_average import _pass_through_gradients as target

    return target(*args, **kwargs)
