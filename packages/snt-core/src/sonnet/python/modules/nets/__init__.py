"""Sonnet 1's ``nets`` package: ``MLP``, ``ConvNet2D`` (snt-nets) and
``ConvNet2DTranspose`` (snt-transpose), resolved on use."""

from sonnet.python._legacy import lazy_names
from sonnet.python.modules.nets import convnet, mlp  # noqa: F401

__getattr__, __dir__, __all__ = lazy_names(
    __name__,
    "nets/__init__.py",
    "",
    {
        "MLP": "nets.MLP",
        "ConvNet2D": "nets.ConvNet2D",
        "ConvNet2DTranspose": "nets.ConvNet2DTranspose",
    },
)
