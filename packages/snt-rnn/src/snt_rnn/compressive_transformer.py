"""CompressiveTransformer: TransformerXL plus a compressed memory of older activations."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets.nets.transformer import ConvCompressor  # the default, from the public module
from snt_rnn.rnn_core import RNNCore
from snt_rnn.transformer_xl import TowerSizes, as_sequence, check_size, embed_inputs

#: Where the compression loss goes (in graph mode), as in Sonnet 1.
AUXILIARY_LOSSES = "auxiliary_losses"
#: Where the per-layer statistics go with ``export_stats`` (in graph mode).
STATS_EXPORT = "stats_export"


def _append_and_keep(memory: tf.Tensor, new: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """``(the last len(memory) slots of memory + new, memory + new)``."""
    size = tf.TensorShape(memory.shape).as_list()[1]
    joined = tf.concat([memory, new], axis=1)
    total = tf.TensorShape(joined.shape).as_list()[1]
    if total is not None:
        return joined[:, total - size :], joined
    kept = joined[:, tf.shape(joined)[1] - size :]
    kept.set_shape([None, size, *joined.shape[2:]])
    return kept, joined


def _bucket_sizes(size: int, n_buckets: int) -> list[int]:
    """``n_buckets`` sizes summing to ``size``: equal ones, the remainder in the last."""
    part = size // n_buckets
    return [part] * (n_buckets - 1) + [size - part * (n_buckets - 1)]


def average_attention(
    weights: tf.Tensor,
    compressed_size: int,
    episodic_size: int,
    chunk_size: int,
    n_buckets: int = 6,
) -> tuple[list[str], list[tf.Tensor]]:
    """The attention each part of the window gets, averaged over batch, heads and queries.

    The window (compressed memory, episodic memory, sequence) is cut into
    ``n_buckets`` time buckets per part; names are ``cm_p<i>``, ``em_p<i>``
    and ``seq_p<i>`` (higher ``i`` is more recent).
    """
    names, sizes = [], []
    for prefix, size in (("cm", compressed_size), ("em", episodic_size), ("seq", chunk_size)):
        if size > 0 or prefix == "seq":
            names += [f"{prefix}_p{i}" for i in range(n_buckets)]
            sizes += _bucket_sizes(size, n_buckets)
    average = tf.reduce_mean(weights, axis=[0, 1, 2])
    return names, [tf.reduce_sum(part) for part in tf.split(average, sizes)]


class CompressiveTransformer(RNNCore):
    """A Transformer with an episodic memory and a compressed memory (Rae et al. 2019).

    Like ``snt.nets.TransformerXL``, each layer keeps its last
    ``episodic_memory_size`` activations; the activations leaving that memory
    are compressed (``compression_ctor``, by default
    ``snt.nets.transformer.ConvCompressor`` with ``compression_rate``) into a
    compressed memory of ``compressed_memory_size`` slots, which the layers
    attend over too (https://arxiv.org/abs/1911.05507). The compressors'
    auxiliary loss, averaged over the layers, is added to the graph collection
    ``"auxiliary_losses"`` on training connections (graph mode and
    ``tf.function``; eagerly there are no collections).

    With ``chunk_size = 1`` or single steps (``chunk_size = 0``), a layer
    compresses only on every ``compression_rate``-th step (from its state's
    ``index``). The state is a tuple of one
    ``snt.nets.transformer.CompressedMemoryState`` per layer.

    Example:
      >>> config = dict(value_size=4, num_heads=2, num_layers=2, mlp_hidden_sizes=[16])
      >>> core = snt.nets.CompressiveTransformer(
      ...     config, chunk_size=4, episodic_memory_size=4, compressed_memory_size=2)
      >>> state = core.initial_state(batch_size=2)
      >>> output, state = core(tf.ones([2, 4, 5]), state, is_training=False)
      >>> output.shape, state[0].compressed_memory.shape
      (TensorShape([2, 4, 8]), TensorShape([2, 2, 8]))

    Args:
      core_config: the ``snt.nets.TransformerTower`` arguments.
      chunk_size: the length of the input chunks, or 0 for single steps.
      episodic_memory_size: the episodic (TransformerXL) memory size.
      compressed_memory_size: the compressed memory size.
      compression_rate: how many episodic slots make one compressed slot.
      compression_ctor: builds the compressor of each layer; called with
        ``compression_config`` plus ``compression_rate``,
        ``compressed_memory_size`` and ``episodic_memory_size``.
      compression_config: more compressor arguments (e.g. ``kernel_size``,
        ``loss``).
      export_stats: add per-layer compression losses and attention shares to
        the ``"stats_export"`` collection.
      name: module name.

    Raises:
      TypeError: ``core_config`` is not a dict, a size is not an int, or
        ``compression_ctor`` is not callable.
      KeyError: ``core_config`` lacks a required argument.
      ValueError: a negative size, or ``compression_rate < 1``.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    def __init__(
        self,
        core_config: Mapping[str, Any],
        chunk_size: int,
        episodic_memory_size: int,
        compressed_memory_size: int,
        compression_rate: int = 2,
        compression_ctor: Callable[..., Any] = ConvCompressor,
        compression_config: Mapping[str, Any] | None = None,
        export_stats: bool = False,
        name: str = "compressive_transformer",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        self._core_config = dict(core_config) if isinstance(core_config, Mapping) else core_config
        self._sizes = TowerSizes.of(where, core_config)
        self._chunk_size = check_size(where, "chunk_size", chunk_size)
        self._episodic_memory_size = check_size(where, "episodic_memory_size", episodic_memory_size)
        self._compressed_memory_size = check_size(
            where, "compressed_memory_size", compressed_memory_size
        )
        if check_size(where, "compression_rate", compression_rate) < 1:
            raise ValueError(f"{where}: compression_rate must be >= 1; got {compression_rate}.")
        if not callable(compression_ctor):
            raise TypeError(
                f"{where}: compression_ctor must be callable; got "
                f"{type(compression_ctor).__name__}."
            )
        self._compression_rate = compression_rate
        self._compression_ctor = compression_ctor
        self._compression_config = {
            **dict(compression_config or {}),
            "compression_rate": compression_rate,
            "compressed_memory_size": self._compressed_memory_size,
            "episodic_memory_size": self._episodic_memory_size,
        }
        self._export_stats = export_stats

    def _build(
        self, inputs: tf.Tensor, prev_state: Any, is_training: bool = True
    ) -> tuple[tf.Tensor, tuple[Any, ...]]:
        """One chunk (or step) of the core.

        Args:
          inputs: ``[B, chunk_size, D]``, or ``[B, D]`` for single steps.
          prev_state: ``num_layers`` ``CompressedMemoryState`` records.
          is_training: a Python bool: dropout, and the compression loss goes
            to the ``"auxiliary_losses"`` collection.

        Returns:
          ``(output, next_state)``.

        Raises:
          IncompatibleShapeError: inputs of the wrong rank, or a state with
            the wrong number of layers.
        """
        sequence = as_sequence(self.scope_name, inputs)
        chunk_size = tf.TensorShape(sequence.shape).as_list()[1]
        num_layers = self._sizes.num_layers
        if len(prev_state) != num_layers:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: prev_state must hold one CompressedMemoryState per layer "
                f"({num_layers}); got {len(prev_state)}."
            )
        embedded = embed_inputs(self._sizes, sequence, is_training)
        tower = snt.nets.TransformerTower(**self._core_config)
        has_memory = self._episodic_memory_size > 0
        output, attention_states = tower(
            embedded, state=prev_state if has_memory else None, is_training=is_training
        )
        # How many of the oldest slots (episodic memory, then sequence) to compress.
        smallest = self._compression_rate + self._compression_config.get("kernel_size", 0)
        to_compress = min(max(smallest, chunk_size), chunk_size + self._episodic_memory_size - 1)

        next_state, losses, stats = [], [], {}
        for i, (state, attention) in enumerate(zip(prev_state, attention_states, strict=True)):
            episodic, joined = _append_and_keep(state.episodic_memory, attention.embeddings)
            compressor = self._compression_ctor(**self._compression_config)
            new_compressed, loss = compressor(
                joined[:, :to_compress],
                attention_state=attention,
                attention_module=tower.attention_module(i),
                is_training=is_training,
                dropout_keep_prob=1.0 - self._sizes.dropout_rate,
            )
            compressed, _ = _append_and_keep(state.compressed_memory, new_compressed)
            if chunk_size <= 1:  # single steps compress every compression_rate-th step
                due = tf.equal(
                    state.index[0, 0] % self._compression_rate, self._compression_rate - 1
                )
                compressed = tf.where(due, compressed, state.compressed_memory)
                loss = tf.where(due, loss, tf.zeros_like(loss))
            losses.append(loss)
            next_state.append(
                snt.nets.transformer.CompressedMemoryState(
                    episodic_memory=episodic, compressed_memory=compressed, index=state.index + 1
                )
            )
            if self._export_stats:
                stats[f"compression_loss_l{i:02d}"] = loss
                names, shares = self._attention_shares(attention, chunk_size, has_memory)
                stats.update({f"{n}_l{i:02d}": s for n, s in zip(names, shares, strict=True)})
                for name, share in zip(names, shares, strict=True):
                    stats[name] = stats.get(name, 0.0) + share / num_layers

        compression_loss = tf.add_n(losses) / tf.cast(num_layers, embedded.dtype)
        if not tf.executing_eagerly():
            if is_training:
                tf.compat.v1.add_to_collection(AUXILIARY_LOSSES, compression_loss)
            if self._export_stats:
                tf.compat.v1.add_to_collection(STATS_EXPORT, stats)
        if self._chunk_size == 0:  # single steps: drop the time axis again
            output = tf.squeeze(output, 1)
        return output, tuple(next_state)

    def _attention_shares(
        self, attention: Any, chunk_size: int, has_memory: bool
    ) -> tuple[list[str], list[tf.Tensor]]:
        compressed = self._compressed_memory_size if has_memory else 0
        episodic = self._episodic_memory_size if has_memory else 0
        return average_attention(attention.weights, compressed, episodic, chunk_size)

    @property
    def state_size(self) -> tuple[Any, ...]:
        """One ``CompressedMemoryState`` of shapes per layer (``index`` is ``[1]``)."""
        width = self._sizes.embedding_size
        per_layer = snt.nets.transformer.CompressedMemoryState(
            episodic_memory=tf.TensorShape([self._episodic_memory_size, width]),
            compressed_memory=tf.TensorShape([self._compressed_memory_size, width]),
            index=tf.TensorShape([1]),
        )
        return (per_layer,) * self._sizes.num_layers

    @property
    def output_size(self) -> tf.TensorShape:
        """``[output size]``, or ``[chunk_size, output size]`` for chunks."""
        if self._chunk_size == 0:
            return tf.TensorShape([self._sizes.output_size])
        return tf.TensorShape([self._chunk_size, self._sizes.output_size])
