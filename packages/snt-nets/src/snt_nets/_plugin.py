"""The ``sonnet`` entry point of snt-nets: the names it adds to ``snt``.

This module must stay light: it imports neither TensorFlow nor the modules it
lists. Targets are ``"module:attr"`` strings, imported on first use. To export a
new module, append a row, e.g. ``Export("Linear", "snt_nets.linear:Linear")`` or
``Export("MLP", "snt_nets.nets.mlp:MLP", namespace="nets")`` for ``snt.nets.MLP``;
if Sonnet 1 had it, add its name to the ``LEGACY`` row of its Sonnet 1 file too
(``sonnet.python.modules.basic.Linear``).
"""

from __future__ import annotations

from sonnet import hookimpl
from sonnet.plugins import ConformanceCase, Export, LegacyPath

_CONV = "snt_nets.conv_constants"

EXPORTS: list[Export] = [
    # Padding modes and data formats (snt.SAME, snt.DATA_FORMAT_NHWC, ...).
    *(
        Export(name, f"{_CONV}:{name}", kind="constant")
        for name in (
            "SAME",
            "VALID",
            "FULL",
            "CAUSAL",
            "REVERSE_CAUSAL",
            "CONV_OP_ALLOWED_PADDINGS",
            "ALLOWED_PADDINGS",
            "CONSTANT_PADDING",
            "REFLECT_PADDING",
            "SYMMETRIC_PADDING",
            "ALLOWED_PADDING_VALUES",
            "DATA_FORMAT_NCW",
            "DATA_FORMAT_NWC",
            "DATA_FORMAT_NCHW",
            "DATA_FORMAT_NHWC",
            "DATA_FORMAT_NDHWC",
            "DATA_FORMAT_NCDHW",
            "SUPPORTED_1D_DATA_FORMATS",
            "SUPPORTED_2D_DATA_FORMATS",
            "SUPPORTED_3D_DATA_FORMATS",
        )
    ),
    # Modules: one row each, e.g. Export("Linear", "snt_nets.linear:Linear").
    Export("Linear", "snt_nets.linear:Linear", kind="module"),
    Export("AddBias", "snt_nets.add_bias:AddBias", kind="module"),
    Export("BatchReshape", "snt_nets.batch_reshape:BatchReshape", kind="module"),
    Export("BatchFlatten", "snt_nets.batch_reshape:BatchFlatten", kind="module"),
    Export(
        "FlattenTrailingDimensions",
        "snt_nets.batch_reshape:FlattenTrailingDimensions",
        kind="module",
    ),
    Export("BatchApply", "snt_nets.batch_apply:BatchApply", kind="module"),
    Export("Sequential", "snt_nets.sequential:Sequential", kind="module"),
    Export("Residual", "snt_nets.residual:Residual", kind="module"),
    Export("merge_leading_dims", "snt_nets.leading_dims:merge_leading_dims", kind="function"),
    Export("split_leading_dim", "snt_nets.leading_dims:split_leading_dim", kind="function"),
    Export("Conv1D", "snt_nets.conv.conv_1d:Conv1D", kind="module"),
    Export("Conv2D", "snt_nets.conv.conv_2d:Conv2D", kind="module"),
    Export("Conv3D", "snt_nets.conv.conv_3d:Conv3D", kind="module"),
    Export("CausalConv1D", "snt_nets.conv.causal_conv_1d:CausalConv1D", kind="module"),
    Export("MLP", "snt_nets.nets.mlp:MLP", kind="module", namespace="nets"),
    Export("ConvNet2D", "snt_nets.nets.convnet:ConvNet2D", kind="module", namespace="nets"),
    Export("DepthwiseConv2D", "snt_nets.conv.depthwise_conv_2d:DepthwiseConv2D", kind="module"),
    Export("SeparableConv1D", "snt_nets.conv.separable_conv:SeparableConv1D", kind="module"),
    Export("SeparableConv2D", "snt_nets.conv.separable_conv:SeparableConv2D", kind="module"),
    Export("InPlaneConv2D", "snt_nets.conv.in_plane_conv_2d:InPlaneConv2D", kind="module"),
    Export("Embed", "snt_nets.embed:Embed", kind="module"),
    Export("LayerNorm", "snt_nets.layer_norm:LayerNorm", kind="module"),
    Export("BatchNorm", "snt_nets.batch_norm:BatchNorm", kind="module"),
    Export("BatchNormV2", "snt_nets.batch_norm_v2:BatchNormV2", kind="module"),
    Export("ConcatLinear", "snt_nets.concat_linear:ConcatLinear", kind="module"),
    Export("TrainableVariable", "snt_nets.trainable_variable:TrainableVariable", kind="module"),
    Export("SelectInput", "snt_nets.select_input:SelectInput", kind="module"),
    Export("MergeDims", "snt_nets.merge_dims:MergeDims", kind="module"),
    Export("SliceByDim", "snt_nets.slice_tile:SliceByDim", kind="module"),
    Export("TileByDim", "snt_nets.slice_tile:TileByDim", kind="module"),
    Export("calculate_bias_shape", "snt_nets.add_bias:calculate_bias_shape", kind="function"),
    # Networks and modules of Sonnet 1.36's other files (issue 17).
    Export("AlexNet", "snt_nets.nets.alexnet:AlexNet", kind="module", namespace="nets"),
    Export("AlexNetFull", "snt_nets.nets.alexnet:AlexNetFull", kind="module", namespace="nets"),
    Export("AlexNetMini", "snt_nets.nets.alexnet:AlexNetMini", kind="module", namespace="nets"),
    Export("Dilation", "snt_nets.nets.dilation:Dilation", kind="module", namespace="nets"),
    *(
        Export(name, f"snt_nets.nets.identity_kernels:{name}", kind="function", namespace="nets")
        for name in ("identity_kernel_initializer", "noisy_identity_kernel_initializer")
    ),
    Export("GridWarper", "snt_nets.grid_warper:GridWarper", kind="module"),
    Export("AffineGridWarper", "snt_nets.affine_grid_warper:AffineGridWarper", kind="module"),
    Export(
        "AffineWarpConstraints",
        "snt_nets.affine_warp_constraints:AffineWarpConstraints",
        kind="constant",
    ),
    Export("BlockTriangularMatrix", "snt_nets.block_matrix:BlockTriangularMatrix", kind="module"),
    Export("BlockDiagonalMatrix", "snt_nets.block_matrix:BlockDiagonalMatrix", kind="module"),
    Export("MovingAverage", "snt_nets.moving_average:MovingAverage", kind="module"),
    Export(
        "OptimizationConstraints",
        "snt_nets.optimization_constraints:OptimizationConstraints",
        kind="constant",
    ),
    Export(
        "get_lagrange_multiplier",
        "snt_nets.optimization_constraints:get_lagrange_multiplier",
        kind="function",
    ),
    *(
        Export(name, f"snt_nets.spectral_normalization:{name}", kind="function")
        for name in ("wrap_with_spectral_norm", "spectral_norm")
    ),
    Export(
        "SpectralNormWrapper", "snt_nets.spectral_normalization:SpectralNormWrapper", kind="module"
    ),
    # Attention, Transformers and vector quantizers (Sonnet 1's attention.py,
    # nets/transformer.py, nets/vqvae.py). snt.nets.transformer is the whole
    # file's namespace; its recurrent cores (TransformerXL, ...) come from snt-rnn.
    Export("AttentiveRead", "snt_nets.attention:AttentiveRead", kind="module"),
    Export("transformer", "snt_nets.nets:transformer", kind="constant", namespace="nets"),
    Export(
        "TransformerTower",
        "snt_nets.nets.transformer.tower:TransformerTower",
        kind="module",
        namespace="nets",
    ),
    Export(
        "future_mask",
        "snt_nets.nets.transformer.masks:future_mask",
        kind="function",
        namespace="nets",
    ),
    Export(
        "VectorQuantizer",
        "snt_nets.nets.vector_quantizer:VectorQuantizer",
        kind="module",
        namespace="nets",
    ),
    Export(
        "VectorQuantizerEMA",
        "snt_nets.nets.vector_quantizer_ema:VectorQuantizerEMA",
        kind="module",
        namespace="nets",
    ),
    # Sonnet 1's default-initializer helpers (the same in every file that had one).
    *(
        Export(name, f"snt_nets.initializers:{name}", kind="function")
        for name in (
            "create_linear_initializer",
            "create_weight_initializer",
            "create_bias_initializer",
            "create_beta_initializer",
            "create_gamma_initializer",
            "create_mean_initializer",
            "create_variance_initializer",
        )
    ),
]

