"""TransformerXL: a Transformer tower as an RNN core with a memory of past activations."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn.rnn_core import RNNCore


@dataclasses.dataclass(frozen=True)
class TowerSizes:
    """The sizes of a ``snt.nets.TransformerTower`` configuration (``core_config``)."""

    num_layers: int
    embedding_size: int  # num_heads * value_size: the memory's and the tower's width
    output_size: int  # the tower's output width (its output_size, else embedding_size)
    dropout_rate: float

    @classmethod
    def of(cls, where: str, core_config: Any) -> TowerSizes:
        """Reads ``core_config``.

        Raises:
          TypeError: ``core_config`` is not a mapping.
          KeyError: it lacks ``num_layers``, ``value_size`` or ``num_heads``.
        """
        if not isinstance(core_config, Mapping):
            raise TypeError(
                f"{where}: core_config must be a dict of snt.nets.TransformerTower arguments; "
                f"got {type(core_config).__name__}."
            )
        missing = [k for k in ("num_layers", "value_size", "num_heads") if k not in core_config]
        if missing:
            raise KeyError(
                f"{where}: core_config needs the TransformerTower arguments {missing} "
                f"(it has {sorted(core_config)})."
            )
        embedding_size = core_config["num_heads"] * core_config["value_size"]
        return cls(
            num_layers=core_config["num_layers"],
            embedding_size=embedding_size,
            output_size=core_config.get("output_size") or embedding_size,
            dropout_rate=core_config.get("dropout_rate", 0.0),
        )


def check_size(where: str, what: str, value: Any) -> int:
    """``value`` as a non-negative int (TypeError/ValueError naming the module otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{where}: {what} must be an int; got {type(value).__name__}: {value!r}.")
    if value < 0:
        raise ValueError(f"{where}: {what} must be >= 0; got {value}.")
    return value


def as_sequence(where: str, inputs: Any) -> tf.Tensor:
    """``inputs`` as ``[B, N, D]`` (a time axis is added to ``[B, D]`` steps).

    Raises:
      IncompatibleShapeError: inputs of another rank.
    """
    inputs = tf.convert_to_tensor(inputs)
    rank = inputs.shape.rank
    if rank == 2:
        return inputs[:, tf.newaxis]
    if rank != 3:
        raise snt.IncompatibleShapeError(
            f"{where}: inputs must be [batch_size, chunk_size, input_dim] or "
            f"[batch_size, input_dim]; got shape {inputs.shape}."
        )
    return inputs


def embed_inputs(sizes: TowerSizes, inputs: tf.Tensor, is_training: bool) -> tf.Tensor:
    """The input layer: a ReLU MLP to the tower's width (``mlp/linear_0``), with dropout."""
    mlp = snt.nets.transformer.default_mlp([sizes.embedding_size], activate_final=True)
    return mlp(inputs, is_training=is_training, dropout_keep_prob=1.0 - sizes.dropout_rate)


class TransformerXL(RNNCore):
    """A Transformer tower whose layers also attend over their earlier activations.

    Each call embeds the inputs (an MLP to ``num_heads * value_size``), runs a
    ``snt.nets.TransformerTower`` built from ``core_config`` with each layer's
    memory ``[B, memory_size, num_heads * value_size]`` before the sequence,
    and appends the layer's (normalized) inputs to its memory, dropping the
    oldest (Dai et al. 2019, https://arxiv.org/abs/1901.02860).

    With ``chunk_size > 0`` the inputs are chunks ``[B, chunk_size, D]``; with
    ``chunk_size = 0`` the core takes one step ``[B, D]`` at a time and works
    with ``tf.compat.v1.nn.dynamic_rnn``. The state is a list with one memory
    per layer.

    Example:
      >>> config = dict(value_size=4, num_heads=2, num_layers=2, mlp_hidden_sizes=[16])
      >>> core = snt.nets.TransformerXL(config, memory_size=6, chunk_size=3)
      >>> state = core.initial_state(batch_size=2)
      >>> output, state = core(tf.ones([2, 3, 5]), state, is_training=False)
      >>> output.shape, state[0].shape
      (TensorShape([2, 3, 8]), TensorShape([2, 6, 8]))

    Args:
      core_config: the ``snt.nets.TransformerTower`` arguments (a dict with at
        least ``value_size``, ``num_heads`` and ``num_layers``).
      memory_size: the number of past activations each layer remembers.
      chunk_size: the length of the input chunks, or 0 for single steps.
      name: module name.

    Raises:
      TypeError: ``core_config`` is not a dict, or a size is not an int.
      KeyError: ``core_config`` lacks a required argument.
      ValueError: a negative size.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float", "prev_state": "nest"}

    def __init__(
        self,
        core_config: Mapping[str, Any],
        memory_size: int,
        chunk_size: int,
        name: str = "transformer_xl",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        self._core_config = dict(core_config) if isinstance(core_config, Mapping) else core_config
        self._sizes = TowerSizes.of(where, core_config)
        self._memory_size = check_size(where, "memory_size", memory_size)
        self._chunk_size = check_size(where, "chunk_size", chunk_size)

    def _build(
        self, inputs: tf.Tensor, prev_state: Any, is_training: bool = True
    ) -> tuple[tf.Tensor, list[tf.Tensor]]:
        """One chunk (or step) of the core.

        Args:
          inputs: ``[B, chunk_size, D]``, or ``[B, D]`` for single steps.
          prev_state: a list of ``num_layers`` memories ``[B, memory_size, E]``.
          is_training: a Python bool; dropout is applied when True.

        Returns:
          ``(output, next_state)``: the tower's output (``[B, N, E']``, or
          ``[B, E']`` with ``chunk_size = 0``) and the updated memories.

        Raises:
          IncompatibleShapeError: inputs of the wrong rank, or a state with
            the wrong number of memories.
        """
        sequence = as_sequence(self.scope_name, inputs)
        chunk_size = tf.TensorShape(sequence.shape).as_list()[1]
        if len(prev_state) != self._sizes.num_layers:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: prev_state must hold one memory per layer "
                f"({self._sizes.num_layers}); got {len(prev_state)}."
            )
        embedded = embed_inputs(self._sizes, sequence, is_training)
        tower = snt.nets.TransformerTower(**self._core_config)
        tower_state = None if self._memory_size == 0 else prev_state
        output, attention_states = tower(embedded, state=tower_state, is_training=is_training)
        next_state = [
            tf.concat([memory, attention.embeddings], axis=1)[:, chunk_size:]
            for memory, attention in zip(prev_state, attention_states, strict=True)
        ]
        if self._chunk_size == 0:  # single steps: drop the time axis again
            output = tf.squeeze(output, 1)
        return output, next_state

    @property
    def state_size(self) -> list[tf.TensorShape]:
        """One ``[memory_size, num_heads * value_size]`` memory per layer."""
        memory = tf.TensorShape([self._memory_size, self._sizes.embedding_size])
        return [memory] * self._sizes.num_layers

    @property
    def output_size(self) -> tf.TensorShape:
        """``[output size]``, or ``[chunk_size, output size]`` for chunks."""
        if self._chunk_size == 0:
            return tf.TensorShape([self._sizes.output_size])
        return tf.TensorShape([self._chunk_size, self._sizes.output_size])
