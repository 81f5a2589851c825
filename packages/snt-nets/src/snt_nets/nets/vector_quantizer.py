"""VectorQuantizer: the VQ-VAE bottleneck trained with a codebook loss."""

from __future__ import annotations

import math
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.nets import vq_math


def check_sizes(where: str, embedding_dim: Any, num_embeddings: Any) -> tuple[int, int]:
    """Both sizes as positive ints (TypeError/ValueError naming the module otherwise)."""
    return (
        _checks.check_int(where, "embedding_dim", embedding_dim, minimum=1),
        _checks.check_int(where, "num_embeddings", num_embeddings, minimum=1),
    )


class VectorQuantizer(snt.AbstractModule):
    """Replaces each input vector by the nearest of ``num_embeddings`` learned codes.

    The last dimension of the inputs (``embedding_dim``) is the space to
    quantize in; all leading dimensions are flattened into a batch of vectors
    and restored in the outputs. The codes are the columns of the variable
    ``embedding`` ``[embedding_dim, num_embeddings]``, created with the module
    (uniform unit-scaling initializer). Training uses the loss of van den Oord
    et al. 2017 (https://arxiv.org/abs/1711.00937)::

        loss = mean((quantized - sg(inputs))^2)
               + commitment_cost * mean((sg(quantized) - inputs)^2)

    and ``quantize`` passes the decoder's gradients straight through to the
    inputs.

    Example:
      >>> vq = snt.nets.VectorQuantizer(embedding_dim=4, num_embeddings=16,
      ...                               commitment_cost=0.25)
      >>> out = vq(tf.zeros([2, 5, 5, 4]), is_training=True)
      >>> out["quantize"].shape, out["encoding_indices"].shape
      (TensorShape([2, 5, 5, 4]), TensorShape([2, 5, 5]))

    Args:
      embedding_dim: the size ``D`` of each vector (the inputs' last dimension).
      num_embeddings: the number ``K`` of codes.
      commitment_cost: the weight (beta) of the commitment term of the loss.
      name: module name.

    Raises:
      TypeError: a size is not an int.
      ValueError: a size is not positive.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    def __init__(
        self,
        embedding_dim: int,
        num_embeddings: int,
        commitment_cost: float,
        name: str = "vq_layer",
    ) -> None:
        super().__init__(name=name)
        self._embedding_dim, self._num_embeddings = check_sizes(
            self.scope_name, embedding_dim, num_embeddings
        )
        self._commitment_cost = commitment_cost
        _utils.set_untracked(self, _w=self._create_variables())

    @snt.reuse_variables
    def _create_variables(self) -> tf.Variable:
        """Creates ``embedding`` with the module, as Sonnet 1 did."""
        # Uniform unit scaling (factor 1): the fan-in is the first dimension.
        limit = math.sqrt(3.0 / self._embedding_dim)
        return tf.compat.v1.get_variable(
            "embedding",
            [self._embedding_dim, self._num_embeddings],
            initializer=tf.compat.v1.random_uniform_initializer(-limit, limit),
            trainable=True,
            use_resource=True,
        )

    def _build(self, inputs: tf.Tensor, is_training: Any) -> dict[str, tf.Tensor]:
        """Quantizes ``inputs``.

        Args:
          inputs: a float32 tensor ``[..., embedding_dim]``.
          is_training: whether this is a training connection (accepted for
            the common signature; this module has no training-only state).

        Returns:
          A dict: ``quantize`` (same shape as ``inputs``), ``loss`` (scalar),
          ``perplexity`` (scalar: exp of the entropy of the average code
          usage), ``encodings`` (one-hot ``[N, num_embeddings]`` over the
          flattened inputs) and ``encoding_indices`` (int64, ``inputs``'
          shape without the last dimension).

        Raises:
          ValueError: the inputs' last dimension is not ``embedding_dim``
            (the message contains "Cannot reshape a tensor").
          TypeError: the inputs are not float32.
        """
        del is_training
        where = self.scope_name
        inputs = vq_math.prepare_inputs(where, inputs, self._embedding_dim, self._w.dtype)
        codes = vq_math.nearest_codes(where, inputs, self._w, self._embedding_dim)
        quantized = self.quantize(codes.indices)
        codebook_loss = tf.reduce_mean(tf.square(quantized - tf.stop_gradient(inputs)))
        commitment_loss = tf.reduce_mean(tf.square(tf.stop_gradient(quantized) - inputs))
        loss = codebook_loss + self._commitment_cost * commitment_loss
        return vq_math.outputs(inputs, quantized, loss, codes)

    @property
    def embeddings(self) -> tf.Variable:
        """The codebook ``[embedding_dim, num_embeddings]`` (one code per column)."""
        return self._w

    def quantize(self, encoding_indices: tf.Tensor) -> tf.Tensor:
        """The codes for ``encoding_indices``: shape ``indices.shape + [embedding_dim]``."""
        return vq_math.lookup(self._w, encoding_indices)
