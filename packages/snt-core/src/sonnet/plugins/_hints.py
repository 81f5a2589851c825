"""Advisory: which first-party distribution to install for a Sonnet 1 name or path.

Plugins declare their names themselves; nothing here is needed for a name to
resolve or to be protected (names and paths a first-party distribution
declares win over third parties whatever this table says). It only turns
``AttributeError: snt.LSTM`` into "snt.LSTM is provided by snt-rnn, which is
not installed (pip install snt-rnn)", and keeps these names from third-party
plugins while their first-party distribution is absent. Names that are not
listed get a generic message.
"""

from __future__ import annotations

__all__ = ["FIRST_PARTY", "HINT_NAMES", "HINT_PATHS", "NAMESPACES"]

#: Names from these distributions win over any other plugin's.
FIRST_PARTY = frozenset({"snt-nets", "snt-rnn", "snt-transpose"})

_NAMES = {
    "snt-nets": """
        Linear ConcatLinear AddBias BatchReshape BatchFlatten FlattenTrailingDimensions
        TrainableVariable BatchApply SliceByDim TileByDim MergeDims SelectInput
        merge_leading_dims split_leading_dim calculate_bias_shape Sequential Embed LayerNorm
        BatchNorm BatchNormV2 Conv1D CausalConv1D Conv2D Conv3D InPlaneConv2D DepthwiseConv2D
        SeparableConv1D SeparableConv2D create_linear_initializer create_weight_initializer
        create_bias_initializer create_beta_initializer create_gamma_initializer
        create_mean_initializer create_variance_initializer SAME VALID FULL CAUSAL
        REVERSE_CAUSAL CONV_OP_ALLOWED_PADDINGS ALLOWED_PADDINGS CONSTANT_PADDING
        REFLECT_PADDING SYMMETRIC_PADDING ALLOWED_PADDING_VALUES DATA_FORMAT_NCW DATA_FORMAT_NWC
        DATA_FORMAT_NCHW DATA_FORMAT_NHWC DATA_FORMAT_NDHWC DATA_FORMAT_NCDHW
        SUPPORTED_1D_DATA_FORMATS SUPPORTED_2D_DATA_FORMATS SUPPORTED_3D_DATA_FORMATS
        nets.MLP nets.ConvNet2D Residual AttentiveRead GridWarper AffineGridWarper
        AffineWarpConstraints BlockTriangularMatrix BlockDiagonalMatrix MovingAverage
        OptimizationConstraints get_lagrange_multiplier wrap_with_spectral_norm spectral_norm
        SpectralNormWrapper nets.AlexNet nets.AlexNetFull nets.AlexNetMini nets.Dilation
        nets.identity_kernel_initializer nets.noisy_identity_kernel_initializer
        nets.TransformerTower nets.future_mask nets.transformer nets.VectorQuantizer
        nets.VectorQuantizerEMA""",
    "snt-rnn": """
        RNNCore TrainableInitialState RNNCellWrapper trainable_initial_state with_doc
        VanillaRNN DeepRNN ModelRNN BidirectionalRNN LSTM LSTMState LSTMBlockCell GRU
        RecurrentDropoutWrapper ZoneoutWrapper BatchNormLSTM ConvLSTM Conv1DLSTM Conv2DLSTM
        HighwayCore lstm_with_recurrent_dropout lstm_with_zoneout
        highway_core_with_recurrent_dropout RelationalMemory ResidualCore SkipConnectionCore
        ACTCore nets.TransformerXL nets.CompressiveTransformer""",
    "snt-transpose": "Conv1DTranspose Conv2DTranspose Conv3DTranspose nets.ConvNet2DTranspose",
}

#: Sonnet 1 module files (below ``sonnet.python.modules``), by distribution. Paths a
#: plugin declares as one of its own modules (``LegacyPath(module=...)``:
#: ``optimization_constraints``, ``nets.transformer``) are not listed: a listed path
#: is made without the registry, so it could not be that module.
_PATHS = {
    "snt-nets": "basic sequential embed layer_norm batch_norm batch_norm_v2 conv nets "
    "nets.mlp nets.convnet residual attention spatial_transformer block_matrix "
    "moving_average spectral_normalization nets.alexnet nets.dilation nets.vqvae",
    "snt-rnn": "rnn_core basic_rnn gated_rnn relational_memory pondering_rnn",
}

#: ``snt`` name (``"Linear"``, ``"nets.MLP"``) -> the distribution to install.
HINT_NAMES: dict[str, str] = {n: d for d, names in _NAMES.items() for n in names.split()}
#: Legacy module path -> the distribution to install.
HINT_PATHS: dict[str, str] = {
    f"sonnet.python.modules.{p}": d for d, paths in _PATHS.items() for p in paths.split()
}
#: Sub-namespaces that exist even while their first-party plugin is absent.
NAMESPACES = frozenset(q.split(".")[0] for q in HINT_NAMES if "." in q)
