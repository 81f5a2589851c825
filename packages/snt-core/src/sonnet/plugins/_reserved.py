"""First-party names, reserved for the distribution that provides them.

A third-party distribution that exports one of these names is rejected with a
warning, so installing a package cannot take over ``snt.Linear``. A reserved
name whose distribution is missing gets an install hint instead of a bare
``AttributeError``. Names come from Sonnet 1.36's public API.
"""

from __future__ import annotations

__all__ = ["RESERVED", "RESERVED_NAMESPACES", "owner_of"]

_NETS = (
    # basic.py
    "Linear ConcatLinear AddBias BatchReshape BatchFlatten FlattenTrailingDimensions "
    "TrainableVariable BatchApply SliceByDim TileByDim MergeDims SelectInput "
    "merge_leading_dims split_leading_dim create_linear_initializer calculate_bias_shape "
    "create_bias_initializer create_beta_initializer create_gamma_initializer "
    "create_mean_initializer create_variance_initializer "
    # sequential.py, embed.py, layer_norm.py, batch_norm*.py
    "Sequential Embed LayerNorm BatchNorm BatchNormV2 "
    # conv.py
    "Conv1D CausalConv1D Conv2D Conv3D InPlaneConv2D DepthwiseConv2D SeparableConv1D "
    "SeparableConv2D create_weight_initializer "
    "SAME VALID FULL CAUSAL REVERSE_CAUSAL CONV_OP_ALLOWED_PADDINGS ALLOWED_PADDINGS "
    "CONSTANT_PADDING REFLECT_PADDING SYMMETRIC_PADDING ALLOWED_PADDING_VALUES "
    "DATA_FORMAT_NCW DATA_FORMAT_NWC DATA_FORMAT_NCHW DATA_FORMAT_NHWC DATA_FORMAT_NDHWC "
    "DATA_FORMAT_NCDHW SUPPORTED_1D_DATA_FORMATS SUPPORTED_2D_DATA_FORMATS "
    "SUPPORTED_3D_DATA_FORMATS "
    # nets/
    "nets.MLP nets.ConvNet2D"
)

_RNN = (
    "RNNCore TrainableInitialState RNNCellWrapper trainable_initial_state with_doc "
    "VanillaRNN DeepRNN ModelRNN BidirectionalRNN "
    "LSTM LSTMState RecurrentDropoutWrapper ZoneoutWrapper BatchNormLSTM ConvLSTM "
    "Conv1DLSTM Conv2DLSTM GRU HighwayCore LSTMBlockCell "
    "lstm_with_recurrent_dropout lstm_with_zoneout highway_core_with_recurrent_dropout"
)

_TRANSPOSE = "Conv1DTranspose Conv2DTranspose Conv3DTranspose nets.ConvNet2DTranspose"

#: Qualified name (``"Linear"``, ``"nets.MLP"``) -> distribution that owns it.
RESERVED: dict[str, str] = {
    **dict.fromkeys(_NETS.split(), "snt-nets"),
    **dict.fromkeys(_RNN.split(), "snt-rnn"),
    **dict.fromkeys(_TRANSPOSE.split(), "snt-transpose"),
}

#: Sub-namespaces that exist whenever reserved names live in them.
RESERVED_NAMESPACES: frozenset[str] = frozenset(q.split(".")[0] for q in RESERVED if "." in q)


def owner_of(qualname: str) -> str | None:
    """Returns the distribution a first-party name is reserved for, or ``None``."""
    return RESERVED.get(qualname)
