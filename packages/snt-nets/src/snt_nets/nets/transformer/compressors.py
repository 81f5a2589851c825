"""Memory compressors of the Compressive Transformer (Rae et al. 2019)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.conv.conv_1d import Conv1D
from snt_nets.conv_constants import VALID
from snt_nets.nets.transformer.multihead_attention import simple_attention

#: The auxiliary losses a ConvCompressor can train with.
COMPRESSION_LOSSES = ("ae", "mha")


class PoolCompressor(snt.AbstractModule):
    """Compresses a memory ``[B, T, D]`` along time by average or max pooling.

    The window is ``compression_rate + kernel_size`` steps and the stride
    ``compression_rate``; the auxiliary loss is always 0.

    Example:
      >>> pool = snt.nets.transformer.PoolCompressor(compression_rate=2)
      >>> compressed, loss = pool(tf.ones([3, 6, 4]))
      >>> compressed.shape
      TensorShape([3, 3, 4])

    Args:
      compression_rate: the pooling stride (>= 1).
      kernel_size: extra window steps, for overlapping windows.
      pooling: ``"AVG"`` or ``"MAX"``.
      compressed_memory_size: accepted for the Compressive Transformer's
        configuration; unused.
      episodic_memory_size: likewise unused.
      name: module name.

    Raises:
      TypeError, ValueError: bad sizes or ``pooling``.
    """

    def __init__(
        self,
        compression_rate: int = 2,
        kernel_size: int = 0,
        pooling: str = "AVG",
        compressed_memory_size: int | None = None,
        episodic_memory_size: int | None = None,
        name: str = "pool_compressor",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        self._compression_rate = _checks.check_int(where, "compression_rate", compression_rate, 1)
        self._kernel_size = _checks.check_int(where, "kernel_size", kernel_size, 0)
        if pooling not in ("AVG", "MAX"):
            raise ValueError(f"{where}: pooling must be 'AVG' or 'MAX'; got {pooling!r}.")
        self._pooling = pooling
        self._compressed_memory_size = compressed_memory_size
        self._episodic_memory_size = episodic_memory_size

    def _build(self, memory: tf.Tensor, **unused_kwargs: Any) -> tuple[tf.Tensor, tf.Tensor]:
        """Pools ``memory`` ``[B, T, D]``; returns ``(compressed, zero loss)``."""
        pooled = tf.nn.pool(
            memory,
            window_shape=(self._compression_rate + self._kernel_size,),
            pooling_type=self._pooling,
            strides=(self._compression_rate,),
            padding="VALID",
            data_format="NWC",
        )
        return pooled, tf.zeros([], dtype=memory.dtype)


class ConvCompressor(snt.AbstractModule):
    """Compresses a memory ``[B, T, D]`` with a strided 1-D convolution, and scores it.

    Optional dilated convolutions (``conv_rate_<r>``, ReLU) come first; the
    compressing convolution (``conv_1d``: kernel ``compression_rate +
    kernel_size``, stride ``compression_rate``, VALID, no bias) follows. No
    gradient reaches the memory. The auxiliary loss is either

    * ``"ae"``: the mean squared error of reconstructing the memory with the
      transposed convolution (needs the snt-transpose package), or
    * ``"mha"``: the mean squared difference between attending from the
      sequence's queries over the memory and over its compression, with the
      given attention module's key and value projections (as in Sonnet 1,
      gradients of this loss do reach those projections).

    Example:
      >>> compress = snt.nets.transformer.ConvCompressor(
      ...     compression_rate=2, compressed_memory_size=4, episodic_memory_size=4, loss="ae")
      >>> compressed, loss = compress(tf.ones([3, 6, 4]))
      >>> compressed.shape
      TensorShape([3, 3, 4])

    Args:
      compression_rate: the stride (>= 1): ``T`` steps become about
        ``T / compression_rate``.
      compressed_memory_size: the size of the compressed memory.
      episodic_memory_size: the size of the episodic memory (queries come from
        the sequence positions after the last ``episodic_memory_size`` ones).
      kernel_size: extra kernel steps, for overlapping windows.
      dilation_rates: optional rates of dilated convolutions applied first.
      loss: ``"ae"`` or ``"mha"``.
      name: module name.

    Raises:
      NotImplementedError: an unknown ``loss`` (Sonnet 1's error).
      TypeError, ValueError: bad sizes.
    """

    def __init__(
        self,
        compression_rate: int,
        compressed_memory_size: int,
        episodic_memory_size: int,
        kernel_size: int = 0,
        dilation_rates: Sequence[int] | None = None,
        loss: str = "mha",
        name: str = "conv_compressor",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        if loss not in COMPRESSION_LOSSES:
            raise NotImplementedError(
                f"{where}: Unrecognised loss: {loss!r}, expected `ae` or `mha`."
            )
        self._stride = _checks.check_int(where, "compression_rate", compression_rate, 1)
        self._kernel_size = _checks.check_int(where, "kernel_size", kernel_size, 0)
        self._dilation_rates = (
            None
            if dilation_rates is None
            else _checks.check_ints(where, "dilation_rates", dilation_rates, minimum=1)
        )
        self._compressed_memory_size = compressed_memory_size
        self._episodic_memory_size = episodic_memory_size
        self._loss = loss

    def _build(
        self,
        memory: tf.Tensor,
        attention_state: Any = None,
        attention_module: Any = None,
        is_training: bool = False,
        dropout_keep_prob: float = 0.5,
    ) -> tuple[tf.Tensor, tf.Tensor]:
        """Compresses ``memory`` and computes the auxiliary loss.

        Args:
          memory: ``[B, T, D]`` to compress (``T`` and ``D`` known).
          attention_state: the layer's ``AttentionState`` (its ``queries``
            are used by the ``"mha"`` loss).
          attention_module: the layer's ``MultiheadAttention`` (``"mha"``).
          is_training: unused (Sonnet 1's signature).
          dropout_keep_prob: unused.

        Returns:
          ``(compressed_memory, loss)``: ``[B, T', D]`` and a scalar.

        Raises:
          IncompatibleShapeError: ``memory`` is not rank 3 with known sizes.
          ValueError: the ``"mha"`` loss without ``attention_state`` or
            ``attention_module``.
        """
        del is_training, dropout_keep_prob
        shape = _utils.static_shape(memory)
        if len(shape) != 3 or shape[1] is None or shape[2] is None:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: memory must be [batch, time, hidden_size] with known time "
                f"and hidden_size; got {_utils.format_shape(shape)}."
            )
        if self._loss == "mha" and (attention_state is None or attention_module is None):
            raise ValueError(
                f"{self.scope_name}: the 'mha' loss needs the layer's attention_state and "
                "attention_module."
            )
        _, length, hidden_size = shape
        memory = tf.stop_gradient(memory)
        compressed = memory
        for rate in self._dilation_rates or ():
            dilated = Conv1D(
                hidden_size,
                kernel_shape=2,
                rate=rate,
                use_bias=False,
                padding=VALID,
                name=f"conv_rate_{rate}",
            )
            compressed = tf.nn.relu(dilated(compressed))
        conv = Conv1D(
            hidden_size,
            kernel_shape=self._stride + self._kernel_size,
            stride=self._stride,
            use_bias=False,
            padding=VALID,
        )
        compressed = conv(compressed)
        if self._loss == "ae":
            recovered = conv.transpose()(compressed)
            return compressed, tf.reduce_mean(tf.square(recovered - memory))
        # Queries of the positions that have not entered the episodic memory yet.
        first_query = max(length - self._episodic_memory_size, 0)
        queries = tf.stop_gradient(attention_state.queries[:, :, first_query:])
        read_memory = simple_attention(
            queries,
            attention_module.multihead_linear(memory, name="key"),
            attention_module.multihead_linear(memory, name="value"),
        )
        read_compressed = simple_attention(
            queries,
            attention_module.multihead_linear(compressed, name="key"),
            attention_module.multihead_linear(compressed, name="value"),
        )
        return compressed, tf.reduce_mean(tf.square(read_memory - read_compressed))
