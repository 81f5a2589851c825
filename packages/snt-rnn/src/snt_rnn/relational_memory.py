"""RelationalMemory: the relational memory core (RMC, https://arxiv.org/abs/1806.01822)."""

from __future__ import annotations

import numbers
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.rnn_core import BatchSize, RNNCore, check_batch_size

GATE_STYLES = ("unit", "memory", None)


def _flatten(tensor: tf.Tensor, keep: int) -> tf.Tensor:
    """Flattens the dimensions after the first ``keep`` ones (known sizes) into one."""
    size = tensor.shape[keep:].num_elements()
    return tf.reshape(tensor, [-1, *tensor.shape[1:keep].as_list(), size])


def _per_slot(module: Any, tensor: tf.Tensor) -> tf.Tensor:
    """Applies ``module`` to every ``[batch, slot]`` row of a ``[batch, slots, size]`` tensor."""
    return snt.split_leading_dim(module(snt.merge_leading_dims(tensor, 2)), tensor, 2)


class _Block:
    """The modules of one attention block (attention projections and its norms)."""

    def __init__(self, qkv_size: int) -> None:
        self.qkv = snt.Linear(qkv_size)
        self.qkv_norm = snt.LayerNorm()
        self.attention_norm = snt.LayerNorm()
        self.mlp_norm = snt.LayerNorm()


