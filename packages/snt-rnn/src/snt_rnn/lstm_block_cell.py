"""LSTMBlockCell: Sonnet 1's core around the fused LSTM kernel, without ``tf.contrib``."""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.fused_lstm_op import FUSED_DTYPES, lstm_block_step
from snt_rnn.rnn_core import RNNCore


class LSTMStateTuple(NamedTuple):
    """The state of :class:`LSTMBlockCell`: the cell state ``c``, then the hidden state ``h``.

    The field order of TensorFlow 1's ``LSTMStateTuple``, which the fused cell used.
    """

    c: Any
    h: Any


class LSTMBlockCell(RNNCore):
    """LSTM core on TensorFlow's fused ``LSTMBlockCell`` kernel (one op a step).

    The computation of ``tf.contrib.rnn.LSTMBlockCell``, which Sonnet 1 wrapped:
    with ``[i, ci, f, o] = [inputs, h] @ kernel + bias`` (in that order along the
    last axis)::

      c' = sigmoid(f + forget_bias) * c + sigmoid(i) * tanh(ci)   # then clipped
      h' = tanh(c') * sigmoid(o)

    With ``use_peephole``, ``w_i_diag * c`` is added to ``i``, ``w_f_diag * c`` to
    ``f`` and ``w_o_diag * c'`` to ``o``. The state is ``LSTMStateTuple(c, h)``
    (cell first), the output is ``h'``. The forward pass and its gradient run on
    TensorFlow's fused kernels (``LSTMBlockCell``, ``LSTMBlockCellGrad``), which
    take float16 and float32.

    Variables, as Sonnet 1 named them: ``<name>/<cell name>/kernel``
    ``[input_size + num_units, 4 * num_units]`` (Glorot uniform),
    ``<name>/<cell name>/bias`` ``[4 * num_units]`` (zeros) and, with peepholes,
    ``w_i_diag``, ``w_f_diag``, ``w_o_diag`` ``[num_units]``. Without a ``name``
    the module is ``lstm_block_cell`` and the cell ``lstm_cell``
    (``lstm_block_cell/lstm_cell/kernel``); with one, both take it
    (``name/name/kernel``).

    Example:
      >>> cell = snt.LSTMBlockCell(8, name="lstm_block")
      >>> state = cell.initial_state(batch_size=4)     # LSTMStateTuple(c, h)
      >>> output, state = cell(tf.ones([4, 3]), state)  # lstm_block/lstm_block/kernel [11, 32]

    Args:
      num_units: the number of units (cell and hidden state size).
      forget_bias: added to the forget gate pre-activation.
      cell_clip: if a positive number, the new cell state is clipped to
        ``[-cell_clip, cell_clip]`` (no gradient flows through clipped units);
        ``None`` (or a value <= 0, like the ``-1`` of ``tf.contrib``) disables it.
      use_peephole: add the diagonal peephole connections.
      dtype: the variables' dtype (float16 or float32); by default the inputs'.
        Inputs and state must have it.
      reuse: accepted for ``tf.contrib`` compatibility and ignored: a Sonnet
        module shares its variables across connections already.
      name: the module name (and the cell's variable scope inside it).
      custom_getter: see ``snt.AbstractModule``.

    Raises:
      TypeError: ``num_units`` is not an int, ``cell_clip`` or ``forget_bias``
        not a number, or ``dtype`` not float16/float32.
      ValueError: ``num_units`` is smaller than 1.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float", "prev_state": "nest"}

    def __init__(
        self,
        num_units: int,
        forget_bias: float = 1.0,
        cell_clip: float | None = None,
        use_peephole: bool = False,
        dtype: Any = None,
        reuse: bool | None = None,
        name: str | None = None,
        custom_getter: Any = None,
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name or "lstm_block_cell")
        del reuse  # variable sharing is the module's business
        num_units = _utils.check_positive_int(self, "num_units", num_units)
        for label, value in (("forget_bias", forget_bias), ("cell_clip", cell_clip)):
            if value is None and label == "cell_clip":
                continue
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(
                    f"{self.scope_name}: {label} must be a number; got "
                    f"{type(value).__name__}: {value!r}."
                )
        if dtype is not None:
            try:
                as_dtype = tf.as_dtype(dtype)
            except (TypeError, ValueError) as e:
                raise TypeError(
                    f"{self.scope_name}: dtype must be a TensorFlow dtype (float16 or float32); "
                    f"got {type(dtype).__name__}: {dtype!r}."
                ) from e
            dtype = self._check_dtype(as_dtype, "dtype")
        _utils.set_untracked(
            self,
            _num_units=num_units,
            _forget_bias=float(forget_bias),
            _cell_clip=None if cell_clip is None else float(cell_clip),
            _use_peephole=bool(use_peephole),
            _dtype=dtype,
            _cell_name=name or "lstm_cell",
            _input_size=None,
        )

    def _check_dtype(self, dtype: tf.DType, what: str) -> tf.DType:
        if dtype.base_dtype not in FUSED_DTYPES:
            raise TypeError(
                f"{self.scope_name}: LSTMBlockCell runs on TensorFlow's fused LSTM kernel, "
                f"which supports float16 and float32; {what} is {dtype.name}."
            )
        return dtype.base_dtype

    def _unpack(self, prev_state: Any, dtype: tf.DType) -> tuple[tf.Tensor, tf.Tensor]:
        if not isinstance(prev_state, (tuple, list)) or len(prev_state) != 2:
            raise ValueError(
                f"{self.scope_name}: Expecting state to be a tuple with length 2 "
                f"(LSTMStateTuple(c, h)); got {type(prev_state).__name__}: {prev_state!r}."
            )
        c, h = (tf.convert_to_tensor(s) for s in prev_state)
        for label, tensor in (("c", c), ("h", h)):
            if tensor.dtype.base_dtype != dtype:
                raise TypeError(
                    f"{self.scope_name}: the state's {label} must have the inputs' dtype "
                    f"{dtype.name}; got {tensor.dtype.name}."
                )
        return c, h

    def _build(self, inputs: tf.Tensor, prev_state: Any) -> tuple[tf.Tensor, LSTMStateTuple]:
        """One step of the fused LSTM.

        Args:
          inputs: ``[batch_size, input_size]``, float16 or float32.
          prev_state: ``LSTMStateTuple(c, h)`` (or any pair), ``[batch_size, num_units]``
            each.

        Returns:
          ``(h', LSTMStateTuple(c', h'))``.

        Raises:
          IncompatibleShapeError: inputs are not rank 2 or their size changed; a
            state tensor is not ``[batch_size, num_units]``.
          UnderspecifiedError: the input size is unknown.
          ValueError: ``prev_state`` is not a pair.
          TypeError: the inputs are not float16/float32, or differ from ``dtype``
            or from the state's dtype.
        """
        inputs = tf.convert_to_tensor(inputs)
        input_size = _utils.check_input_size(self, inputs)
        dtype = self._check_dtype(inputs.dtype, "the inputs' dtype")
        if self._dtype is not None and dtype != self._dtype:
            raise TypeError(
                f"{self.scope_name}: inputs must have the cell's dtype {self._dtype.name}; "
                f"got {dtype.name}."
            )
        c, h = self._unpack(prev_state, dtype)
        size = self._num_units
        _utils.check_state_shapes(self, (c, h), (size, size), inputs.shape[0])

        with tf.compat.v1.variable_scope(self._cell_name):
            kernel = snt.get_variable("kernel", [input_size + size, 4 * size], dtype)
            bias = snt.get_variable(
                "bias", [4 * size], dtype, initializer=tf.compat.v1.zeros_initializer()
            )
            if self._use_peephole:
                w_i_diag = snt.get_variable("w_i_diag", [size], dtype)
                w_f_diag = snt.get_variable("w_f_diag", [size], dtype)
                w_o_diag = snt.get_variable("w_o_diag", [size], dtype)
            else:
                w_i_diag = w_f_diag = w_o_diag = tf.zeros([size], dtype)

        next_c, next_h = lstm_block_step(
            inputs,
            c,
            h,
            tf.convert_to_tensor(kernel),
            tf.convert_to_tensor(bias),
            tf.convert_to_tensor(w_i_diag),
            tf.convert_to_tensor(w_f_diag),
            tf.convert_to_tensor(w_o_diag),
            forget_bias=self._forget_bias,
            cell_clip=self._cell_clip,
            use_peephole=self._use_peephole,
        )
        return next_h, LSTMStateTuple(next_c, next_h)

    @property
    def state_size(self) -> LSTMStateTuple:
        """``LSTMStateTuple(num_units, num_units)``."""
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self) -> int:
        """``num_units``."""
        return self._num_units

    @property
    def use_peephole(self) -> bool:
        """Whether peephole connections are used."""
        return self._use_peephole
