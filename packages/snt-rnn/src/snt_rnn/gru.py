"""GRU: gated recurrent unit core."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.rnn_core import RNNCore


class GRU(RNNCore):
    """Gated recurrent unit: the state is also the output, ``[batch, hidden_size]``.

    One step computes::

      z = sigmoid(x @ wz + h @ uz + bz)
      r = sigmoid(x @ wr + h @ ur + br)
      h_tilde = tanh(x @ wh + (r * h) @ uh + bh)
      h' = (1 - z) * h + z * h_tilde

    Variables not given an initializer use ``tf.compat.v1.get_variable``'s
    default (Glorot uniform), as in Sonnet 1. Once connected, each variable is
    also the attribute Sonnet 1 gave it (``_wz``, ``_uz``, ... ``_bh``: what
    ``get_variable`` returned on the last connection).

    Example:
      >>> gru = snt.GRU(hidden_size=8)
      >>> output, state = gru(tf.ones([4, 3]), gru.initial_state(4))  # gru/wz [3, 8]

    Args:
      hidden_size: the state size.
      initializers: optional dict with keys from ``POSSIBLE_INITIALIZER_KEYS``.
      partitioners: optional dict, same keys.
      regularizers: optional dict, same keys.
      custom_getter: see ``snt.AbstractModule``.
      name: module name.

    Raises:
      KeyError: unknown keys in ``initializers``/``partitioners``/``regularizers``.
      TypeError: ``hidden_size`` is not an int.
      ValueError: ``hidden_size`` is smaller than 1.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float", "prev_state": "nest"}

    WZ = "wz"
    UZ = "uz"
    BZ = "bz"
    WR = "wr"
    UR = "ur"
    BR = "br"
    WH = "wh"
    UH = "uh"
    BH = "bh"
    POSSIBLE_INITIALIZER_KEYS = {WZ, UZ, BZ, WR, UR, BR, WH, UH, BH}

    def __init__(
        self,
        hidden_size: int,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        custom_getter: Any = None,
        name: str = "gru",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        hidden_size = _utils.check_positive_int(self, "hidden_size", hidden_size)
        keys = self.POSSIBLE_INITIALIZER_KEYS
        where = {"module_name": self.scope_name}
        _utils.set_untracked(
            self,
            _hidden_size=hidden_size,
            _initializers=snt.check_initializers(initializers, keys, **where),
            _partitioners=snt.check_partitioners(partitioners, keys, **where),
            _regularizers=snt.check_regularizers(regularizers, keys, **where),
            _input_size=None,
        )

    @classmethod
    def get_possible_initializer_keys(cls) -> set[str]:
        """``{"wz", "uz", "bz", "wr", "ur", "br", "wh", "uh", "bh"}``."""
        return set(cls.POSSIBLE_INITIALIZER_KEYS)

    def _build(self, inputs: tf.Tensor, prev_state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """One GRU step.

        Args:
          inputs: ``[batch_size, input_size]``.
          prev_state: ``[batch_size, hidden_size]``.

        Returns:
          ``(output, next_state)``, the same tensor twice.

        Raises:
          IncompatibleShapeError: inputs are not rank 2, or their size changed;
            ``prev_state`` is not ``[batch_size, hidden_size]``.
          ValueError: ``prev_state`` is not a single tensor.
        """
        input_size = _utils.check_input_size(self, inputs)
        _utils.check_state_shapes(self, prev_state, self.state_size, inputs.shape[0])
        size, dtype = self._hidden_size, inputs.dtype

        def var(name: str, shape: Any) -> tf.Variable:
            variable = _utils.get_variable(
                name, shape, dtype, self._initializers, self._partitioners, self._regularizers
            )
            # Sonnet 1's attribute for the variable (``gru._wz``...), read by its users.
            _utils.set_untracked(self, **{f"_{name}": variable})
            return variable

        w_shape, u_shape, b_shape = (input_size, size), (size, size), (size,)
        h = prev_state
        z = tf.sigmoid(
            tf.matmul(inputs, var(self.WZ, w_shape))
            + tf.matmul(h, var(self.UZ, u_shape))
            + var(self.BZ, b_shape)
        )
        r = tf.sigmoid(
            tf.matmul(inputs, var(self.WR, w_shape))
            + tf.matmul(h, var(self.UR, u_shape))
            + var(self.BR, b_shape)
        )
        h_tilde = tf.tanh(
            tf.matmul(inputs, var(self.WH, w_shape))
            + tf.matmul(r * h, var(self.UH, u_shape))
            + var(self.BH, b_shape)
        )
        next_state = (1 - z) * h + z * h_tilde
        return next_state, next_state

    @property
    def state_size(self) -> tf.TensorShape:
        """``TensorShape([hidden_size])``."""
        return tf.TensorShape([self._hidden_size])

    @property
    def output_size(self) -> tf.TensorShape:
        """``TensorShape([hidden_size])``."""
        return tf.TensorShape([self._hidden_size])
