"""Sonnet 1's ``conv.py``: modules and constants provided by snt-nets (the
transposed convolutions by snt-transpose), resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__,
    "conv.py",
    "SAME VALID FULL CAUSAL REVERSE_CAUSAL CONV_OP_ALLOWED_PADDINGS ALLOWED_PADDINGS "
    "CONSTANT_PADDING REFLECT_PADDING SYMMETRIC_PADDING ALLOWED_PADDING_VALUES "
    "DATA_FORMAT_NCW DATA_FORMAT_NWC SUPPORTED_1D_DATA_FORMATS DATA_FORMAT_NCHW "
    "DATA_FORMAT_NHWC SUPPORTED_2D_DATA_FORMATS DATA_FORMAT_NDHWC DATA_FORMAT_NCDHW "
    "SUPPORTED_3D_DATA_FORMATS create_weight_initializer create_bias_initializer "
    "Conv1D Conv1DTranspose CausalConv1D Conv2D Conv2DTranspose Conv3D Conv3DTranspose "
    "InPlaneConv2D DepthwiseConv2D SeparableConv2D SeparableConv1D",
)
