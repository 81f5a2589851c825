"""TransformerTower: a stack of self-attention and MLP layers (Vaswani et al. 2017)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.batch_apply import BatchApply
from snt_nets.linear import Linear
from snt_nets.nets.transformer.blocks import (
    LAYER_NORM_PLACES,
    ResidualDropoutWrapper,
    default_mlp,
)
from snt_nets.nets.transformer.masks import create_mask, memory_size
from snt_nets.nets.transformer.multihead_attention import MultiheadAttention
from snt_nets.nets.transformer.positions import get_position_encodings
from snt_nets.nets.transformer.states import AttentionState, CompressedMemoryState


class TransformerTower(snt.AbstractModule):
    """A deep residual network of multi-head self-attention and MLP blocks.

    Each of the ``num_layers`` layers (variable scope ``layer_<i>``) applies
    a :class:`MultiheadAttention` and then a position-wise MLP
    (:func:`default_mlp` with ``mlp_hidden_sizes`` and a last layer of
    ``num_heads * value_size``), both wrapped in a
    :class:`ResidualDropoutWrapper`. Positions are encoded with sinusoids,
    relatively (Transformer-XL) by default. A ``state`` (a memory per layer)
    puts earlier activations before the sequence, as
    ``snt.nets.TransformerXL`` and ``snt.nets.CompressiveTransformer`` do.

    The submodules are built on every connection inside the layer scopes, as
    in Sonnet 1, so they share their variables across connections:
    ``transformer_tower/layer_0/multihead_attention/query/linear/w``,
    ``.../layer_0/mlp/linear_0/w``,
    ``.../layer_0/residual_dropout_wrapper/layer_norm/gamma``, ... and,
    with ``output_size``, ``transformer_tower/linear/w``.

    Example:
      >>> tower = snt.nets.TransformerTower(value_size=4, num_heads=2, num_layers=2,
      ...                                   mlp_hidden_sizes=[16])
      >>> output, states = tower(tf.ones([3, 5, 8]), is_training=False)
      >>> output.shape, len(states)
      (TensorShape([3, 5, 8]), 2)

    Args:
      value_size: the size of each head's values.
      num_heads: the number of attention heads.
      num_layers: the number of layers.
      causal: whether a position attends only to itself and earlier ones.
      key_size: the size of keys and queries per head (default ``value_size``).
      shared_attention: use one attention module (one set of variables, in
        ``layer_0``) in every layer.
      output_size: if set, a final Linear layer (no bias) to this size.
      mlp_hidden_sizes: the hidden sizes of each layer's MLP.
      dropout_rate: dropout rate of the blocks' outputs, the attention
        weights and the positional encodings, in training.
      use_relative_positions: relative (Dai et al. 2019) rather than absolute
        position encodings.
      clamp_time_range: clamp the encoded distances to this (0: no clamping).
      same_attention_length: give every position an attention window of the
        same length (see :func:`create_mask`).
      layer_norm: ``"input"``, ``"output"``, ``"both"`` (or ``"none"``):
        where the blocks normalize.
      name: module name.

    Raises:
      TypeError: a size is not an int.
      ValueError: a size is not positive, ``dropout_rate`` is outside
        ``[0, 1)``, or ``layer_norm`` is unknown.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    def __init__(
        self,
        value_size: int,
        num_heads: int,
        num_layers: int,
        causal: bool = True,
        key_size: int | None = None,
        shared_attention: bool = False,
        output_size: int | None = None,
        mlp_hidden_sizes: Sequence[int] = (1024,),
        dropout_rate: float = 0.1,
        use_relative_positions: bool = True,
        clamp_time_range: int = 0,
        same_attention_length: bool = False,
        layer_norm: str | None = "input",
        name: str = "transformer_tower",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        self._value_size = _checks.check_int(where, "value_size", value_size, minimum=1)
        self._num_heads = _checks.check_int(where, "num_heads", num_heads, minimum=1)
        self._num_layers = _checks.check_int(where, "num_layers", num_layers, minimum=1)
        key_size = value_size if key_size is None else key_size
        self._key_size = _checks.check_int(where, "key_size", key_size, minimum=1)
        if output_size is not None:
            output_size = _checks.check_int(where, "output_size", output_size, minimum=1)
        self._output_size = output_size
        hidden = _checks.check_ints(where, "mlp_hidden_sizes", mlp_hidden_sizes, minimum=1)
        _checks.check_rate(where, "dropout_rate", dropout_rate, upper_inclusive=False)
        if layer_norm not in LAYER_NORM_PLACES:
            raise ValueError(
                f"{where}: layer_norm must be one of {LAYER_NORM_PLACES}; got {layer_norm!r}."
            )
        self._embedding_size = self._value_size * self._num_heads
        _utils.set_untracked(
            self,
            _mlp_hidden_sizes=[*hidden, self._embedding_size],
            _causal=causal,
            _shared_attention=shared_attention,
            _dropout_rate=dropout_rate,
            _use_relative_positions=use_relative_positions,
            _clamp_time_range=clamp_time_range,
            _same_attention_length=same_attention_length,
            _layer_norm=layer_norm,
            _mask=None,
            _positional_encodings=None,
            _multihead_attention=None,
            _attention_modules=[],
            _object_mlps=[],
        )

    def get_sublayers(
        self, is_training: bool
    ) -> tuple[ResidualDropoutWrapper, ResidualDropoutWrapper]:
        """Builds one layer's blocks: ``(attention block, MLP block)``.

        Called by :meth:`_build` inside each layer's variable scope, after the
        mask and position encodings of the connection are set. With
        ``shared_attention`` the first layer's attention block is reused.
        """
        del is_training  # the blocks take it when called
        init_std = 2.0 / np.sqrt(self._num_layers)
        if self._multihead_attention is None or not self._shared_attention:
            attention = MultiheadAttention(
                value_size=self._value_size,
                key_size=self._key_size,
                num_heads=self._num_heads,
                mask=self._mask,
                positional_encodings=self._positional_encodings,
                use_relative_positions=self._use_relative_positions,
                init_std=init_std,
            )
            wrapper = ResidualDropoutWrapper(
                attention, self._dropout_rate, layer_norm=self._layer_norm
            )
            _utils.set_untracked(self, _multihead_attention=wrapper, _attention=attention)
        mlp = default_mlp(self._mlp_hidden_sizes, init_std=init_std)
        mlp_block = ResidualDropoutWrapper(mlp, self._dropout_rate, layer_norm=self._layer_norm)
        self._attention_modules.append(self._attention)
        self._object_mlps.append(mlp)
        return self._multihead_attention, mlp_block

    def _build(
        self,
        inputs: tf.Tensor,
        state: Any = None,
        condition: tf.Tensor | None = None,
        is_training: bool = True,
    ) -> tuple[tf.Tensor, list[AttentionState]]:
        """Runs the layers over ``inputs``.

        Args:
          inputs: ``[B, N, D]`` with ``N`` and ``D`` known, ``D`` even.
          state: None, or one memory per layer: ``[B, M, D]`` tensors or
            :data:`CompressedMemoryState` records.
          condition: optional ``[B, C]`` tensor concatenated to every position.
          is_training: a Python bool; dropout is applied when True.

        Returns:
          ``(output, attention_states)``: the output ``[B, N, output_size]``
          (``num_heads * value_size`` without ``output_size``) and one
          :data:`AttentionState` per layer.

        Raises:
          IncompatibleShapeError: ``inputs`` is not ``[B, N, D]`` with known
            ``N`` and ``D``, or ``state`` does not hold one memory per layer.
          ValueError: ``D`` (after the condition) is odd: the sinusoidal
            position encodings need an even size.
        """
        inputs = tf.convert_to_tensor(inputs)
        if condition is not None:
            tiled = tf.tile(condition[:, tf.newaxis, :], tf.stack([1, tf.shape(inputs)[1], 1]))
            inputs = tf.concat([inputs, tiled], axis=-1)
        shape = _utils.static_shape(inputs)
        if len(shape) != 3 or shape[1] is None or shape[2] is None:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: inputs must be [batch, num_steps, size] with known "
                f"num_steps and size; got {_utils.format_shape(shape)}."
            )
        if shape[2] % 2:
            raise ValueError(
                f"{self.scope_name}: position embedding dimension ({shape[2] + 1}) does not "
                f"match that of the input ({shape[2]}): the sinusoidal position encodings need "
                "an even input size (after the condition)."
            )
        if state is not None and not isinstance(state, list | tuple):
            raise TypeError(
                f"{self.scope_name}: state must be None or a list of one memory per layer "
                f"({self._num_layers}); got {type(state).__name__}."
            )
        if state is not None and len(state) != self._num_layers:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: state must hold one memory per layer ({self._num_layers}); "
                f"got {len(state)}."
            )
        _utils.set_untracked(
            self,
            _positional_encodings=self._encodings(inputs, state, is_training),
            _mask=create_mask(inputs, state, self._same_attention_length) if self._causal else None,
            _multihead_attention=None,
            _attention_modules=[],
            _object_mlps=[],
        )

        layer_inputs = inputs
        attention_states = []
        for i in range(self._num_layers):
            with tf.compat.v1.variable_scope(f"layer_{i}", reuse=tf.compat.v1.AUTO_REUSE):
                attention_block, mlp_block = self.get_sublayers(is_training)
                attended, attention_state = attention_block(
                    layer_inputs,
                    state=None if state is None else state[i],
                    is_training=is_training,
                    dropout_keep_prob=1.0 - self._dropout_rate,
                )
                attention_states.append(attention_state)
                layer_inputs = mlp_block(
                    attended, is_training=is_training, dropout_keep_prob=1.0 - self._dropout_rate
                )
        output = layer_inputs
        if self._output_size is not None:
            output = BatchApply(Linear(self._output_size, use_bias=False))(output)
        return output, attention_states

    def _encodings(self, inputs: tf.Tensor, state: Any, is_training: bool) -> list[tuple]:
        """One ``(key, query)`` sinusoid pair per memory type (compressed, then episodic).

        Absolute encodings are one pair covering every memory and the sequence.
        """
        if state is None:
            memory_sizes = [0]
        elif isinstance(state[0], CompressedMemoryState):
            memory_sizes = [
                max(memory_size(s.compressed_memory) for s in state),
                max(memory_size(s.episodic_memory) for s in state),
            ]
        else:
            memory_sizes = [max(memory_size(s) for s in state)]
        if not self._use_relative_positions:  # absolute: one encoding of the whole window
            memory_sizes = [sum(memory_sizes)]
        chunk_size, hidden_size = _utils.static_shape(inputs)[1:]
        pairs = []
        for size in memory_sizes:
            keys = get_position_encodings(
                sequence_length=chunk_size + size,
                hidden_size=hidden_size,
                clamp_value=self._clamp_time_range,
            )
            if is_training:
                keys = tf.nn.dropout(keys, rate=self._dropout_rate)
            keys = tf.cast(keys, inputs.dtype)
            pairs.append((keys, keys[:, -chunk_size:, :]))
        return pairs

    def attention_module(self, i: int) -> MultiheadAttention:
        """The attention module of layer ``i`` in the last connection.

        Raises:
          NotConnectedError: the tower has not been connected yet.
        """
        self._ensure_is_connected()
        return self._attention_modules[i]

    @property
    def num_layers(self) -> int:
        """The number of layers."""
        return self._num_layers

    @property
    def embedding_size(self) -> int:
        """``num_heads * value_size``: the size of every layer's output."""
        return self._embedding_size
