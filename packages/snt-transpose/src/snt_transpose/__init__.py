"""snt-transpose: transposed convolutions for Sonnet.

Adds ``snt.Conv1DTranspose``, ``snt.Conv2DTranspose``, ``snt.Conv3DTranspose``
and ``snt.nets.ConvNet2DTranspose`` through the ``sonnet`` entry point, and with
them the ``transpose()`` round trip of snt-nets' convolutions. Use the modules
through ``snt``; importing this package directly is not needed.
"""

from snt_transpose._version import __version__

__all__ = ["__version__"]
