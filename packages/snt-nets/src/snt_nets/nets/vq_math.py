"""The quantization math both vector quantizers share (not public API)."""

from __future__ import annotations

from typing import Any, NamedTuple

import tensorflow as tf

from snt_nets import _utils


class Codes(NamedTuple):
    """The nearest codes of the flattened inputs."""

    flat_inputs: tf.Tensor  # [N, D]
    encodings: tf.Tensor  # [N, K] one-hot
    indices: tf.Tensor  # inputs.shape[:-1], int64


def prepare_inputs(where: str, inputs: Any, embedding_dim: int, dtype: tf.DType) -> tf.Tensor:
    """``inputs`` as a tensor of the embeddings' dtype whose last dimension is ``embedding_dim``.

    Raises:
      TypeError: a tensor of another dtype.
      ValueError: a rank-0 input, or a known last dimension other than
        ``embedding_dim`` (Sonnet 1's "Cannot reshape a tensor" error).
    """
    if not tf.is_tensor(inputs):
        inputs = tf.convert_to_tensor(inputs, dtype=dtype)
    if inputs.dtype.base_dtype != dtype:
        raise TypeError(
            f"{where}: inputs must have the embeddings' dtype {dtype.name}; got "
            f"{inputs.dtype.name}."
        )
    rank = inputs.shape.rank
    if rank == 0:
        raise ValueError(f"{where}: inputs must have at least one dimension; got a scalar.")
    if rank is not None and inputs.shape[-1] is not None and inputs.shape[-1] != embedding_dim:
        raise ValueError(
            f"{where}: Cannot reshape a tensor of shape "
            f"{_utils.format_shape(inputs.shape.as_list())} into vectors of embedding_dim="
            f"{embedding_dim}: the last dimension of the inputs must be {embedding_dim}."
        )
    return inputs


def nearest_codes(where: str, inputs: tf.Tensor, w: tf.Tensor, embedding_dim: int) -> Codes:
    """Flattens ``inputs`` to ``[N, D]`` and finds each row's nearest column of ``w`` ``[D, K]``.

    Squared Euclidean distances ``|x|^2 - 2 x.w + |w|^2``; ties go to the lowest
    index (``argmax`` of the negated distances, as in Sonnet 1).
    """
    input_shape = tf.shape(inputs)
    same_dim = tf.debugging.assert_equal(
        input_shape[-1],
        embedding_dim,
        message=f"{where}: the last dimension of the inputs must be embedding_dim",
    )
    with tf.control_dependencies([same_dim]):
        flat = tf.reshape(inputs, [-1, embedding_dim])
    distances = (
        tf.reduce_sum(tf.square(flat), axis=1, keepdims=True)
        - 2.0 * tf.matmul(flat, w)
        + tf.reduce_sum(tf.square(w), axis=0, keepdims=True)
    )
    flat_indices = tf.argmax(-distances, axis=1)
    encodings = tf.one_hot(flat_indices, tf.shape(w)[1], dtype=w.dtype)
    encodings.set_shape([None, w.shape[1]])
    indices = tf.reshape(flat_indices, input_shape[:-1])
    indices.set_shape(inputs.shape[:-1])
    return Codes(flat, encodings, indices)


def lookup(embeddings: tf.Variable, encoding_indices: tf.Tensor) -> tf.Tensor:
    """The embedding vectors (columns of ``embeddings``) for ``encoding_indices``."""
    encoding_indices = tf.convert_to_tensor(encoding_indices)
    with tf.control_dependencies([encoding_indices]):
        codebook = tf.transpose(tf.convert_to_tensor(embeddings), [1, 0])
    return tf.gather(codebook, encoding_indices)


def perplexity(encodings: tf.Tensor) -> tf.Tensor:
    """``exp`` of the entropy of the average code usage."""
    average = tf.reduce_mean(encodings, axis=0)
    return tf.exp(-tf.reduce_sum(average * tf.math.log(average + 1e-10)))


def outputs(
    inputs: tf.Tensor, quantized: tf.Tensor, loss: tf.Tensor, codes: Codes
) -> dict[str, tf.Tensor]:
    """Sonnet 1's output dict; ``quantize`` passes gradients straight through to ``inputs``."""
    return {
        "quantize": inputs + tf.stop_gradient(quantized - inputs),
        "loss": loss,
        "perplexity": perplexity(codes.encodings),
        "encodings": codes.encodings,
        "encoding_indices": codes.indices,
    }


def static_bool(where: str, value: Any) -> bool:
    """``is_training`` as a Python bool; a tensor must have a constant value.

    Raises:
      TypeError: a tensor whose value is only known when the graph runs.
    """
    if not tf.is_tensor(value):
        return bool(value)
    static = tf.get_static_value(value)
    if static is None:
        raise TypeError(
            f"{where}: is_training must be a Python bool (it decides, when the module is "
            f"connected, whether the embeddings are updated); got the tensor {value!r}."
        )
    return bool(static)
