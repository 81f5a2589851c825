"""Embed: a trainable lookup table from ids to vectors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils


def embedding_dim(vocab_size: int) -> int:
    """Sonnet 1's default embedding size: ``round(6 * vocab_size ** 0.25)``."""
    return int(round(6.0 * np.sqrt(np.sqrt(vocab_size))))


class Embed(snt.AbstractModule):
    """Maps integer ids to rows of ``embeddings`` ``[vocab_size, embed_dim]``.

    Example:
      >>> embed = snt.Embed(vocab_size=10, embed_dim=4)
      >>> embed(tf.constant([[1, 2, 3]])).shape
      TensorShape([1, 3, 4])

    Args:
      vocab_size: number of ids (with ``embed_dim``; or give ``existing_vocab``).
      embed_dim: vector size; defaults to ``round(6 * vocab_size ** 0.25)``.
      existing_vocab: an array ``[vocab_size, embed_dim]`` to start from.
      densify_gradients: make the gradient of the table a dense tensor.
      initializers: dict with key ``"embeddings"`` (default normal, stddev 1).
      partitioners: dict with key ``"embeddings"``.
      regularizers: dict with key ``"embeddings"``.
      trainable: whether the table is trainable.
      custom_getter: a custom getter (or dict of them).
      name: module name.

    Raises:
      ValueError: neither ``vocab_size`` nor ``existing_vocab`` is given, or
        ``existing_vocab`` is combined with sizes/initializers/partitioners or
        is not rank 2, or ``vocab_size``/``embed_dim`` is below 1.
      TypeError: ``vocab_size`` or ``embed_dim`` is not an int.
      KeyError: unknown keys in the dicts.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"ids": "int"}

    EMBEDDINGS = "embeddings"
    POSSIBLE_INITIALIZER_KEYS = {EMBEDDINGS}

    def __init__(
        self,
        vocab_size: int | None = None,
        embed_dim: int | None = None,
        existing_vocab: Any = None,
        densify_gradients: bool = False,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        trainable: bool = True,
        custom_getter: Any = None,
        name: str = "embed",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        where = self.scope_name
        if existing_vocab is None and vocab_size is None:
            raise ValueError(f"{where}: give vocab_size or existing_vocab.")
        if existing_vocab is not None:
            if any(x is not None for x in (vocab_size, embed_dim, initializers, partitioners)):
                raise ValueError(
                    f"{where}: existing_vocab fixes the table; vocab_size, embed_dim, "
                    "initializers and partitioners must not be given with it."
                )
            existing_vocab = np.asarray(existing_vocab)
            if existing_vocab.ndim != 2:
                raise ValueError(
                    f"{where}: existing_vocab must be a matrix [vocab_size, embed_dim]; got "
                    f"shape {list(existing_vocab.shape)}."
                )
            vocab_size, embed_dim = existing_vocab.shape
        else:
            vocab_size = _checks.check_int(where, "vocab_size", vocab_size, minimum=1)
            if embed_dim is None:
                embed_dim = embedding_dim(vocab_size)
            embed_dim = _checks.check_int(where, "embed_dim", embed_dim, minimum=1)
        keys = self.POSSIBLE_INITIALIZER_KEYS
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        self._vocab_size, self._embed_dim = int(vocab_size), int(embed_dim)
        self._densify_gradients = densify_gradients
        self._trainable = trainable
        _utils.set_untracked(self, _existing_vocab=existing_vocab, _embeddings=None)

    def _build(self, ids: tf.Tensor) -> tf.Tensor:
        """Looks up ``ids`` (any shape, integer); returns ``ids.shape + [embed_dim]``.

        Raises:
          TypeError: ``ids`` are not integers.
        """
        ids = tf.convert_to_tensor(ids)
        if not ids.dtype.is_integer:
            raise TypeError(f"{self.scope_name}: ids must be integers; got {ids.dtype.name}.")
        if self._existing_vocab is not None:
            initializer = tf.compat.v1.constant_initializer(self._existing_vocab)
            dtype = tf.as_dtype(self._existing_vocab.dtype)
        else:
            initializer = tf.compat.v1.random_normal_initializer()
            dtype = tf.float32
        embeddings = _utils.get_variable(
            self.EMBEDDINGS,
            (self._vocab_size, self._embed_dim),
            dtype,
            self._initializers,
            self._partitioners,
            self._regularizers,
            initializer,
            trainable=self._trainable,
        )
        _utils.set_untracked(self, _embeddings=embeddings)
        if self._densify_gradients:
            embeddings = snt.convert_gradient_to_tensor(embeddings)
        if isinstance(embeddings, tf.Variable | tf.Tensor):
            return tf.nn.embedding_lookup(embeddings, ids)
        return tf.nn.embedding_lookup(list(embeddings), ids)

    @property
    def vocab_size(self) -> int:
        return self._vocab_size

    @property
    def embed_dim(self) -> int:
        return self._embed_dim

    @property
    def embeddings(self) -> tf.Variable:
        """The table. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._embeddings
