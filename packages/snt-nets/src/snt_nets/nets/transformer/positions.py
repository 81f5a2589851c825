"""Sinusoidal position encodings and the relative-position logit shift."""

from __future__ import annotations

import tensorflow as tf


def get_position_encodings(
    sequence_length: int,
    hidden_size: int,
    clamp_value: float,
    max_timescale: float = 10000.0,
    min_timescale: float = 2.0,
) -> tf.Tensor:
    """Sinusoidal encodings ``[1, sequence_length, hidden_size]`` of the distances to the end.

    Row ``t`` encodes the distance ``p = sequence_length - 1 - t`` (clamped to
    ``clamp_value`` when that is positive) as ``[sin(p * f), cos(p * f)]`` for
    the frequencies ``f_k = max_timescale ** -(k * min_timescale / hidden_size)``,
    ``k = 0, 1, ...`` while ``k * min_timescale < hidden_size``.

    Example:
      >>> snt.nets.transformer.get_position_encodings(5, 8, clamp_value=0).shape
      TensorShape([1, 5, 8])

    Args:
      sequence_length: the number of positions ``T``.
      hidden_size: the encoding size ``D``; with the default ``min_timescale``
        it must be even.
      clamp_value: distances above it are clamped to it (0: no clamping).
      max_timescale: the longest period.
      min_timescale: the step between frequency exponents.

    Returns:
      A float32 tensor ``[1, T, D]``.

    Raises:
      ValueError: the sines and cosines do not add up to ``hidden_size``
        (an odd ``hidden_size`` with ``min_timescale=2``).
    """
    distances = tf.range(sequence_length - 1, -1, -1.0)
    if clamp_value > 0:
        distances = tf.minimum(distances, clamp_value)
    exponents = tf.range(0, hidden_size, min_timescale, dtype=tf.float32) / hidden_size
    frequencies = 1.0 / (max_timescale**exponents)
    angles = distances[:, tf.newaxis] * frequencies[tf.newaxis, :]
    encodings = tf.concat([tf.sin(angles), tf.cos(angles)], axis=-1)[tf.newaxis]
    size = encodings.shape[-1]
    if size != hidden_size:
        raise ValueError(
            f"position embedding dimension ({size}) does not match that of the input "
            f"({hidden_size}): the encodings hold a sine and a cosine for each of the "
            f"ceil({hidden_size} / {min_timescale:g}) frequencies."
        )
    return encodings


def rel_shift(position_logits: tf.Tensor) -> tf.Tensor:
    """Shifts each query row of relative-position logits by its own offset.

    For logits ``[B, H, N, N + M]`` scored against relative positions ordered
    from the farthest to the nearest, row ``i`` is rotated right by
    ``N - 1 - i`` places, so that after the shift column ``j`` holds the score
    for the distance between query ``i`` and key ``j`` (Transformer-XL,
    Dai et al. 2019). The wrapped-around entries above the diagonal are not
    zero; a causal mask hides them.

    Example:
      >>> x = tf.tile(tf.constant([[[[3., 2., 1.]]]]), [1, 1, 3, 1])
      >>> snt.nets.transformer.rel_shift(x)[0, 0].numpy()
      array([[1., 0., 3.],
             [2., 1., 0.],
             [3., 2., 1.]], dtype=float32)

    Args:
      position_logits: a rank-4 tensor ``[B, H, N, N + M]``.

    Returns:
      The shifted logits, same shape.

    Raises:
      ValueError: the logits are not rank 4.
    """
    if position_logits.shape.rank != 4:
        raise ValueError(
            f"rel_shift expects 4D position logits [B, H, N, N + M]; got shape "
            f"{position_logits.shape}."
        )
    shape = tf.shape(position_logits)
    padded = tf.pad(position_logits, [[0, 0], [0, 0], [0, 0], [1, 0]])
    # Reading the padded rows with one more column per row moves row i by one
    # more place than row i - 1: the classic Transformer-XL reshape.
    folded = tf.reshape(padded, tf.stack([shape[0], shape[1], shape[3] + 1, shape[2]]))
    shifted = tf.reshape(folded[:, :, 1:], shape)
    shifted.set_shape(position_logits.shape)
    return shifted
