"""Sonnet 1's ``basic_rnn.py``: provided by snt-rnn, resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__, "basic_rnn.py", "VanillaRNN DeepRNN ModelRNN BidirectionalRNN"
)
