"""ConvLSTM, Conv1DLSTM, Conv2DLSTM: LSTMs whose gates are convolutions."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.lstm import layer_norm
from snt_rnn.rnn_core import RNNCore

_LOG = logging.getLogger(__name__)


class ConvLSTM(RNNCore):
    """Convolutional LSTM: the state is ``(hidden, cell)``, each ``input_shape[:-1] + [C]``.

    Gates come from ``input_conv(inputs) + hidden_conv(hidden)``, two
    ``snt.Conv1D``/``snt.Conv2D`` with ``4 * output_channels`` channels named
    ``conv`` and ``conv_1`` inside the core's scope (variables
    ``conv_2d_lstm/conv/w``, ``conv_2d_lstm/conv/b``, ``conv_2d_lstm/conv_1/w``,
    ...). With ``legacy_bias_behaviour`` (the default, as in Sonnet 1) both
    convolutions have a bias; otherwise only the input one.

    Example:
      >>> core = snt.Conv2DLSTM(input_shape=(8, 8, 3), output_channels=4, kernel_shape=3)
      >>> output, state = core(tf.ones([2, 8, 8, 3]), core.initial_state(2))

    Args:
      conv_ndims: 1 or 2.
      input_shape: input shape without the batch dimension (spatial dims +
        channels). The inputs must have these spatial dimensions; their channels
        may differ (as in Sonnet 1), e.g. when a ``DeepRNN``'s skip connections
        concatenate the core's inputs to the previous core's outputs.
      output_channels: channels of the hidden and cell states.
      kernel_shape: convolution kernel shape.
      stride: convolution stride.
      rate: convolution dilation rate.
      padding: ``snt.SAME`` or ``snt.VALID``.
      use_bias: whether the convolutions have biases.
      legacy_bias_behaviour: bias on both convolutions (True) or only on the
        input one.
      forget_bias: added to the forget gate pre-activation.
      initializers: optional dict with keys ``w`` and ``b`` (given to both
        convolutions).
      partitioners: optional dict, same keys.
      regularizers: optional dict, same keys.
      use_layer_norm: layer-normalize the gates over all non-batch dimensions
        (variables ``layer_norm/gamma``/``beta``).
      custom_getter: see ``snt.AbstractModule``.
      name: module name.

    Raises:
      ValueError: ``conv_ndims`` is not 1 or 2, or ``input_shape`` does not
        have ``conv_ndims + 1`` dimensions; ``output_channels`` is smaller
        than 1.
      TypeError: ``output_channels`` is not an int.
      KeyError: unknown keys in ``initializers``/``partitioners``/``regularizers``.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float", "state": "nest"}

    def __init__(
        self,
        conv_ndims: int,
        input_shape: Sequence[int],
        output_channels: int,
        kernel_shape: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        rate: int | Sequence[int] = 1,
        padding: str = "SAME",
        use_bias: bool = True,
        legacy_bias_behaviour: bool = True,
        forget_bias: float = 1.0,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        use_layer_norm: bool = False,
        custom_getter: Any = None,
        name: str = "conv_lstm",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        output_channels = _utils.check_positive_int(self, "output_channels", output_channels)
        if conv_ndims not in (1, 2):
            raise ValueError(f"{self.scope_name}: conv_ndims must be 1 or 2; got {conv_ndims}.")
        if len(input_shape) != conv_ndims + 1:
            raise ValueError(
                f"{self.scope_name}: input_shape must have {conv_ndims + 1} dimensions "
                f"(spatial + channels) for conv_ndims={conv_ndims}; got {tuple(input_shape)}."
            )
        keys = ConvLSTM.get_possible_initializer_keys(conv_ndims, use_bias=use_bias)
        where = {"module_name": self.scope_name}
        inits = snt.check_initializers(initializers, keys, **where)
        parts = snt.check_partitioners(partitioners, keys, **where)
        regs = snt.check_regularizers(regularizers, keys, **where)
        if use_bias and legacy_bias_behaviour:
            _LOG.info(
                "%s: the hidden convolution has a redundant bias (legacy_bias_behaviour=True).",
                self.scope_name,
            )
        total = output_channels // _stride_factor(stride, conv_ndims, self.scope_name)
        _utils.set_untracked(
            self,
            _conv_ndims=conv_ndims,
            _input_shape=tuple(input_shape),
            _output_channels=output_channels,
            _total_output_channels=total,
            _forget_bias=forget_bias,
            _use_layer_norm=use_layer_norm,
        )
        conv_class = snt.Conv1D if conv_ndims == 1 else snt.Conv2D

        def new_conv(bias: bool) -> snt.AbstractModule:
            def clean(d: dict[str, Any]) -> dict[str, Any]:
                return d if bias else {k: v for k, v in d.items() if k != "b"}

            return conv_class(
                output_channels=4 * output_channels,
                kernel_shape=kernel_shape,
                stride=stride,
                rate=rate,
                padding=padding,
                use_bias=bias,
                initializers=clean(inits),
                partitioners=clean(parts),
                regularizers=clean(regs),
                name="conv",
            )

        with self._enter_variable_scope():
            self._convolutions = {
                "input": new_conv(use_bias),
                "hidden": new_conv(use_bias and legacy_bias_behaviour),
            }

    @classmethod
    def get_possible_initializer_keys(cls, conv_ndims: int, use_bias: bool = True) -> set[str]:
        """``{"w", "b"}``, or ``{"w"}`` without bias."""
        del conv_ndims
        return {"w", "b"} if use_bias else {"w"}

    def _build(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, tuple]:
        """One step; returns ``(output, (output, next_cell))``.

        The convolutions must keep the spatial shape (``padding="SAME"``, stride
        1), since the state has the inputs' spatial shape.

        Raises:
          IncompatibleShapeError: the inputs' shape is not ``[batch] + spatial +
            [channels]`` with the spatial dimensions of ``input_shape`` (the
            channels may differ from ``input_shape[-1]``);
            the hidden or cell state is not ``[batch] + state_size``; the
            convolutions change the spatial shape (another padding, a stride).
          ValueError: ``state`` is not a pair.
        """
        # Only the spatial dimensions must be input_shape's (the state has them): as in
        # Sonnet 1, the channels may differ (a DeepRNN's skip connections add some).
        expected = tf.TensorShape([None, *self._input_shape[:-1], None])
        if not expected.is_compatible_with(inputs.shape):
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: inputs must have shape [batch] + "
                f"{list(self._input_shape[:-1])} + [channels] (input_shape "
                f"{list(self._input_shape)}); got {inputs.shape}."
            )
        hidden, cell = _utils.unpack_pair(self, state, "a (hidden, cell) pair")
        _utils.check_state_shapes(self, (hidden, cell), self.state_size, inputs.shape[0])
        from_inputs = self._convolutions["input"](inputs)
        spatial = list(self._input_shape[:-1])
        if from_inputs.shape[1:-1].as_list() != spatial:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the gate convolutions must keep the spatial shape "
                f"{spatial} of the inputs and state; with this kernel_shape, stride, rate "
                f"and padding they give {from_inputs.shape[1:-1].as_list()} (use padding "
                '"SAME" and stride 1).'
            )
        gates = from_inputs + self._convolutions["hidden"](hidden)
        if self._use_layer_norm:
            shape = gates.shape[1:].as_list()
            flat = tf.reshape(gates, [-1, int(tf.TensorShape(shape).num_elements())])
            gates = tf.reshape(layer_norm(flat), [-1, *shape])
        i, j, f, o = tf.split(gates, 4, axis=self._conv_ndims + 1)
        next_cell = tf.sigmoid(f + self._forget_bias) * cell + tf.sigmoid(i) * tf.tanh(j)
        output = tf.tanh(next_cell) * tf.sigmoid(o)
        return output, (output, next_cell)

    @property
    def convolutions(self) -> dict[str, snt.AbstractModule]:
        """``{"input": conv, "hidden": conv}``."""
        return dict(self._convolutions)

    @property
    def state_size(self) -> tuple[tf.TensorShape, tf.TensorShape]:
        """``(hidden, cell)`` sizes: ``input_shape[:-1] + (output_channels,)`` each."""
        size = tf.TensorShape([*self._input_shape[:-1], self._output_channels])
        return size, size

    @property
    def output_size(self) -> tf.TensorShape:
        """``input_shape[:-1] + (output_channels,)`` (divided by ``stride**2`` if strided)."""
        return tf.TensorShape([*self._input_shape[:-1], self._total_output_channels])

    @property
    def use_layer_norm(self) -> bool:
        """Whether the gates are layer-normalized."""
        return self._use_layer_norm