_V1 = "sonnet.python.modules"
_CONV_CONSTANTS = (
    "SAME VALID FULL CAUSAL REVERSE_CAUSAL CONV_OP_ALLOWED_PADDINGS ALLOWED_PADDINGS "
    "CONSTANT_PADDING REFLECT_PADDING SYMMETRIC_PADDING ALLOWED_PADDING_VALUES "
    "DATA_FORMAT_NCW DATA_FORMAT_NWC SUPPORTED_1D_DATA_FORMATS DATA_FORMAT_NCHW "
    "DATA_FORMAT_NHWC SUPPORTED_2D_DATA_FORMATS DATA_FORMAT_NDHWC DATA_FORMAT_NCDHW "
    "SUPPORTED_3D_DATA_FORMATS "
)
_BN_INITIALIZERS = "create_beta_initializer create_gamma_initializer "

#: Sonnet 1's import paths of these names (``sonnet.python.modules.basic.Linear``).
_NETS_NEW = (
    "nets.AlexNet nets.AlexNetFull nets.AlexNetMini nets.Dilation "
    "nets.identity_kernel_initializer nets.noisy_identity_kernel_initializer "
    "nets.TransformerTower nets.future_mask nets.VectorQuantizer nets.VectorQuantizerEMA"
)

LEGACY: list[LegacyPath] = [
    LegacyPath(
        f"{_V1}.basic",
        "merge_leading_dims split_leading_dim create_linear_initializer create_bias_initializer "
        "Linear ConcatLinear calculate_bias_shape AddBias BatchReshape BatchFlatten "
        "FlattenTrailingDimensions TrainableVariable BatchApply SliceByDim TileByDim MergeDims "
        "SelectInput",
    ),
    LegacyPath(f"{_V1}.sequential", "Sequential"),
    LegacyPath(f"{_V1}.embed", "Embed"),
    LegacyPath(f"{_V1}.layer_norm", "LayerNorm " + _BN_INITIALIZERS),
    *(
        LegacyPath(
            f"{_V1}.{file}",
            f"{name} {_BN_INITIALIZERS} create_mean_initializer create_variance_initializer",
        )
        for file, name in (("batch_norm", "BatchNorm"), ("batch_norm_v2", "BatchNormV2"))
    ),
    LegacyPath(
        f"{_V1}.conv",
        _CONV_CONSTANTS + "create_weight_initializer create_bias_initializer Conv1D CausalConv1D "
        "Conv2D Conv3D InPlaneConv2D DepthwiseConv2D SeparableConv2D SeparableConv1D",
    ),
    # A Sonnet 1 internal that client code (and Sonnet 1's tests) read.
    LegacyPath(
        f"{_V1}.conv",
        {  # Sonnet 1 internals that client code (and Sonnet 1's tests) read
            f"_{name}": f"snt_nets.conv_utils:{name}"
            for name in ("fill_shape", "fill_and_verify_parameter_shape", "default_transpose_size")
        },
    ),
    LegacyPath(f"{_V1}.spatial_transformer", "GridWarper AffineGridWarper AffineWarpConstraints"),
    LegacyPath(f"{_V1}.block_matrix", "BlockTriangularMatrix BlockDiagonalMatrix"),
    LegacyPath(f"{_V1}.moving_average", "MovingAverage"),
    LegacyPath(
        f"{_V1}.moving_average",
        {"_pass_through_gradients": "snt_nets.moving_average:_pass_through_gradients"},
    ),
    # Sonnet 1 code and tests patch this file's internals: the path is the module itself.
    LegacyPath(f"{_V1}.optimization_constraints", module="snt_nets.optimization_constraints"),
    LegacyPath(
        f"{_V1}.spectral_normalization", "wrap_with_spectral_norm spectral_norm SpectralNormWrapper"
    ),
    LegacyPath(f"{_V1}.residual", "Residual"),
    LegacyPath(f"{_V1}.attention", "AttentiveRead"),
    LegacyPath(f"{_V1}.attention", {"AttentionOutput": "snt_nets.attention:AttentionOutput"}),
    LegacyPath(f"{_V1}.nets", "nets.MLP nets.ConvNet2D " + _NETS_NEW),
    # The whole file's namespace (its recurrent cores come from snt-rnn through snt).
    LegacyPath(f"{_V1}.nets.transformer", module="snt_nets.nets.transformer"),
    LegacyPath(f"{_V1}.nets.vqvae", "nets.VectorQuantizer nets.VectorQuantizerEMA"),
    LegacyPath(f"{_V1}.nets.alexnet", "nets.AlexNet nets.AlexNetFull nets.AlexNetMini"),
    LegacyPath(
        f"{_V1}.nets.dilation",
        "nets.Dilation nets.identity_kernel_initializer nets.noisy_identity_kernel_initializer",
    ),
    LegacyPath(
        f"{_V1}.nets.dilation",
        {"_range_along_dimension": "snt_nets.nets.identity_kernels:_range_along_dimension"},
    ),
    LegacyPath(f"{_V1}.nets.mlp", "nets.MLP"),
    LegacyPath(
        f"{_V1}.nets.convnet",
        "nets.ConvNet2D DATA_FORMAT_NCHW DATA_FORMAT_NHWC SUPPORTED_2D_DATA_FORMATS",
    ),
]


@hookimpl
def snt_exports() -> list[Export]:
    """Returns snt-nets' exports (see ``EXPORTS``)."""
    return EXPORTS


@hookimpl
def snt_legacy_paths() -> list[LegacyPath]:
    """Returns where Sonnet 1 code imports these names from (see ``LEGACY``)."""
    return LEGACY


@hookimpl
def snt_conformance_cases() -> list[ConformanceCase]:
    """Hands snt-nets' modules to core's conformance suite (imports TensorFlow)."""
    from snt_nets import _conformance

    return _conformance.cases()
