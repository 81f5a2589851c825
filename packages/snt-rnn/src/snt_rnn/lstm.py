"""LSTM: long short-term memory core with peepholes, projection, clipping, layer norm."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.lstm_state import LSTMState
from snt_rnn.rnn_core import RNNCore


def layer_norm(x: tf.Tensor, eps: float = 1e-5) -> tf.Tensor:
    """Normalizes ``[batch, n]`` over the last axis with ``layer_norm/gamma`` and ``beta``."""
    size = x.shape[-1]
    with tf.compat.v1.variable_scope("layer_norm"):
        gamma = snt.get_variable(
            "gamma", [size], x.dtype, initializer=tf.compat.v1.ones_initializer()
        )
        beta = snt.get_variable(
            "beta", [size], x.dtype, initializer=tf.compat.v1.zeros_initializer()
        )
    mean, variance = tf.nn.moments(x, axes=[1], keepdims=True)
    # Not spelled ``(x - mean) * rsqrt(variance + eps) * gamma + beta``: TensorFlow's
    # oneDNN graph optimizer fuses that pattern into a layer norm that ignores ``eps``
    # (uses 1e-3) for some shapes (a batch of 1), so graph mode disagreed with eager.
    return tf.nn.batch_normalization(x, mean, variance, beta, gamma, eps)


class LSTM(RNNCore):
    """LSTM core: state ``LSTMState(hidden, cell)``, output the new hidden state.

    One step computes, with ``[i, j, f, o] = [inputs, hidden] @ w_gates + b_gates``
    (``w_gates`` is ``[input_size + hidden, 4 * hidden_size]``)::

      cell' = sigmoid(f + forget_bias) * cell + sigmoid(i) * tanh(j)
      hidden' = tanh(cell') * sigmoid(o)

    Options, as in Sonnet 1: peepholes add ``w_f_diag * cell`` to ``f`` and
    ``w_i_diag * cell`` to ``i`` and scale ``cell'`` by ``1 + w_o_diag`` before
    the output ``tanh`` (Sonnet 1's formulation, kept so its checkpoints give
    the same outputs); ``projection_size`` multiplies ``hidden'`` by
    ``w_h_projection``; ``hidden_clip_value``/``cell_clip_value`` clip the
    incoming state; ``use_layer_norm`` normalizes the gate pre-activations
    (variables ``layer_norm/gamma`` and ``layer_norm/beta``) before ``b_gates``.

    Once connected, the variables of the last connection are also the
    attributes Sonnet 1 gave them: ``_w_xh`` (``w_gates``), ``_b``
    (``b_gates``), ``_w_f_diag``, ``_w_i_diag``, ``_w_o_diag``,
    ``_w_h_projection`` (what ``get_variable`` returned, e.g. a
    ``PartitionedVariable`` with partitioners).

    Example:
      >>> lstm = snt.LSTM(hidden_size=8)
      >>> state = lstm.initial_state(batch_size=4)
      >>> output, state = lstm(tf.ones([4, 3]), state)   # lstm/w_gates [11, 32]

    Args:
      hidden_size: size of the cell state (and of the hidden state unless
        ``projection_size`` is given).
      forget_bias: added to the forget gate pre-activation.
      initializers: optional dict; keys from :meth:`get_possible_initializer_keys`.
        ``w_gates`` and ``b_gates`` default to a truncated normal with stddev
        ``1/sqrt(input_size + hidden)``, ``w_h_projection`` to stddev
        ``1/sqrt(hidden_size)``.
      partitioners: optional dict, same keys.
      regularizers: optional dict, same keys.
      use_peepholes: add the diagonal peephole connections.
      use_layer_norm: layer-normalize the gate pre-activations.
      hidden_clip_value: if given, clip the previous hidden state to ``[-v, v]``.
      projection_size: if given, project the hidden state to this size.
      cell_clip_value: if given, clip the previous cell state to ``[-v, v]``.
      custom_getter: see ``snt.AbstractModule``.
      name: module name.

    Raises:
      KeyError: unknown keys in ``initializers``/``partitioners``/``regularizers``.
      TypeError: ``hidden_size`` or ``projection_size`` is not an int.
      ValueError: a clip value is negative; ``hidden_size`` or ``projection_size``
        is smaller than 1.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float", "prev_state": "nest"}

    W_GATES = "w_gates"
    B_GATES = "b_gates"
    W_F_DIAG = "w_f_diag"
    W_I_DIAG = "w_i_diag"
    W_O_DIAG = "w_o_diag"
    W_H_PROJECTION = "w_h_projection"
    CONNECTION_INPUTS = {"inputs": "float", "prev_state": "nest"}
    POSSIBLE_INITIALIZER_KEYS = {W_GATES, B_GATES, W_F_DIAG, W_I_DIAG, W_O_DIAG, W_H_PROJECTION}

    def __init__(
        self,
        hidden_size: int,
        forget_bias: float = 1.0,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        use_peepholes: bool = False,
        use_layer_norm: bool = False,
        hidden_clip_value: float | None = None,
        projection_size: int | None = None,
        cell_clip_value: float | None = None,
        custom_getter: Any = None,
        name: str = "lstm",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        hidden_size = _utils.check_positive_int(self, "hidden_size", hidden_size)
        if projection_size is not None:
            projection_size = _utils.check_positive_int(self, "projection_size", projection_size)
        keys = self.get_possible_initializer_keys(
            use_peepholes=use_peepholes, use_projection=projection_size is not None
        )
        where = {"module_name": self.scope_name}
        for label, value in (
            ("hidden_clip_value", hidden_clip_value),
            ("cell_clip_value", cell_clip_value),
        ):
            if value is not None and value < 0:
                raise ValueError(f"{self.scope_name}: {label} must be nonnegative; got {value}.")
        _utils.set_untracked(
            self,
            _hidden_size=hidden_size,
            _forget_bias=forget_bias,
            _use_peepholes=use_peepholes,
            _use_layer_norm=use_layer_norm,
            _hidden_clip_value=hidden_clip_value,
            _cell_clip_value=cell_clip_value,
            _projection_size=projection_size,
            _hidden_state_size=projection_size or hidden_size,
            _initializers=snt.check_initializers(initializers, keys, **where),
            _partitioners=snt.check_partitioners(partitioners, keys, **where),
            _regularizers=snt.check_regularizers(regularizers, keys, **where),
            _input_size=None,
            _gate_arguments=None,
        )

    @classmethod
    def get_possible_initializer_keys(
        cls, use_peepholes: bool = False, use_projection: bool = False
    ) -> set[str]:
        """The initializer keys for this configuration.

        ``w_gates`` and ``b_gates`` always; ``w_f_diag``, ``w_i_diag``,
        ``w_o_diag`` with peepholes; ``w_h_projection`` with a projection.
        """
        keys = {cls.W_GATES, cls.B_GATES}
        if use_peepholes:
            keys |= {cls.W_F_DIAG, cls.W_I_DIAG, cls.W_O_DIAG}
        if use_projection:
            keys.add(cls.W_H_PROJECTION)
        return keys

    def _var(self, name: str, shape: Any, dtype: Any, default: Any = None) -> tf.Variable:
        return _utils.get_variable(
            name, shape, dtype, self._initializers, self._partitioners, self._regularizers, default
        )

    def _var_kwargs(self, name: str, shape: Any, dtype: Any, default: Any) -> dict[str, Any]:
        """The keyword arguments of ``snt.get_variable`` for ``name`` (after the name)."""
        initializer = self._initializers.get(name)
        return {
            "shape": shape,
            "dtype": dtype,
            "initializer": default if initializer is None else initializer,
            "partitioner": self._partitioners.get(name),
            "regularizer": self._regularizers.get(name),
        }

    def _build(self, inputs: tf.Tensor, prev_state: Any) -> tuple[tf.Tensor, LSTMState]:
        """One LSTM step.

        Args:
          inputs: ``[batch_size, input_size]``.
          prev_state: ``LSTMState(hidden, cell)`` (or a 2-tuple).

        Returns:
          ``(output, LSTMState(hidden, cell))``.

        Raises:
          IncompatibleShapeError: inputs are not rank 2, or their size changed;
            the hidden or cell state is not ``[batch_size] + size``.
          ValueError: ``prev_state`` is not a pair.
        """
        input_size = _utils.check_input_size(self, inputs)
        hidden, cell = _utils.unpack_pair(self, prev_state, "LSTMState(hidden, cell)")
        sizes = (self._hidden_state_size, self._hidden_size)  # state_size, without TensorShapes
        _utils.check_state_shapes(self, (hidden, cell), sizes, inputs.shape[0])
        if self._hidden_clip_value is not None:
            hidden = tf.clip_by_value(hidden, -self._hidden_clip_value, self._hidden_clip_value)
        if self._cell_clip_value is not None:
            cell = tf.clip_by_value(cell, -self._cell_clip_value, self._cell_clip_value)

        dtype = inputs.dtype
        size = self._hidden_size
        fan_in = input_size + self._hidden_state_size
        key = (fan_in, dtype)
        gate_arguments = self._gate_arguments
        if gate_arguments is None or gate_arguments[0] != key:
            # Once per input size and dtype, not on every step.
            default = _utils.linear_initializer(fan_in, dtype)
            gate_arguments = (
                key,
                self._var_kwargs(self.W_GATES, [fan_in, 4 * size], dtype, default),
                self._var_kwargs(self.B_GATES, [4 * size], dtype, default),
            )
            _utils.set_untracked(self, _gate_arguments=gate_arguments)
        w_gates = snt.get_variable(self.W_GATES, **gate_arguments[1])
        b_gates = snt.get_variable(self.B_GATES, **gate_arguments[2])
        if w_gates is not getattr(self, "_w_xh", None) or b_gates is not getattr(self, "_b", None):
            # Sonnet 1's attribute names for the variables (read by its users' code).
            _utils.set_untracked(self, _w_xh=w_gates, _b=b_gates)

        gates = tf.matmul(tf.concat([inputs, hidden], axis=1), _utils.read(w_gates))
        if self._use_layer_norm:
            gates = layer_norm(gates)
        gates += _utils.read(b_gates)
        i, j, f, o = tf.split(gates, 4, axis=1)

        if self._use_peepholes:
            w_f_diag = self._var(self.W_F_DIAG, [size], dtype)
            w_i_diag = self._var(self.W_I_DIAG, [size], dtype)
            w_o_diag = self._var(self.W_O_DIAG, [size], dtype)
            _utils.set_untracked(self, _w_f_diag=w_f_diag, _w_i_diag=w_i_diag, _w_o_diag=w_o_diag)
            f += w_f_diag * cell
            i += w_i_diag * cell
        next_cell = tf.sigmoid(f + self._forget_bias) * cell + tf.sigmoid(i) * tf.tanh(j)
        cell_output = next_cell
        if self._use_peepholes:
            cell_output = cell_output + w_o_diag * cell_output
        next_hidden = tf.tanh(cell_output) * tf.sigmoid(o)

        if self._projection_size is not None:
            w_proj = self._var(
                self.W_H_PROJECTION,
                [size, self._projection_size],
                dtype,
                _utils.linear_initializer(size, dtype),
            )
            _utils.set_untracked(self, _w_h_projection=w_proj)
            next_hidden = tf.matmul(next_hidden, w_proj)
        return next_hidden, LSTMState(hidden=next_hidden, cell=next_cell)

    @property
    def state_size(self) -> LSTMState:
        """The state sizes.

        ``LSTMState(TensorShape([projection_size or hidden_size]), TensorShape([hidden_size]))``.
        """
        return LSTMState(
            tf.TensorShape([self._hidden_state_size]), tf.TensorShape([self._hidden_size])
        )

    @property
    def output_size(self) -> tf.TensorShape:
        """``TensorShape([projection_size or hidden_size])``."""
        return tf.TensorShape([self._hidden_state_size])

    @property
    def use_peepholes(self) -> bool:
        """Whether peephole connections are used."""
        return self._use_peepholes

    @property
    def use_layer_norm(self) -> bool:
        """Whether the gates are layer-normalized."""
        return self._use_layer_norm