def _stride_factor(stride: int | Sequence[int], conv_ndims: int, where: str) -> int:
    """What the output channels are divided by: ``stride ** 2`` for an int (as in
    Sonnet 1, for 1D too), the product of the per-dimension strides for a
    sequence (equal for 2D).
    """
    if isinstance(stride, int) and not isinstance(stride, bool):
        strides = [stride, stride]
    elif isinstance(stride, Sequence) and len(stride) == conv_ndims:
        strides = list(stride) if conv_ndims == 2 else [stride[0], stride[0]]
    else:
        raise TypeError(
            f"{where}: stride must be an int or a sequence of {conv_ndims} ints; got {stride!r}."
        )
    if any(not isinstance(s, int) or isinstance(s, bool) or s < 1 for s in strides):
        raise ValueError(f"{where}: strides must be positive ints; got {stride!r}.")
    return strides[0] * strides[1]


class Conv1DLSTM(ConvLSTM):
    """1D convolutional LSTM; see :class:`ConvLSTM` (``conv_ndims=1``).

    Example:
      >>> core = snt.Conv1DLSTM(input_shape=(10, 3), output_channels=4, kernel_shape=3)
    """

    def __init__(self, name: str = "conv_1d_lstm", **kwargs: Any) -> None:
        super().__init__(conv_ndims=1, name=name, **kwargs)

    @classmethod
    def get_possible_initializer_keys(cls, use_bias: bool = True) -> set[str]:  # type: ignore[override]
        """``{"w", "b"}``, or ``{"w"}`` without bias."""
        return ConvLSTM.get_possible_initializer_keys(1, use_bias)


class Conv2DLSTM(ConvLSTM):
    """2D convolutional LSTM; see :class:`ConvLSTM` (``conv_ndims=2``).

    Example:
      >>> core = snt.Conv2DLSTM(input_shape=(8, 8, 3), output_channels=4, kernel_shape=3)
    """

    def __init__(self, name: str = "conv_2d_lstm", **kwargs: Any) -> None:
        super().__init__(conv_ndims=2, name=name, **kwargs)

    @classmethod
    def get_possible_initializer_keys(cls, use_bias: bool = True) -> set[str]:  # type: ignore[override]
        """``{"w", "b"}``, or ``{"w"}`` without bias."""
        return ConvLSTM.get_possible_initializer_keys(2, use_bias)
