"""Transformer networks: ``snt.nets.transformer`` (Sonnet 1's ``nets/transformer.py``).

The feed-forward parts live here (snt-nets); the recurrent cores built on
them come from the snt-rnn package and are handed out here too
(``snt.nets.transformer.TransformerXL`` is ``snt.nets.TransformerXL``).

* modules: ``MultiheadAttention``, ``ResidualDropoutWrapper``,
  ``TransformerTower`` (also ``snt.nets.TransformerTower``), the memory
  compressors ``ConvCompressor`` and ``PoolCompressor``; from snt-rnn,
  ``TransformerXL`` and ``CompressiveTransformer``;
* functions: ``future_mask`` (also ``snt.nets.future_mask``), ``create_mask``,
  ``get_position_encodings``, ``rel_shift``, ``simple_attention``,
  ``default_mlp``;
* records: ``AttentionState``, ``CompressedMemoryState``.

Example:
  >>> attend = snt.nets.transformer.MultiheadAttention(value_size=4, key_size=4, num_heads=2)
  >>> output, state = attend(tf.ones([3, 5, 8]))
"""

from __future__ import annotations

from typing import Any

from snt_nets.nets.transformer.blocks import ResidualDropoutWrapper, default_mlp
from snt_nets.nets.transformer.compressors import ConvCompressor, PoolCompressor
from snt_nets.nets.transformer.masks import create_mask, future_mask
from snt_nets.nets.transformer.multihead_attention import MultiheadAttention, simple_attention
from snt_nets.nets.transformer.positions import get_position_encodings, rel_shift
from snt_nets.nets.transformer.states import AttentionState, CompressedMemoryState
from snt_nets.nets.transformer.tower import TransformerTower

#: Sonnet 1 names of this file that snt-rnn provides (RNN cores).
_RECURRENT = ("TransformerXL", "CompressiveTransformer")

__all__ = [
    "AttentionState",
    "CompressedMemoryState",
    "CompressiveTransformer",
    "ConvCompressor",
    "MultiheadAttention",
    "PoolCompressor",
    "ResidualDropoutWrapper",
    "TransformerTower",
    "TransformerXL",
    "create_mask",
    "default_mlp",
    "future_mask",
    "get_position_encodings",
    "rel_shift",
    "simple_attention",
]


def __getattr__(name: str) -> Any:
    """Resolves the recurrent Transformers through the registry (``snt.nets.<name>``)."""
    if name in _RECURRENT:
        import sonnet as snt

        return getattr(snt.nets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_RECURRENT))
