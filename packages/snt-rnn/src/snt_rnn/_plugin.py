"""The ``sonnet`` entry point of snt-rnn: the names it adds to ``snt``.

This module must stay light: it imports neither TensorFlow nor the modules it
lists. Targets are ``"module:attr"`` strings, imported on first use. To export a
new module, append a row, e.g. ``Export("LSTM", "snt_rnn.lstm:LSTM")``, and,
if Sonnet 1 had it, its name to the ``LEGACY`` row of its Sonnet 1 file
(``sonnet.python.modules.gated_rnn.LSTM``).
"""

from __future__ import annotations

from sonnet import hookimpl
from sonnet.plugins import ConformanceCase, Export, LegacyPath

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
    Export("LSTMBlockCell", "snt_rnn.lstm_block_cell:LSTMBlockCell", kind="module"),
    Export("ACTCore", "snt_rnn.act_core:ACTCore", kind="module"),
    # Sonnet 1's nets/transformer.py RNN cores (the feed-forward parts are snt-nets').
    Export(
        "TransformerXL", "snt_rnn.transformer_xl:TransformerXL", kind="module", namespace="nets"
    ),
    Export(
        "CompressiveTransformer",
        "snt_rnn.compressive_transformer:CompressiveTransformer",
        kind="module",
        namespace="nets",
    ),
    Export("RelationalMemory", "snt_rnn.relational_memory:RelationalMemory"),
    Export("ResidualCore", "snt_rnn.residual:ResidualCore"),
    Export("SkipConnectionCore", "snt_rnn.residual:SkipConnectionCore"),
    Export("RNNCellWrapper", "snt_rnn.rnn_cell_wrapper:RNNCellWrapper"),
]

_V1 = "sonnet.python.modules"

#: Sonnet 1's import paths of these names (``sonnet.python.modules.gated_rnn.LSTM``).
LEGACY: list[LegacyPath] = [
    LegacyPath(
        f"{_V1}.rnn_core",
        "RNNCore TrainableInitialState trainable_initial_state with_doc RNNCellWrapper",
    ),
    LegacyPath(f"{_V1}.relational_memory", "RelationalMemory"),
    LegacyPath(f"{_V1}.residual", "ResidualCore SkipConnectionCore"),
    LegacyPath(f"{_V1}.basic_rnn", "VanillaRNN DeepRNN ModelRNN BidirectionalRNN"),
    LegacyPath(
        f"{_V1}.gated_rnn",
        "LSTM LSTMState RecurrentDropoutWrapper lstm_with_recurrent_dropout ZoneoutWrapper "
        "lstm_with_zoneout BatchNormLSTM ConvLSTM Conv1DLSTM Conv2DLSTM GRU HighwayCore "
        "highway_core_with_recurrent_dropout LSTMBlockCell",
    ),
    LegacyPath(f"{_V1}.pondering_rnn", "ACTCore"),
    LegacyPath(f"{_V1}.nets", "nets.TransformerXL nets.CompressiveTransformer"),
    LegacyPath(
        f"{_V1}.pondering_rnn",
        {  # Sonnet 1 internals its users (and tests) read
            name: f"snt_rnn.act_core:{name}"
            for name in ("_nested_add", "_nested_unary_mul", "_nested_zeros_like")
        },
    ),
]


@hookimpl
def snt_exports() -> list[Export]:
    """Returns snt-rnn's exports (see ``EXPORTS``)."""
    return EXPORTS


@hookimpl
def snt_legacy_paths() -> list[LegacyPath]:
    """Returns where Sonnet 1 code imports these names from (see ``LEGACY``)."""
    return LEGACY


@hookimpl
def snt_conformance_cases() -> list[ConformanceCase]:
    """Hands snt-rnn's modules to core's conformance suite (imports TensorFlow)."""
    from snt_rnn import _conformance

    return _conformance.cases()
