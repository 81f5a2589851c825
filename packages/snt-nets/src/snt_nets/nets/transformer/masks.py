"""Additive attention masks: keep each position from looking at later ones."""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

from snt_nets.nets.transformer.states import CompressedMemoryState

#: What a masked logit gets added: small enough that its softmax weight is 0.
MASKED = -1e6


def future_mask(chunk_size: int, dtype: Any) -> tf.Tensor:
    """A ``[1, 1, chunk_size, chunk_size]`` mask hiding later positions from earlier ones.

    Entry ``[0, 0, i, j]`` is ``-1e6`` where ``j > i`` and 0 elsewhere, so adding it
    to ``[B, H, N, N]`` attention logits leaves position ``i`` attending to
    ``0..i`` only (itself included).

    Example:
      >>> logits = tf.zeros([1, 1, 3, 3]) + snt.nets.future_mask(3, tf.float32)
      >>> tf.nn.softmax(logits)[0, 0, 1].numpy()  # position 1 sees 0 and 1
      array([0.5, 0.5, 0. ], dtype=float32)

    Args:
      chunk_size: the sequence length ``N`` (a Python int).
      dtype: the mask's dtype (that of the logits).

    Returns:
      The mask tensor.
    """
    later = np.triu(np.ones([1, 1, chunk_size, chunk_size], dtype=bool), k=1)
    return tf.constant(np.where(later, MASKED, 0.0), dtype=dtype)


def memory_size(state: Any) -> int:
    """How many memory slots ``state`` holds (episodic plus compressed for a
    :data:`CompressedMemoryState`, else the second dimension of the tensor)."""
    if isinstance(state, CompressedMemoryState):
        return memory_size(state.episodic_memory) + memory_size(state.compressed_memory)
    return tf.TensorShape(state.shape).as_list()[1]


def create_mask(inputs: tf.Tensor, state: Any, equal_window: bool) -> tf.Tensor:
    """The causal mask for ``inputs`` ``[B, N, D]`` attending over a memory and themselves.

    Every position may see the whole memory (``M`` slots before the sequence)
    and the sequence up to itself. With ``equal_window``, position ``i`` also
    loses sight of the ``i`` oldest slots, so that (with ``M >= N``) every
    position attends to the same number ``M + 1`` of slots. Without a memory
    that leaves each position attending to itself only.

    Args:
      inputs: the sequence ``[B, N, D]`` (``N`` must be known).
      state: None, a memory tensor ``[B, M, D]``, a
        :data:`CompressedMemoryState`, or a list of those, one per layer (the
        largest memory sets ``M``).
      equal_window: whether to apply the equal-length window.

    Returns:
      A float tensor ``[1, 1, N, M + N]`` to add to attention logits.
    """
    chunk_size = tf.TensorShape(inputs.shape).as_list()[1]
    dtype = inputs.dtype
    mask = future_mask(chunk_size, dtype)
    if state is not None:
        if isinstance(state, (tuple, list)) and not isinstance(state, CompressedMemoryState):
            state = state[int(np.argmax([memory_size(s) for s in state]))]
        mem = memory_size(state)
        mask = tf.concat([tf.zeros([1, 1, chunk_size, mem], dtype=dtype), mask], axis=3)
    if equal_window:
        earlier = np.tril(np.ones([1, 1, chunk_size, chunk_size], dtype=bool), k=-1)
        window = tf.constant(np.where(earlier, MASKED, 0.0), dtype=dtype)
        # Sonnet 1 adds the window to the first N columns (the oldest slots).
        mask = tf.concat([mask[:, :, :, :chunk_size] + window, mask[:, :, :, chunk_size:]], axis=3)
    return mask
