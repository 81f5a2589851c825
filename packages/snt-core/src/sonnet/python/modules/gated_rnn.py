"""Sonnet 1's ``gated_rnn.py``: provided by snt-rnn, resolved on use.

Importing this module works without snt-rnn; using a name then says what to install."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__,
    "gated_rnn.py",
    "LSTM LSTMState RecurrentDropoutWrapper lstm_with_recurrent_dropout ZoneoutWrapper "
    "lstm_with_zoneout BatchNormLSTM ConvLSTM Conv1DLSTM Conv2DLSTM GRU HighwayCore "
    "highway_core_with_recurrent_dropout LSTMBlockCell",
)
