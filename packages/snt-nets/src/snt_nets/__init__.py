"""snt-nets: Sonnet 1's basic modules (Linear, Conv, norms, MLP, ...) as a plugin.

The modules are used through the ``snt`` namespace (``snt.Linear``,
``snt.nets.MLP``): the ``sonnet`` entry point of this distribution points at
:mod:`snt_nets._plugin`, which lists them lazily. Importing this package does
not import TensorFlow; the implementation modules (``snt_nets.linear``, ...)
do.
"""

from snt_nets._version import __version__

__all__ = ["__version__"]
