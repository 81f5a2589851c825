"""Sonnet 1's ``nets/convnet.py``: provided by snt-nets (the transpose by
snt-transpose), resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__,
    "nets/convnet.py",
    "DATA_FORMAT_NCHW DATA_FORMAT_NHWC SUPPORTED_2D_DATA_FORMATS",
    {"ConvNet2D": "nets.ConvNet2D", "ConvNet2DTranspose": "nets.ConvNet2DTranspose"},
)
