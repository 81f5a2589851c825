"""BatchNormLSTM: an LSTM with batch-normalized recurrent, input and cell paths."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn._batch_norm_steps import normalize
from snt_rnn.lstm_state import LSTMState
from snt_rnn.rnn_core import BatchSize, RNNCore


class BatchNormLSTM(RNNCore):
    """LSTM with recurrent batch normalization (Cooijmans et al., 2016).

    One step computes, as :class:`snt.LSTM` does, ``[i, j, f, o] = gates + b_gates``
    and::

      cell' = sigmoid(f + forget_bias) * cell + sigmoid(i) * tanh(j)
      hidden' = tanh(cell_out) * sigmoid(o)

    where, with batch normalization ``BN`` (no offset, no scale, eps 1e-3,
    decay 0.999):

    - ``gates = gamma_h * BN_h(hidden @ w_gates_H) + gamma_x * BN_x(inputs @ w_gates_X)``
      when ``use_batch_norm_h`` or ``use_batch_norm_x`` (a disabled side is
      not normalized nor scaled), else ``[inputs, hidden] @ w_gates``;
    - ``cell_out = beta_c + gamma_c * BN_c(cell')`` with ``use_batch_norm_c``,
      else ``cell'``; peepholes then scale it by ``1 + w_o_diag`` and add
      ``w_f_diag * cell`` to ``f`` and ``w_i_diag * cell`` to ``i``.

    ``BN_h``, ``BN_x`` and ``BN_c`` keep moving averages of the statistics in
    ``batch_norm_h/batch_norm/moving_mean`` (and ``moving_variance``),
    ``[1, 4 * hidden_size]`` (``[1, hidden_size]`` for ``batch_norm_c``).
    With ``max_unique_stats = n > 1`` there are ``n`` sets
    (``batch_norm``, ``batch_norm_1``, ... ``batch_norm_<n-1>``): time step
    ``t`` uses set ``min(t, n - 1)``, and the state carries the time step.

    Moving averages are updated when ``is_training`` is true: eagerly and in
    ``tf.function`` (also inside ``dynamic_rnn``/``snt.dynamic_unroll``
    loops) right away; when a ``tf.compat.v1`` graph is built outside a
    loop, the update ops go to ``tf.compat.v1.GraphKeys.UPDATE_OPS``.

    Once connected, the variables of the last connection are also the
    attributes Sonnet 1 gave them: ``_w_h``/``_w_x`` (``w_gates_H``/``_X``) or
    ``_w_xh`` (``w_gates``), ``_b`` (``b_gates``), ``_gamma_h``, ``_gamma_x``,
    ``_gamma_c``, ``_beta_c`` and the peephole ``_w_f_diag``, ``_w_i_diag``,
    ``_w_o_diag``.

    ``is_training`` must be given on each call; to unroll with
    ``tf.compat.v1.nn.dynamic_rnn`` or ``snt.dynamic_unroll``, use
    :meth:`with_batch_norm_control`.

    Example:
      >>> lstm = snt.BatchNormLSTM(8)
      >>> state = lstm.initial_state(batch_size=4)
      >>> output, state = lstm(tf.ones([4, 3]), state, is_training=True)
      >>> core = lstm.with_batch_norm_control(is_training=False)
      >>> outputs, final = snt.dynamic_unroll(core, tf.ones([5, 4, 3]), state)

    Args:
      hidden_size: size of the hidden and cell states.
      forget_bias: added to the forget gate pre-activation.
      initializers: optional dict; keys from :meth:`get_possible_initializer_keys`.
        ``w_gates`` (used for ``w_gates``, ``w_gates_H`` and ``w_gates_X``) and
        ``b_gates`` default to a truncated normal with stddev
        ``1/sqrt(input_size + hidden_size)``; ``gamma_h``, ``gamma_x``,
        ``gamma_c`` to 0.1; ``beta_c`` to zeros.
      partitioners: optional dict, same keys.
      regularizers: optional dict, same keys.
      use_peepholes: add the diagonal peephole connections.
      use_batch_norm_h: batch-normalize the hidden-to-gates path.
      use_batch_norm_x: batch-normalize the input-to-gates path.
      use_batch_norm_c: batch-normalize the new cell before the output ``tanh``.
      max_unique_stats: number of distinct sets of statistics over time (>= 1).
      hidden_clip_value: if given, clip the previous hidden state to ``[-v, v]``.
      cell_clip_value: if given, clip the previous cell state to ``[-v, v]``.
      custom_getter: see ``snt.AbstractModule``.
      name: module name.

    Raises:
      KeyError: unknown keys in ``initializers``/``partitioners``/``regularizers``.
      TypeError: ``hidden_size`` is not an int.
      ValueError: ``max_unique_stats`` is not a positive int, or is > 1
        without any batch normalization; a clip value is negative;
        ``hidden_size`` is smaller than 1.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    W_GATES = "w_gates"
    B_GATES = "b_gates"
    W_F_DIAG = "w_f_diag"
    W_I_DIAG = "w_i_diag"
    W_O_DIAG = "w_o_diag"
    GAMMA_H = "gamma_h"
    GAMMA_X = "gamma_x"
    GAMMA_C = "gamma_c"
    BETA_C = "beta_c"
    POSSIBLE_INITIALIZER_KEYS = {
        W_GATES,
        B_GATES,
        W_F_DIAG,
        W_I_DIAG,
        W_O_DIAG,
        GAMMA_H,
        GAMMA_X,
        GAMMA_C,
        BETA_C,
    }

    def __init__(
        self,
        hidden_size: int,
        forget_bias: float = 1.0,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        use_peepholes: bool = False,
        use_batch_norm_h: bool = True,
        use_batch_norm_x: bool = False,
        use_batch_norm_c: bool = False,
        max_unique_stats: int = 1,
        hidden_clip_value: float | None = None,
        cell_clip_value: float | None = None,
        custom_getter: Any = None,
        name: str = "batch_norm_lstm",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        where = self.scope_name
        hidden_size = _utils.check_positive_int(self, "hidden_size", hidden_size)
        if (
            isinstance(max_unique_stats, bool)
            or not isinstance(max_unique_stats, int)
            or max_unique_stats < 1
        ):
            raise ValueError(
                f"{where}: max_unique_stats must be >= 1 (an int); got {max_unique_stats!r}."
            )
        if max_unique_stats > 1 and not (use_batch_norm_h or use_batch_norm_x or use_batch_norm_c):
            raise ValueError(
                f"{where}: max_unique_stats={max_unique_stats} needs batch normalization; "
                "all of use_batch_norm_h, use_batch_norm_x and use_batch_norm_c are False."
            )
        for label, value in (
            ("hidden_clip_value", hidden_clip_value),
            ("cell_clip_value", cell_clip_value),
        ):
            if value is not None and value < 0:
                raise ValueError(f"{where}: {label} must be nonnegative; got {value}.")
        keys = self.get_possible_initializer_keys(
            use_peepholes=use_peepholes,
            use_batch_norm_h=use_batch_norm_h,
            use_batch_norm_x=use_batch_norm_x,
            use_batch_norm_c=use_batch_norm_c,
        )
        checked = {"module_name": where}
        _utils.set_untracked(
            self,
            _hidden_size=hidden_size,
            _forget_bias=forget_bias,
            _use_peepholes=use_peepholes,
            _use_batch_norm_h=use_batch_norm_h,
            _use_batch_norm_x=use_batch_norm_x,
            _use_batch_norm_c=use_batch_norm_c,
            _max_unique_stats=max_unique_stats,
            _hidden_clip_value=hidden_clip_value,
            _cell_clip_value=cell_clip_value,
            _initializers=snt.check_initializers(initializers, keys, **checked),
            _partitioners=snt.check_partitioners(partitioners, keys, **checked),
            _regularizers=snt.check_regularizers(regularizers, keys, **checked),
            _input_size=None,
        )

    @classmethod
    def get_possible_initializer_keys(
        cls,
        use_peepholes: bool = False,
        use_batch_norm_h: bool = True,
        use_batch_norm_x: bool = False,
        use_batch_norm_c: bool = False,
    ) -> set[str]:
        """The initializer keys for this configuration.

        ``w_gates`` and ``b_gates`` always; the peephole weights with
        peepholes; ``gamma_h``, ``gamma_x`` and ``gamma_c``/``beta_c`` with the
        matching batch normalization.
        """
        keys = {cls.W_GATES, cls.B_GATES}
        if use_peepholes:
            keys |= {cls.W_F_DIAG, cls.W_I_DIAG, cls.W_O_DIAG}
        if use_batch_norm_h:
            keys.add(cls.GAMMA_H)
        if use_batch_norm_x:
            keys.add(cls.GAMMA_X)
        if use_batch_norm_c:
            keys |= {cls.GAMMA_C, cls.BETA_C}
        return keys

    def with_batch_norm_control(
        self, is_training: Any, test_local_stats: Any = True
    ) -> BatchNormLSTM.CoreWithExtraBuildArgs:
        """This core with ``is_training``/``test_local_stats`` bound, for unrolling.

        Args:
          is_training: bool or boolean tensor passed to every step.
          test_local_stats: bool or boolean tensor passed to every step.

        Returns:
          An RNN core sharing this core's variables whose calls take only
          ``(inputs, prev_state)``.
        """
        return BatchNormLSTM.CoreWithExtraBuildArgs(
            self, is_training=is_training, test_local_stats=test_local_stats
        )

    def _var(
        self,
        name: str,
        shape: Any,
        dtype: Any,
        default: Any,
        key: str | None = None,
        attr: str = "",
    ) -> Any:
        """Gets variable ``name`` and keeps it as Sonnet 1's attribute (``_<name>`` or ``attr``)."""
        key = key or name
        variable = snt.get_variable(
            name,
            shape=shape,
            dtype=dtype,
            initializer=self._initializers.get(key, default),
            partitioner=self._partitioners.get(key),
            regularizer=self._regularizers.get(key),
        )
        _utils.set_untracked(self, **{attr or f"_{name}": variable})
        return variable

    def _unpack_state(self, prev_state: Any) -> tuple[Any, Any, Any]:
        count = 2 if self._max_unique_stats == 1 else 3
        if not isinstance(prev_state, (tuple, list)) or len(prev_state) != count:
            expected = (
                "LSTMState(hidden, cell)"
                if count == 2
                else f"(hidden, cell, time_step) (max_unique_stats={self._max_unique_stats})"
            )
            raise ValueError(
                f"{self.scope_name}: prev_state must be {expected}; got "
                f"{type(prev_state).__name__}: {prev_state!r}."
            )
        return prev_state[0], prev_state[1], (prev_state[2] if count == 3 else None)

    def _build(
        self,
        inputs: tf.Tensor,
        prev_state: Any,
        is_training: Any = None,
        test_local_stats: Any = True,
    ) -> tuple[tf.Tensor, Any]:
        """One step.

        Args:
          inputs: ``[batch_size, input_size]``.
          prev_state: ``LSTMState(hidden, cell)``; with ``max_unique_stats > 1``
            ``(hidden, cell, time_step)``.
          is_training: bool or boolean tensor (required): normalize with the
            batch statistics and update the moving averages.
          test_local_stats: when not training, normalize with the batch
            statistics anyway (default True, as in Sonnet 1).

        Returns:
          ``(output, next_state)``.

        Raises:
          ValueError: ``is_training`` was not given, or ``prev_state`` has the
            wrong structure.
          IncompatibleShapeError: inputs are not rank 2, or their size changed;
            a state tensor is not ``[batch_size] + size``.
        """
        if is_training is None:
            raise ValueError(
                f"{self.scope_name}: Boolean is_training flag must be explicitly specified "
                "(True/False or a boolean tensor) when connecting a BatchNormLSTM; to unroll "
                "it, use core.with_batch_norm_control(is_training, test_local_stats)."
            )
        input_size = _utils.check_input_size(self, inputs)
        hidden, cell, time_step = self._unpack_state(prev_state)
        _utils.check_state_shapes(
            self,
            (hidden, cell) if time_step is None else (hidden, cell, time_step),
            tuple(self.state_size),
            inputs.shape[0],
        )
        if self._hidden_clip_value is not None:
            hidden = tf.clip_by_value(hidden, -self._hidden_clip_value, self._hidden_clip_value)
        if self._cell_clip_value is not None:
            cell = tf.clip_by_value(cell, -self._cell_clip_value, self._cell_clip_value)
        index = None
        if time_step is not None:
            index = tf.minimum(
                tf.cast(tf.reduce_max(time_step), tf.int32), self._max_unique_stats - 1
            )
        norm = {
            "index": index,
            "sets": self._max_unique_stats,
            "is_training": is_training,
            "test_local_stats": test_local_stats,
        }

        dtype = inputs.dtype
        size = self._hidden_size
        default = _utils.linear_initializer(input_size + size, dtype)
        gamma_default = tf.compat.v1.constant_initializer(0.1)
        if self._use_batch_norm_h or self._use_batch_norm_x:
            w_h = self._var(
                self.W_GATES + "_H", [size, 4 * size], dtype, default, self.W_GATES, "_w_h"
            )
            w_x = self._var(
                self.W_GATES + "_X", [input_size, 4 * size], dtype, default, self.W_GATES, "_w_x"
            )
            gates_h = tf.matmul(hidden, w_h)
            gates_x = tf.matmul(inputs, w_x)
            if self._use_batch_norm_h:
                gamma_h = self._var(self.GAMMA_H, [4 * size], dtype, gamma_default)
                gates_h = gamma_h * normalize("batch_norm_h", gates_h, **norm)
            if self._use_batch_norm_x:
                gamma_x = self._var(self.GAMMA_X, [4 * size], dtype, gamma_default)
                gates_x = gamma_x * normalize("batch_norm_x", gates_x, **norm)
            gates = gates_h + gates_x
        else:
            w = self._var(self.W_GATES, [input_size + size, 4 * size], dtype, default, attr="_w_xh")
            gates = tf.matmul(tf.concat([inputs, hidden], axis=1), w)
        gates += self._var(self.B_GATES, [4 * size], dtype, default, attr="_b")
        i, j, f, o = tf.split(gates, 4, axis=1)

        if self._use_peepholes:
            f += self._var(self.W_F_DIAG, [size], dtype, None) * cell
            i += self._var(self.W_I_DIAG, [size], dtype, None) * cell
            w_o_diag = self._var(self.W_O_DIAG, [size], dtype, None)
        next_cell = tf.sigmoid(f + self._forget_bias) * cell + tf.sigmoid(i) * tf.tanh(j)
        cell_output = next_cell
        if self._use_batch_norm_c:
            gamma_c = self._var(self.GAMMA_C, [size], dtype, gamma_default)
            beta_c = self._var(self.BETA_C, [size], dtype, tf.compat.v1.zeros_initializer())
            cell_output = beta_c + gamma_c * normalize("batch_norm_c", cell_output, **norm)
        if self._use_peepholes:
            cell_output = cell_output + w_o_diag * cell_output
        next_hidden = tf.tanh(cell_output) * tf.sigmoid(o)

        if time_step is None:
            return next_hidden, LSTMState(hidden=next_hidden, cell=next_cell)
        return next_hidden, (next_hidden, next_cell, time_step + 1)

    def initial_state(
        self,
        batch_size: BatchSize,
        dtype: Any = tf.float32,
        trainable: bool = False,
        trainable_initializers: Any = None,
        trainable_regularizers: Any = None,
        name: str | None = None,
        **unused_kwargs: Any,
    ) -> Any:
        """The state to start from: zeros, or trainable hidden and cell states.

        With ``max_unique_stats > 1`` the state is ``(hidden, cell,
        time_step)``; ``time_step`` is ``[batch_size, 1]`` zeros of ``dtype``
        and is never trainable (``trainable_initializers`` and
        ``trainable_regularizers`` then describe ``(hidden, cell)``).
        See :meth:`RNNCore.initial_state` for the arguments.
        """
        del unused_kwargs
        if self._max_unique_stats == 1 or not trainable:
            return super().initial_state(
                batch_size,
                dtype=dtype,
                trainable=trainable,
                trainable_initializers=trainable_initializers,
                trainable_regularizers=trainable_regularizers,
                name=name,
            )
        pair = LSTMState(*self.state_size[:2])
        with tf.compat.v1.name_scope(self._initial_state_scope(name)):
            hidden, cell = self._trainable_initial_state(
                batch_size,
                dtype,
                pair,
                _first_two(trainable_initializers),
                _first_two(trainable_regularizers),
                name,
            )
            return hidden, cell, tf.zeros([batch_size, 1], dtype=dtype)

    @property
    def state_size(self) -> Any:
        """``LSTMState([hidden_size], [hidden_size])``; plus ``[1]`` for the time step.

        The third entry (and a plain tuple) only with ``max_unique_stats > 1``.
        """
        size = tf.TensorShape([self._hidden_size])
        if self._max_unique_stats == 1:
            return LSTMState(size, size)
        return (size, size, tf.TensorShape([1]))

    @property
    def output_size(self) -> tf.TensorShape:
        """``TensorShape([hidden_size])``."""
        return tf.TensorShape([self._hidden_size])

    @property
    def use_peepholes(self) -> bool:
        """Whether peephole connections are used."""
        return self._use_peepholes

    @property
    def use_batch_norm_h(self) -> bool:
        """Whether the hidden-to-gates path is batch-normalized."""
        return self._use_batch_norm_h

    @property
    def use_batch_norm_x(self) -> bool:
        """Whether the input-to-gates path is batch-normalized."""
        return self._use_batch_norm_x

    @property
    def use_batch_norm_c(self) -> bool:
        """Whether the cell is batch-normalized before the output."""
        return self._use_batch_norm_c

    class CoreWithExtraBuildArgs(RNNCore):
        """A core calling ``core(inputs, prev_state, **kwargs)``: fixed extra arguments.

        Returned by :meth:`BatchNormLSTM.with_batch_norm_control`; its state and
        output sizes, ``zero_state`` and ``initial_state`` are the wrapped
        core's, and it shares the wrapped core's variables.
        """

        def __init__(self, core: RNNCore, **kwargs: Any) -> None:
            super().__init__(name=f"{core.module_name}_extra_args")
            _utils.set_untracked(self, _kwargs=dict(kwargs))
            self._core = core

        def _build(self, inputs: Any, prev_state: Any) -> tuple[Any, Any]:
            return self._core(inputs, prev_state, **self._kwargs)

        @property
        def state_size(self) -> Any:
            return self._core.state_size

        @property
        def output_size(self) -> Any:
            return self._core.output_size

        def zero_state(self, batch_size: BatchSize, dtype: Any = tf.float32) -> Any:
            return self._core.zero_state(batch_size, dtype)

        def initial_state(self, *args: Any, **kwargs: Any) -> Any:
            return self._core.initial_state(*args, **kwargs)


def _first_two(values: Any) -> Any:
    """``(hidden, cell)`` entries of a per-state structure that may carry a third."""
    if isinstance(values, (tuple, list)) and len(values) == 3:
        return LSTMState(values[0], values[1])
    if isinstance(values, (tuple, list)) and len(values) == 2:
        return LSTMState(*values)
    return values
