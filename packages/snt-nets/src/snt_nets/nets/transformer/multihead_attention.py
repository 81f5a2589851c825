"""MultiheadAttention: scaled dot-product attention with several heads and a memory."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.batch_apply import BatchApply
from snt_nets.batch_reshape import BatchReshape
from snt_nets.linear import Linear
from snt_nets.nets.transformer.positions import rel_shift
from snt_nets.nets.transformer.states import AttentionState, CompressedMemoryState

#: The projections :meth:`MultiheadAttention.multihead_linear` knows, by the
#: size of each head's output: values get ``value_size``, the rest ``key_size``.
_VALUE_PROJECTIONS = ("value",)
_KEY_PROJECTIONS = ("key", "query")


def simple_attention(queries: tf.Tensor, keys: tf.Tensor, values: tf.Tensor) -> tf.Tensor:
    """``softmax(queries @ keys^T) @ values`` over the last two dimensions (no scaling).

    Example:
      >>> q, k, v = tf.ones([2, 3, 4]), tf.ones([2, 5, 4]), tf.ones([2, 5, 6])
      >>> snt.nets.transformer.simple_attention(q, k, v).shape
      TensorShape([2, 3, 6])
    """
    weights = tf.nn.softmax(tf.matmul(queries, keys, transpose_b=True))
    return tf.matmul(weights, values)


def _memory_parts(state: Any) -> list[tf.Tensor]:
    """The memory tensors to put before the inputs, oldest first."""
    if state is None:
        return []
    if isinstance(state, CompressedMemoryState):
        return [state.compressed_memory, state.episodic_memory]
    return [state]


def _encoding_pairs(encodings: Any) -> list[tuple[Any, Any]]:
    """The ``(key, query)`` encoding pairs: one pair, or a sequence of them."""
    if encodings is None:
        return []
    if len(encodings) == 2 and not isinstance(encodings[0], tuple | list):
        return [tuple(encodings)]
    return [tuple(pair) for pair in encodings]


class MultiheadAttention(snt.AbstractModule):
    """Multi-head attention from a sequence (and an optional memory) to itself.

    The inputs ``[B, N, D]`` (after the memory ``[B, M, D]``, when a ``state``
    is given) are projected to ``num_heads`` keys of size ``key_size`` and
    values of size ``value_size``; the query inputs (the inputs themselves by
    default) to queries. Each head's softmax over ``q k^T`` (scaled by
    ``key_size ** -0.5``, plus ``mask``) weights its values; the heads'
    reads are concatenated and mixed by a Linear layer of size
    ``num_heads * value_size``.

    Variables (Sonnet 1's names): ``query/linear/w``, ``key/linear/w``,
    ``value/linear/w`` (``[D, num_heads * size]``, no bias), ``linear/w`` and
    ``linear/b`` (the head mixer); with relative positions ``r_w_bias``,
    ``r_r_bias`` and ``relative_keys/linear/w`` (one ``r_r_bias_<i>`` and
    ``relative_keys_<i>`` per extra memory type).

    Example:
      >>> attend = snt.nets.transformer.MultiheadAttention(
      ...     value_size=4, key_size=4, num_heads=2)
      >>> output, state = attend(tf.ones([3, 5, 8]))
      >>> output.shape, state.weights.shape
      (TensorShape([3, 5, 8]), TensorShape([3, 2, 5, 5]))

    Args:
      value_size: the size ``V`` of each head's values.
      key_size: the size ``K`` of each head's keys and queries.
      num_heads: the number of heads ``H``.
      mask: an optional tensor added to the logits, broadcastable to
        ``[B, H, L, M + N]`` (e.g. :func:`future_mask`); a mask wider than
        ``M + N`` is cut to its last ``M + N`` columns.
      scaling: whether to scale the queries by ``key_size ** -0.5``.
      positional_encodings: None, one ``(key_encodings, query_encodings)``
        pair, or a sequence of pairs, one per memory type, the oldest first
        (as :class:`TransformerTower` builds them). Key encodings are
        ``[1, T, D]``, query encodings ``[1, N, D]``.
      use_relative_positions: score relative positions as Transformer-XL
        (Dai et al. 2019) does, instead of adding the (last pair of)
        encodings to the inputs.
      init_std: the scale of the projections' variance-scaling initializer.
      name: module name.

    Raises:
      TypeError: a size is not an int.
      ValueError: a size is not positive, or relative positions are asked
        for without positional encodings.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float", "query_inputs": "float"}

    def __init__(
        self,
        value_size: int,
        key_size: int,
        num_heads: int,
        mask: tf.Tensor | None = None,
        scaling: bool = True,
        positional_encodings: Any = None,
        use_relative_positions: bool = False,
        init_std: float = 2.0,
        name: str = "multihead_attention",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        self._value_size = _checks.check_int(where, "value_size", value_size, minimum=1)
        self._key_size = _checks.check_int(where, "key_size", key_size, minimum=1)
        self._num_heads = _checks.check_int(where, "num_heads", num_heads, minimum=1)
        self._positional_encodings = _encoding_pairs(positional_encodings)
        if use_relative_positions and not self._positional_encodings:
            raise ValueError(
                f"{where}: use_relative_positions=True needs positional_encodings "
                "(the (key, query) encodings to score relative positions with)."
            )
        _utils.set_untracked(
            self,
            _mask=mask,
            _scaling=scaling,
            _use_relative_positions=use_relative_positions,
            _init=tf.compat.v1.variance_scaling_initializer(scale=init_std),
            _projections={},  # name -> the projection's variable, once made
            _building=False,
        )

    def multihead_linear(self, inputs: tf.Tensor, name: str) -> tf.Tensor:
        """Projects ``inputs`` ``[B, T, D]`` to ``[B, H, T, size]`` with ``<name>/linear/w``.

        ``name`` is ``"query"``, ``"key"`` (``key_size`` per head), ``"value"``
        (``value_size``), or ``"relative_keys..."`` (``key_size``). Every call
        with the same name shares the variable, also from outside
        ``_build`` (a Compressive Transformer's compressor reuses the keys and
        values this way).

        Raises:
          ValueError: an unknown projection name.
          IncompatibleShapeError: ``inputs`` is not rank 3 with a known last
            dimension.
        """
        if name in _VALUE_PROJECTIONS:
            size = self._value_size
        elif name in _KEY_PROJECTIONS or name.startswith("relative_keys"):
            size = self._key_size
        else:
            raise ValueError(
                f"{self.scope_name}: unknown projection {name!r}; expected 'query', 'key', "
                "'value' or 'relative_keys[_<i>]'."
            )
        shape = _utils.static_shape(inputs)
        if len(shape) != 3 or shape[2] is None:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: {name} inputs must be [batch, time, size] with a known "
                f"size; got {_utils.format_shape(shape)}."
            )
        w = self._projections.get(name)
        if w is None:
            full_shape = [shape[2], self._num_heads * size]
            if self._building:  # inside _build: the module's template shares it
                w = _projection_variable(name, full_shape, inputs.dtype, self._init)
            else:
                w = self._projection_outside_build(name, full_shape, inputs.dtype)
            self._projections[name] = w
        w = tf.reshape(w, [shape[2], self._num_heads, size])
        return tf.einsum("bij,jhk->bhik", inputs, w)

    @snt.reuse_variables
    def _projection_outside_build(self, name: str, shape: list[int], dtype: Any) -> tf.Variable:
        """Creates a projection asked for before ``_build`` made it."""
        return _projection_variable(name, shape, dtype, self._init)

    def _build(
        self,
        inputs: tf.Tensor,
        query_inputs: tf.Tensor | None = None,
        state: Any = None,
        is_training: bool = False,
        dropout_keep_prob: float = 0.5,
    ) -> tuple[tf.Tensor, AttentionState]:
        """Attends from ``query_inputs`` (default ``inputs``) over the memory and ``inputs``.

        Args:
          inputs: ``[B, N, D]``, ``N`` and ``D`` known.
          query_inputs: optional ``[B, L, D]`` to take the queries from.
          state: None, a memory ``[B, M, D]`` or a :data:`CompressedMemoryState`
            (compressed memory first, then the episodic one).
          is_training: apply dropout to the attention weights.
          dropout_keep_prob: the probability of keeping a weight.

        Returns:
          ``(output, attention_state)``: the output ``[B, L, H * V]`` and an
          :data:`AttentionState`.

        Raises:
          IncompatibleShapeError: ``inputs``, ``query_inputs`` or the memory
            is not rank 3 with a known length and size.
        """
        _utils.set_untracked(self, _building=True)
        try:
            return self._attend(inputs, query_inputs, state, is_training, dropout_keep_prob)
        finally:
            _utils.set_untracked(self, _building=False)

    def _attend(
        self,
        inputs: Any,
        query_inputs: Any,
        state: Any,
        is_training: bool,
        dropout_keep_prob: float,
    ) -> tuple[tf.Tensor, AttentionState]:
        inputs = tf.convert_to_tensor(inputs)
        queries_from = inputs if query_inputs is None else tf.convert_to_tensor(query_inputs)
        chunk_size = self._sequence_shape(inputs, "inputs")[1]
        query_size = self._sequence_shape(queries_from, "query_inputs")[1]
        memory = _memory_parts(state)
        keys_from = tf.concat([*memory, inputs], axis=1) if memory else inputs
        values_from = keys_from
        attended_size = self._sequence_shape(keys_from, "memory and inputs")[1]

        if self._positional_encodings and not self._use_relative_positions:
            key_positions, query_positions = self._positional_encodings[-1]
            key_positions = _last(key_positions, attended_size)
            if tf.TensorShape(key_positions.shape).as_list()[1] not in (attended_size, None):
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: the key position encodings cover "
                    f"{key_positions.shape[1]} positions; the memory and inputs have "
                    f"{attended_size}."
                )
            keys_from = keys_from + key_positions
            queries_from = queries_from + query_positions

        queries = self.multihead_linear(queries_from, "query")  # [B, H, L, K]
        keys = self.multihead_linear(keys_from, "key")  # [B, H, M + N, K]
        values = self.multihead_linear(values_from, "value")  # [B, H, M + N, V]
        if self._scaling:
            queries *= self._key_size**-0.5

        if self._use_relative_positions:
            content_logits, position_logits = self._relative_logits(
                queries, keys, chunk_size, attended_size, inputs.dtype
            )
            logits = content_logits + position_logits
        else:
            content_logits = logits = tf.matmul(queries, keys, transpose_b=True)
        if self._mask is not None:
            logits += _last(self._mask, attended_size, axis=3)

        weights = tf.nn.softmax(logits)
        if is_training:
            weights = tf.nn.dropout(weights, rate=1.0 - dropout_keep_prob)
        read = tf.einsum("bhij,bhjk->bihk", weights, values)  # [B, L, H, V]
        embedding_size = self._num_heads * self._value_size
        read = BatchReshape([query_size, embedding_size])(read)
        output = BatchApply(Linear(embedding_size))(read)
        attention_state = AttentionState(
            queries=queries,
            keys=keys,
            values=values,
            logits=content_logits,
            weights=weights,
            embeddings=inputs,
            read_words=output,
        )
        return output, attention_state

    def _relative_logits(
        self, queries: tf.Tensor, keys: tf.Tensor, chunk_size: int, attended_size: int, dtype: Any
    ) -> tuple[tf.Tensor, tf.Tensor]:
        """Content logits (with ``r_w_bias``) and relative-position logits (with ``r_r_bias``)."""
        bias_shape = [1, self._num_heads, 1, self._key_size]
        r_w_bias = snt.get_variable("r_w_bias", bias_shape, dtype=dtype)
        content_logits = tf.matmul(queries + r_w_bias, keys, transpose_b=True)
        position_logits = []
        last = len(self._positional_encodings) - 1
        for i, (key_positions, _) in enumerate(self._positional_encodings):
            suffix = "" if i == last else f"_{i}"
            key_positions = _last(key_positions, attended_size)
            relative_keys = self.multihead_linear(key_positions, "relative_keys" + suffix)
            r_r_bias = snt.get_variable("r_r_bias" + suffix, bias_shape, dtype=dtype)
            scores = rel_shift(tf.matmul(queries + r_r_bias, relative_keys, transpose_b=True))
            if i != last:  # older memory types: drop the columns of the sequence itself
                scores = scores[:, :, :, :-chunk_size]
            position_logits.append(scores)
        return content_logits, tf.concat(position_logits, axis=3)

    def _sequence_shape(self, tensor: tf.Tensor, what: str) -> tuple[int | None, ...]:
        shape = _utils.static_shape(tensor)
        if len(shape) != 3 or shape[1] is None or shape[2] is None:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: {what} must be [batch, time, size] with known time and "
                f"size; got {_utils.format_shape(shape)}."
            )
        return shape

    @property
    def value_size(self) -> int:
        """The size of each head's values."""
        return self._value_size

    @property
    def key_size(self) -> int:
        """The size of each head's keys and queries."""
        return self._key_size

    @property
    def num_heads(self) -> int:
        """The number of heads."""
        return self._num_heads


def _projection_variable(name: str, shape: list[int], dtype: Any, initializer: Any) -> tf.Variable:
    """``<name>/linear/w`` in the current variable scope (Sonnet 1's name)."""
    with tf.compat.v1.variable_scope(name, reuse=tf.compat.v1.AUTO_REUSE):
        return snt.get_variable("linear/w", shape=shape, dtype=dtype, initializer=initializer)


def _last(tensor: Any, size: int, axis: int = 1) -> Any:
    """The last ``size`` entries of ``tensor`` along ``axis`` (all of it if shorter)."""
    length = tf.TensorShape(tensor.shape).as_list()[axis]
    if length is None or length <= size:
        return tensor
    index = [slice(None)] * axis + [slice(length - size, None)]
    return tensor[tuple(index)]
