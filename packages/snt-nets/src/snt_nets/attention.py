"""AttentiveRead: a soft, content-based read from a memory of embeddings."""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils
from snt_nets.batch_apply import BatchApply

#: What :class:`AttentiveRead` returns: the weighted sum of the memory slots
#: (``read``, ``[batch, memory_word_size]``), the softmax weights
#: (``weights``, ``[batch, memory_size]``) and their logits (``weight_logits``).
AttentionOutput = collections.namedtuple("AttentionOutput", ["read", "weights", "weight_logits"])


class AttentiveRead(snt.AbstractModule):
    """Reads a softmax-weighted sum of memory slots, scored against a query.

    Each slot ``memory[b, i]`` is concatenated with ``query[b]`` and scored by
    ``attention_logit_mod`` (applied to all ``batch * memory_size`` pairs at
    once through ``snt.BatchApply``); the softmax of the scores over the slots
    weights the read. Slots where ``memory_mask`` is False get the lowest
    representable logit, so they receive no weight.

    Example:
      >>> read = snt.AttentiveRead(snt.Linear(1))
      >>> out = read(tf.ones([2, 5, 3]), tf.ones([2, 4]))
      >>> out.read.shape, out.weights.shape
      (TensorShape([2, 3]), TensorShape([2, 5]))

    Args:
      attention_logit_mod: a module or callable mapping a
        ``[batch * memory_size, memory_word_size + query_word_size]`` tensor to
        ``[batch * memory_size, 1]`` logits (``snt.Linear(1)``, an MLP ending
        in one unit, ...).
      name: module name.

    Raises:
      TypeError: ``attention_logit_mod`` is not callable.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"memory": "float", "query": "float", "memory_mask": "tensor"}

    def __init__(
        self, attention_logit_mod: Callable[[tf.Tensor], tf.Tensor], name: str = "attention"
    ):
        super().__init__(name=name)
        if not callable(attention_logit_mod):
            raise TypeError(
                f"{self.scope_name}: attention_logit_mod must be a module or callable; got "
                f"{type(attention_logit_mod).__name__}."
            )
        self._attention_logit_mod = attention_logit_mod

    def _build(
        self, memory: tf.Tensor, query: tf.Tensor, memory_mask: tf.Tensor | None = None
    ) -> AttentionOutput:
        """Reads from ``memory`` with weights scored against ``query``.

        Args:
          memory: ``[batch, memory_size, memory_word_size]`` float tensor.
          query: ``[batch, query_word_size]`` float tensor.
          memory_mask: optional ``[batch, memory_size]`` bool tensor; False
            slots are left out of the read. Every example needs at least one
            True slot (checked when the graph runs: ``InvalidArgumentError``).

        Returns:
          An :data:`AttentionOutput` ``(read, weights, weight_logits)``.

        Raises:
          IncompatibleShapeError: ``memory``, ``query`` or ``memory_mask`` has
            the wrong rank, or ``attention_logit_mod`` does not return one
            logit per slot.
          UnderspecifiedError: ``memory_word_size`` or ``query_word_size`` is
            not known when the graph is built.
        """
        memory = tf.convert_to_tensor(memory)
        query = tf.convert_to_tensor(query)
        memory_shape = self._check_rank(
            memory, 3, "memory", "[batch_size, memory_size, memory_word_size]"
        )
        query_shape = self._check_rank(query, 2, "query", "[batch_size, query_word_size]")
        if memory_mask is not None:
            memory_mask = tf.convert_to_tensor(memory_mask)
            self._check_rank(memory_mask, 2, "memory_mask", "[batch_size, memory_size]")
        if memory_shape[2] is None or query_shape[1] is None:
            raise snt.UnderspecifiedError(
                f"{self.scope_name}: memory_word_size and query_word_size must be known at graph "
                f"construction time; got memory {_utils.format_shape(memory_shape)} and query "
                f"{_utils.format_shape(query_shape)}."
            )

        batch_size, memory_size = tf.shape(memory)[0], tf.shape(memory)[1]
        same_batch = tf.debugging.assert_equal(
            batch_size,
            tf.shape(query)[0],
            message=f"{self.scope_name}: memory and query must have the same batch size",
        )
        with tf.control_dependencies([same_batch]):
            tiled_query = tf.tile(query[:, tf.newaxis, :], tf.stack([1, memory_size, 1]))
            pairs = tf.concat([memory, tiled_query], axis=2)
        score = BatchApply(self._attention_logit_mod, n_dims=2, name="batch_apply_attention_logit")
        logits = score(pairs)
        logits_shape = _utils.static_shape(logits)
        if len(logits_shape) != 3 or logits_shape[2] not in (1, None):
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: attention_logit_mod must return [batch_size * memory_size, 1] "
                "logits (one per memory slot), so that the attention_weight_logits are a rank-3 "
                f"Tensor [batch_size, memory_size, 1]; got {_utils.format_shape(logits_shape)}."
            )
        logits = tf.squeeze(logits, [2])
        if memory_mask is not None:
            logits = self._mask_logits(logits, memory_mask)

        weights = tf.nn.softmax(logits)
        read = tf.reduce_sum(memory * weights[:, :, tf.newaxis], axis=1)
        read.set_shape([memory_shape[0], memory_shape[2]])
        return AttentionOutput(read=read, weights=weights, weight_logits=logits)

    def _check_rank(
        self, tensor: Any, rank: int, what: str, expected: str
    ) -> tuple[int | None, ...]:
        shape = tensor.shape
        if shape.rank != rank:
            got = "unknown rank" if shape.rank is None else _utils.format_shape(shape.as_list())
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: {what} must have shape {expected}; got {got}."
            )
        return tuple(shape.as_list())

    def _mask_logits(self, logits: tf.Tensor, memory_mask: tf.Tensor) -> tf.Tensor:
        """Gives masked slots the lowest finite logit; each example must keep one slot."""
        kept = tf.reduce_sum(tf.cast(memory_mask, tf.int32), axis=1)
        some_kept = tf.debugging.assert_positive(
            kept,
            message=f"{self.scope_name}: every example needs at least one unmasked memory slot",
        )
        with tf.control_dependencies([some_kept]):
            lowest = tf.fill(tf.shape(logits), tf.constant(logits.dtype.min, logits.dtype))
            return tf.where(tf.cast(memory_mask, tf.bool), logits, lowest)
