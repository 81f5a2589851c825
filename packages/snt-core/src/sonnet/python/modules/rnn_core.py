"""Sonnet 1's ``rnn_core.py``: provided by snt-rnn, resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__,
    "rnn_core.py",
    "RNNCore TrainableInitialState RNNCellWrapper trainable_initial_state with_doc",
)
