"""The records the Transformer modules pass around (Sonnet 1's names and fields)."""

from __future__ import annotations

import collections

#: What :class:`MultiheadAttention` computed for one connection: ``queries``
#: ``[B, H, L, K]``, ``keys`` ``[B, H, M + N, K]``, ``values`` ``[B, H, M + N, V]``,
#: the content ``logits`` and the softmax ``weights`` ``[B, H, L, M + N]``, the
#: ``embeddings`` it attended from (its ``inputs``, ``[B, N, D]``) and the
#: ``read_words`` it returned ``[B, L, H * V]``.
AttentionState = collections.namedtuple(
    "AttentionState",
    ("queries", "keys", "values", "logits", "weights", "embeddings", "read_words"),
)

#: One layer's memory in a Compressive Transformer: the recent activations
#: (``episodic_memory`` ``[B, M, D]``), their compressed predecessors
#: (``compressed_memory`` ``[B, C, D]``) and the step counter ``index`` ``[B, 1]``.
CompressedMemoryState = collections.namedtuple(
    "CompressedMemoryState", ("episodic_memory", "compressed_memory", "index")
)
