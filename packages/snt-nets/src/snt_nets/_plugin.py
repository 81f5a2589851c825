"""The ``sonnet`` entry point of snt-nets: the names it adds to ``snt``.

This module must stay light: it imports neither TensorFlow nor the modules it
lists. Targets are ``"module:attr"`` strings, imported on first use. To export a
new module, append a row, e.g. ``Export("Linear", "snt_nets.linear:Linear")`` or
``Export("MLP", "snt_nets.nets.mlp:MLP", namespace="nets")`` for ``snt.nets.MLP``.
"""

from __future__ import annotations

from sonnet import hookimpl
from sonnet.plugins import ConformanceCase, Export

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


@hookimpl
def snt_exports() -> list[Export]:
    """Returns snt-nets' exports (see ``EXPORTS``)."""
    return EXPORTS


@hookimpl
def snt_conformance_cases() -> list[ConformanceCase]:
    """Hands snt-nets' modules to core's conformance suite (imports TensorFlow)."""
    from snt_nets import _conformance

    return _conformance.cases()
