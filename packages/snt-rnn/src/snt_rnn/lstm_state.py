"""LSTMState: the (hidden, cell) state of LSTM-like cores."""

from __future__ import annotations

from typing import Any, NamedTuple


class LSTMState(NamedTuple):
    """The state of an LSTM: ``hidden`` (also the output) and ``cell``."""

    hidden: Any
    cell: Any
