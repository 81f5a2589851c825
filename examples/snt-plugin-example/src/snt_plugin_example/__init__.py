"""Example third-party Sonnet plugin adding ``snt.contrib.GatedLinearUnit``.

Kept light on purpose: loading the entry point imports this package first, and
it must not import TensorFlow. Use the module as ``snt.contrib.GatedLinearUnit``
(resolved lazily by snt-core) or import it from
``snt_plugin_example.gated_linear_unit``.
"""

from snt_plugin_example._version import __version__

__all__ = ["__version__"]
