"""Sonnet 1's ``sonnet.python.modules`` package: one legacy module per Sonnet 1 file.

Import them as Sonnet 1 code did (``from sonnet.python.modules import basic,
gated_rnn, util``). Core files (``base``, ``base_errors``, ``util``,
``clip_gradient``, ``scale_gradient``) re-export snt-core names; the others
resolve their names through the plugin registry on use. See
:mod:`sonnet.python`.
"""
