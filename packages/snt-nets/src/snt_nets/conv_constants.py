"""Padding modes and data formats of Sonnet 1's convolution modules.

These are ``snt.SAME``, ``snt.DATA_FORMAT_NHWC`` and friends. The values are the
strings TensorFlow's ops take; the sets list what each module family accepts.
This module does not import TensorFlow.

Part of snt-nets' public, versioned API for other plugins (snt-rnn and
snt-transpose build on it; see the README's "Public modules"): the names in
``__all__`` keep their values within a minor release.
"""

from __future__ import annotations

__all__ = [
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
    "SUPPORTED_1D_DATA_FORMATS",
    "DATA_FORMAT_NCHW",
    "DATA_FORMAT_NHWC",
    "SUPPORTED_2D_DATA_FORMATS",
    "DATA_FORMAT_NDHWC",
    "DATA_FORMAT_NCDHW",
    "SUPPORTED_3D_DATA_FORMATS",
]

# Padding modes: how the input is padded before the convolution.
SAME = "SAME"
VALID = "VALID"
FULL = "FULL"
CAUSAL = "CAUSAL"
REVERSE_CAUSAL = "REVERSE_CAUSAL"
#: The paddings TensorFlow's conv ops accept directly; the others are done by padding first.
CONV_OP_ALLOWED_PADDINGS = frozenset({SAME, VALID})
ALLOWED_PADDINGS = frozenset({SAME, VALID, FULL, CAUSAL, REVERSE_CAUSAL})

# Padding values: what the padded border is filled with (``tf.pad`` modes).
CONSTANT_PADDING = "CONSTANT"
REFLECT_PADDING = "REFLECT"
SYMMETRIC_PADDING = "SYMMETRIC"
ALLOWED_PADDING_VALUES = frozenset({CONSTANT_PADDING, REFLECT_PADDING, SYMMETRIC_PADDING})

# Data formats: where the channel dimension is (N = batch, C = channels).
DATA_FORMAT_NCW = "NCW"
DATA_FORMAT_NWC = "NWC"
SUPPORTED_1D_DATA_FORMATS = frozenset({DATA_FORMAT_NCW, DATA_FORMAT_NWC})

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"
SUPPORTED_2D_DATA_FORMATS = frozenset({DATA_FORMAT_NCHW, DATA_FORMAT_NHWC})

DATA_FORMAT_NDHWC = "NDHWC"
DATA_FORMAT_NCDHW = "NCDHW"
SUPPORTED_3D_DATA_FORMATS = frozenset({DATA_FORMAT_NDHWC, DATA_FORMAT_NCDHW})
