"""The ``sonnet`` entry point of snt-rnn: the names it adds to ``snt``.

This module must stay light: it imports neither TensorFlow nor the modules it
lists. Targets are ``"module:attr"`` strings, imported on first use. To export a
new module, append a row, e.g. ``Export("LSTM", "snt_rnn.lstm:LSTM")``.
"""

from __future__ import annotations

from sonnet import hookimpl
from sonnet.plugins import ConformanceCase, Export

EXPORTS: list[Export] = [
    Export("LSTMState", "snt_rnn.lstm_state:LSTMState", kind="constant"),
    Export("RNNCore", "snt_rnn.rnn_core:RNNCore"),
    Export("with_doc", "snt_rnn.with_doc:with_doc", kind="function"),
    Export("TrainableInitialState", "snt_rnn.trainable_initial_state:TrainableInitialState"),
    Export(
        "trainable_initial_state",
        "snt_rnn.trainable_initial_state:trainable_initial_state",
        kind="function",
    ),
    Export("LSTM", "snt_rnn.lstm:LSTM"),
    Export("GRU", "snt_rnn.gru:GRU"),
    Export("VanillaRNN", "snt_rnn.vanilla_rnn:VanillaRNN"),
    Export("DeepRNN", "snt_rnn.deep_rnn:DeepRNN"),
    Export("ModelRNN", "snt_rnn.model_rnn:ModelRNN"),
    Export("static_unroll", "snt_rnn.unroll:static_unroll", kind="function"),
    Export("dynamic_unroll", "snt_rnn.unroll:dynamic_unroll", kind="function"),
    Export("BidirectionalRNN", "snt_rnn.bidirectional_rnn:BidirectionalRNN"),
    Export("RecurrentDropoutWrapper", "snt_rnn.recurrent_dropout:RecurrentDropoutWrapper"),
    Export(
        "lstm_with_recurrent_dropout",
        "snt_rnn.recurrent_dropout:lstm_with_recurrent_dropout",
        kind="function",
    ),
    Export("ZoneoutWrapper", "snt_rnn.zoneout:ZoneoutWrapper"),
    Export("lstm_with_zoneout", "snt_rnn.zoneout:lstm_with_zoneout", kind="function"),
    Export("HighwayCore", "snt_rnn.highway_core:HighwayCore"),
    Export(
        "highway_core_with_recurrent_dropout",
        "snt_rnn.highway_core:highway_core_with_recurrent_dropout",
        kind="function",
    ),
    Export("ConvLSTM", "snt_rnn.conv_lstm:ConvLSTM"),
    Export("Conv1DLSTM", "snt_rnn.conv_lstm:Conv1DLSTM"),
    Export("Conv2DLSTM", "snt_rnn.conv_lstm:Conv2DLSTM"),
    Export("BatchNormLSTM", "snt_rnn.batch_norm_lstm:BatchNormLSTM", kind="module"),
    Export("RelationalMemory", "snt_rnn.relational_memory:RelationalMemory"),
    Export("ResidualCore", "snt_rnn.residual:ResidualCore"),
    Export("SkipConnectionCore", "snt_rnn.residual:SkipConnectionCore"),
    Export("RNNCellWrapper", "snt_rnn.rnn_cell_wrapper:RNNCellWrapper"),
]


@hookimpl
def snt_exports() -> list[Export]:
    """Returns snt-rnn's exports (see ``EXPORTS``)."""
    return EXPORTS


@hookimpl
def snt_conformance_cases() -> list[ConformanceCase]:
    """Hands snt-rnn's modules to core's conformance suite (imports TensorFlow)."""
    from snt_rnn import _conformance

    return _conformance.cases()
