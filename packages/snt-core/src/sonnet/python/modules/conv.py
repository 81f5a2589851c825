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

# TEMP legacy alias (issue 16, conv helper): Sonnet 1 private helpers that tests and
# client code read, resolved from snt-nets on use. The lead replaces this with the
# plugins' declared legacy names.
_TEMP_PRIVATE = {
    "_fill_shape": ("snt_nets.conv_utils", "fill_shape"),
    "_fill_and_verify_parameter_shape": (
        "snt_nets.conv_utils",
        "fill_and_verify_parameter_shape",
    ),
    "_default_transpose_size": ("snt_nets.conv_utils", "default_transpose_size"),
}
_public_getattr = __getattr__


def __getattr__(name):  # noqa: F811
    if name in _TEMP_PRIVATE:
        import importlib

        module, attr = _TEMP_PRIVATE[name]
        return getattr(importlib.import_module(module), attr)
    return _public_getattr(name)