class RelationalMemory(RNNCore):
    """A memory of ``mem_slots`` vectors that attend to each other and to the input.

    Each step projects the input to ``mem_size = head_size * num_heads`` (one
    extra row, or one row per input row with ``treat_input_as_matrix``),
    appends it to the memory and runs ``num_blocks`` blocks of multi-head
    dot-product self-attention over the rows, each followed by a shared MLP,
    with residual connections and layer norms. The input rows are dropped
    again; with gating (``gate_style``) the result enters the memory through
    LSTM-like input and forget gates computed from the input and
    ``tanh(memory)``. The output is the new memory flattened.

    The state is ``[batch, mem_slots, mem_size]``; :meth:`initial_state` starts
    every slot from a distinct row of the identity (zero-padded or truncated to
    ``mem_size``). Submodules are created on the first connection, inside the
    core's scope, with Sonnet 1's names: ``linear`` (input projection),
    ``mlp`` (shared by the blocks), per block ``linear_<b+1>`` (queries, keys,
    values) and three ``layer_norm*``, then ``linear_<num_blocks+1>`` and
    ``linear_<num_blocks+2>`` for the gates.

    Example:
      >>> rmc = snt.RelationalMemory(mem_slots=4, head_size=8, num_heads=2)
      >>> memory = rmc.initial_state(batch_size=3)  # [3, 4, 16]
      >>> output, memory = rmc(tf.ones([3, 5]), memory)
      >>> output.shape
      TensorShape([3, 64])

    Args:
      mem_slots: number of memory slots (rows).
      head_size: size of each attention head's values.
      num_heads: number of attention heads; the slot size is
        ``head_size * num_heads``.
      num_blocks: attention blocks per step (each with its own projections).
      forget_bias: added to the forget gate's pre-activation.
      input_bias: added to the input gate's pre-activation.
      gate_style: ``"unit"`` (a gate per memory unit), ``"memory"`` (one per
        slot) or ``None`` (no gating).
      attention_mlp_layers: layers of the post-attention MLP.
      key_size: size of queries and keys; ``None`` (or 0) for ``head_size``.
      name: module name.

    Raises:
      TypeError: a size is not an int, or a bias is not a number.
      ValueError: a size is smaller than 1; ``num_blocks`` or
        ``attention_mlp_layers`` is smaller than 1; ``gate_style`` is not one of
        ``"unit"``, ``"memory"``, ``None``.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    def __init__(
        self,
        mem_slots: int,
        head_size: int,
        num_heads: int = 1,
        num_blocks: int = 1,
        forget_bias: float = 1.0,
        input_bias: float = 0.0,
        gate_style: str | None = "unit",
        attention_mlp_layers: int = 2,
        key_size: int | None = None,
        name: str = "relational_memory",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        mem_slots = _utils.check_positive_int(self, "mem_slots", mem_slots)
        head_size = _utils.check_positive_int(self, "head_size", head_size)
        num_heads = _utils.check_positive_int(self, "num_heads", num_heads)
        for label, value in (
            ("num_blocks", num_blocks),
            ("attention_mlp_layers", attention_mlp_layers),
        ):
            if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value < 1:
                raise ValueError(f"{where}: {label} must be >= 1. Got: {value}.")
            _utils.check_positive_int(self, label, value)
        if not (gate_style is None or (isinstance(gate_style, str) and gate_style in GATE_STYLES)):
            raise ValueError(
                f"{where}: gate_style must be one of ['unit', 'memory', None]. Got: {gate_style!r}."
            )
        for label, bias in (("forget_bias", forget_bias), ("input_bias", input_bias)):
            if isinstance(bias, bool) or not isinstance(bias, numbers.Real):
                raise TypeError(
                    f"{where}: {label} must be a number; got {type(bias).__name__}: {bias!r}."
                )
        key_size = _utils.check_positive_int(self, "key_size", key_size) if key_size else head_size
        _utils.set_untracked(
            self,
            _mem_slots=mem_slots,
            _head_size=head_size,
            _num_heads=num_heads,
            _mem_size=head_size * num_heads,
            _num_blocks=int(num_blocks),
            _forget_bias=float(forget_bias),
            _input_bias=float(input_bias),
            _gate_style=gate_style,
            _attention_mlp_layers=int(attention_mlp_layers),
            _key_size=key_size,
            _input_gate=None,
            _forget_gate=None,
            _parts=None,
        )

    # -- sizes ---------------------------------------------------------------

    @property
    def state_size(self) -> tf.TensorShape:
        """``TensorShape([mem_slots, mem_size])``."""
        return tf.TensorShape([self._mem_slots, self._mem_size])

    @property
    def output_size(self) -> tf.TensorShape:
        """``TensorShape([mem_slots * mem_size])``: the memory, flattened."""
        return tf.TensorShape([self._mem_slots * self._mem_size])

    def _calculate_gate_size(self) -> int:
        """Units per slot of each gate: ``mem_size`` (unit), 1 (memory) or 0 (no gates)."""
        return {"unit": self._mem_size, "memory": 1}.get(self._gate_style, 0)

    def initial_state(
        self,
        batch_size: BatchSize,
        trainable: bool = False,
        dtype: Any = tf.float32,
        **unused_kwargs: Any,
    ) -> tf.Tensor:
        """The starting memory: slot ``i`` is the ``i``-th unit vector (zero if ``i >= mem_size``).

        Args:
          batch_size: a Python int, a known ``tf.compat.v1.Dimension`` or an
            integer scalar Tensor.
          trainable: accepted for Sonnet 1 compatibility and ignored, as in
            Sonnet 1: the starting memory is always this fixed pattern.
          dtype: the memory's dtype.
          **unused_kwargs: ignored (so wrappers such as ``snt.DeepRNN`` can
            pass the usual ``initial_state`` arguments).

        Returns:
          A ``[batch_size, mem_slots, mem_size]`` tensor.

        Raises:
          TypeError: ``batch_size`` is neither an int nor an integer tensor.
        """
        del trainable, unused_kwargs
        batch_size = check_batch_size(batch_size, f"{self.module_name}.initial_state")
        with tf.name_scope(f"{self.module_name}_initial_state"):
            eye = tf.eye(self._mem_slots, num_columns=self._mem_size, dtype=dtype)
            return tf.tile(eye[tf.newaxis], [batch_size, 1, 1])

    # -- connection ----------------------------------------------------------

    def _check_inputs(self, inputs: Any, matrix: bool) -> tf.Tensor:
        inputs = tf.convert_to_tensor(inputs)
        shape = inputs.shape
        low = 3 if matrix else 2
        if shape.rank is None or shape.rank < low:
            layout = "[batch, rows, ...]" if matrix else "[batch, ...]"
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: inputs must have rank >= {low} {layout} "
                f"(treat_input_as_matrix={matrix}); got shape {shape}."
            )
        known = shape[2:] if matrix else shape[1:]
        if not known.is_fully_defined() or (matrix and tf.compat.dimension_value(shape[1]) is None):
            raise snt.UnderspecifiedError(
                f"{self.scope_name}: the inputs' non-batch dimensions must be known; got shape "
                f"{shape}."
            )
        if not inputs.dtype.is_floating:
            raise TypeError(
                f"{self.scope_name}: inputs must be floating point; got dtype {inputs.dtype.name}."
            )
        return inputs

    def _submodules(self) -> dict[str, Any]:
        """The submodules, made on the first connection (in Sonnet 1's creation order)."""
        if self._parts is None:
            qkv_size = (2 * self._key_size + self._head_size) * self._num_heads
            parts: dict[str, Any] = {"input": snt.Linear(self._mem_size)}
            parts["mlp"] = snt.nets.MLP([self._mem_size] * self._attention_mlp_layers)
            parts["blocks"] = [_Block(qkv_size) for _ in range(self._num_blocks)]
            if self._gate_style is not None:
                gates = 2 * self._calculate_gate_size()
                parts["gate_inputs"] = snt.Linear(gates)
                parts["gate_memory"] = snt.Linear(gates)
            _utils.set_untracked(self, _parts=parts)
        return self._parts

    def _multihead_attention(self, block: _Block, memory: tf.Tensor) -> tf.Tensor:
        """Scaled dot-product self-attention of the rows of ``memory``, per head."""
        heads, key, value = self._num_heads, self._key_size, self._head_size
        qkv = _per_slot(block.qkv_norm, _per_slot(block.qkv, memory))
        rows = tf.compat.dimension_value(memory.shape[1])
        qkv = tf.reshape(qkv, [-1, rows, heads, 2 * key + value])
        qkv = tf.transpose(qkv, [0, 2, 1, 3])  # [batch, heads, rows, 2 * key + value]
        q, k, v = tf.split(qkv, [key, key, value], axis=-1)
        logits = tf.matmul(q * key**-0.5, k, transpose_b=True)  # [batch, heads, rows, rows]
        attended = tf.matmul(tf.nn.softmax(logits), v)  # [batch, heads, rows, value]
        attended = tf.transpose(attended, [0, 2, 1, 3])
        return tf.reshape(attended, [-1, rows, heads * value])

    def _attend_over_memory(self, memory: tf.Tensor) -> tf.Tensor:
        mlp = self._submodules()["mlp"]
        for block in self._submodules()["blocks"]:
            attended = self._multihead_attention(block, memory)
            memory = _per_slot(block.attention_norm, memory + attended)
            memory = _per_slot(block.mlp_norm, _per_slot(mlp, memory) + memory)
        return memory

    def _create_gates(self, inputs: tf.Tensor, memory: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """Input and forget gates ``[batch, mem_slots, gate_size]`` from the inputs and memory."""
        parts = self._submodules()
        from_inputs = parts["gate_inputs"](_flatten(inputs, 1))[:, tf.newaxis, :]
        from_memory = _per_slot(parts["gate_memory"], tf.tanh(memory))
        input_gate, forget_gate = tf.split(from_memory + from_inputs, 2, axis=2)
        return (
            tf.sigmoid(input_gate + self._input_bias),
            tf.sigmoid(forget_gate + self._forget_bias),
        )

    def _build(
        self, inputs: tf.Tensor, memory: tf.Tensor, treat_input_as_matrix: bool = False
    ) -> tuple[tf.Tensor, tf.Tensor]:
        """One step: ``(output, next_memory)``.

        Args:
          inputs: ``[batch, ...]``, flattened to one input row; with
            ``treat_input_as_matrix``, ``[batch, rows, ...]`` gives one input
            row per entry of axis 1.
          memory: ``[batch, mem_slots, mem_size]``, the previous memory.
          treat_input_as_matrix: see ``inputs``.

        Returns:
          ``output`` ``[batch, mem_slots * mem_size]`` and the next memory.

        Raises:
          IncompatibleShapeError: ``inputs`` have too small a rank, or ``memory``
            is not ``[batch, mem_slots, mem_size]``.
          UnderspecifiedError: the inputs' non-batch dimensions are unknown.
          TypeError: inputs are not floating point, or ``memory`` has another
            dtype than the inputs.
          ValueError: ``memory`` is not a single tensor.
        """
        inputs = self._check_inputs(inputs, treat_input_as_matrix)
        _utils.check_state_shapes(self, memory, self.state_size, _utils.batch_dim(inputs), "memory")
        memory = tf.convert_to_tensor(memory)
        if memory.dtype != inputs.dtype:
            raise TypeError(
                f"{self.scope_name}: memory must have the inputs' dtype {inputs.dtype.name}; got "
                f"{memory.dtype.name}."
            )
        project = self._submodules()["input"]
        if treat_input_as_matrix:
            input_rows = _per_slot(project, _flatten(inputs, 2))  # [batch, rows, mem_size]
        else:
            input_rows = project(_flatten(inputs, 1))[:, tf.newaxis, :]
        attended = self._attend_over_memory(tf.concat([memory, input_rows], axis=1))
        next_memory = attended[:, : self._mem_slots, :]
        if self._gate_style is not None:
            input_gate, forget_gate = self._create_gates(input_rows, memory)
            _utils.set_untracked(self, _input_gate=input_gate, _forget_gate=forget_gate)
            next_memory = input_gate * tf.tanh(next_memory) + forget_gate * memory
        output = tf.reshape(next_memory, [-1, self._mem_slots * self._mem_size])
        return output, next_memory

    # -- gates ---------------------------------------------------------------

    def _gate(self, which: str) -> tf.Tensor:
        self._ensure_is_connected()
        if self._gate_style is None:
            raise AttributeError(
                f"{self.scope_name}: no {which} gate: the core was built with gate_style=None."
            )
        return self._input_gate if which == "input" else self._forget_gate

    @property
    def input_gate(self) -> tf.Tensor:
        """The input gate of the last connection, ``[batch, mem_slots, gate_size]``.

        Raises:
          NotConnectedError: the core is not connected yet.
          AttributeError: the core has no gates (``gate_style=None``).
        """
        return self._gate("input")

    @property
    def forget_gate(self) -> tf.Tensor:
        """The forget gate of the last connection, ``[batch, mem_slots, gate_size]``.

        Raises:
          NotConnectedError: the core is not connected yet.
          AttributeError: the core has no gates (``gate_style=None``).
        """
        return self._gate("forget")
