"""Sonnet 1's import paths (``sonnet.python.modules.basic``, ``sonnet.python.ops.nest``, ...).

This package is a thin compatibility layer, not a second implementation:

- names snt-core defines are re-exported from ``sonnet``;
- names plugins define (``basic.Linear`` from snt-nets, ``gated_rnn.LSTM``
  from snt-rnn, ...) are looked up on ``sonnet`` through the plugin registry
  when first used (PEP 562 module ``__getattr__``), so importing any of these
  modules never loads a plugin, and a name whose plugin is missing fails on
  use with the registry's "provided by snt-xxx" message.

The objects are the same: ``sonnet.python.modules.basic.Linear is snt.Linear``.
"""
