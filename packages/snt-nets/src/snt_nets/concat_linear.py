"""ConcatLinear: one linear layer over several inputs, as if they were concatenated."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.linear import Linear
from snt_nets.variable_dicts import VariableDicts


class ConcatLinear(snt.AbstractModule, VariableDicts):
    """A linear layer over several rank-2 inputs: ``sum_i inputs[i] @ w_i + b``.

    This is a Linear applied to the inputs' concatenation, kept as one weight
    matrix per input (Sonnet 1's layout): ``concat_linear/linear/w`` and
    ``concat_linear/linear/b`` for the first input, ``concat_linear/linear_1/w``
    for the second, and so on. Each ``w_i`` gets the default initializer of its
    own input size, so that a wide input does not drown a narrow one at
    initialization.

    Example:
      >>> mod = snt.ConcatLinear(3)
      >>> mod([tf.ones([2, 4]), tf.ones([2, 1])]).shape
      TensorShape([2, 3])

    Args:
      output_size: the output size (an int, or a callable returning one).
      use_bias: whether to add the bias ``b`` (held by the first input's layer).
      initializers: optional dict with keys ``"w"`` (every ``w_i``) and ``"b"``.
      partitioners: optional dict with keys ``"w"`` and ``"b"``.
      regularizers: optional dict with keys ``"w"`` and ``"b"``.
      custom_getter: a custom getter (or dict of them), see ``snt.AbstractModule``.
      name: module name.

    Raises:
      KeyError: unknown keys in ``initializers``/``partitioners``/``regularizers``.
      TypeError: a value in those dicts is not callable.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs_list": "nest"}

    def __init__(
        self,
        output_size: int | Callable[[], int],
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        custom_getter: Any = None,
        name: str = "concat_linear",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        keys = Linear.get_possible_initializer_keys(use_bias=use_bias)
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        self._output_size = _checks.check_size(self.scope_name, "output_size", output_size)
        self._use_bias = use_bias
        # One Linear per input, made on the first connection (the number of inputs
        # is not known before); a plain tuple, untracked (the layers are adopted as
        # submodules when connected).
        _utils.set_untracked(self, _layers=None)

    def _build(self, inputs_list: Sequence[tf.Tensor]) -> tf.Tensor:
        """Returns ``sum_i inputs_list[i] @ w_i`` plus the bias.

        Args:
          inputs_list: a list or tuple of tensors ``[batch_size, input_size_i]``
            of one dtype and batch size. Later connections must give as many
            inputs, of the same sizes.

        Raises:
          TypeError: ``inputs_list`` is a single tensor (not a list), or its
            tensors differ in dtype.
          IncompatibleShapeError: an input is not of rank 2, the inputs differ
            in batch size, the list is empty, or its length or an input size
            differs from the first connection's.
        """
        _checks.check_graph_tensors(self.scope_name, "inputs_list", inputs_list)
        if hasattr(inputs_list, "shape") or not isinstance(inputs_list, Sequence):
            raise TypeError(
                f"{self.scope_name}: inputs_list must be a list or tuple of tensors; got "
                f"{type(inputs_list).__name__}."
            )
        for index, inputs in enumerate(inputs_list):
            if isinstance(inputs, Mapping):
                raise TypeError(
                    f"{self.scope_name}: inputs_list must be a list or tuple of tensors; input "
                    f"{index} is a {type(inputs).__name__}."
                )
        inputs_list = [tf.convert_to_tensor(inputs) for inputs in inputs_list]
        self._check_inputs(inputs_list)
        layers = self._layers
        if layers is None:
            layers = tuple(self._make_layer(index) for index in range(len(inputs_list)))
            _utils.set_untracked(self, _layers=layers)
        elif len(layers) != len(inputs_list):
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: inputs_list must hold {len(layers)} tensors, as on the "
                f"first connection; got {len(inputs_list)}."
            )
        outputs = [layer(inputs) for layer, inputs in zip(layers, inputs_list, strict=True)]
        return outputs[0] if len(outputs) == 1 else tf.add_n(outputs)

    def _check_inputs(self, inputs_list: list[tf.Tensor]) -> None:
        if not inputs_list:
            raise snt.IncompatibleShapeError(f"{self.scope_name}: inputs_list must not be empty.")
        shapes = [_utils.static_shape(inputs) for inputs in inputs_list]
        for index, shape in enumerate(shapes):
            if len(shape) != 2:
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: every input must be of rank 2 [batch, size]; input "
                    f"{index} has shape {_utils.format_shape(shape)}."
                )
        dtypes = [inputs.dtype.name for inputs in inputs_list]
        if len(set(dtypes)) > 1:
            raise TypeError(f"{self.scope_name}: the inputs must share one dtype; got {dtypes}.")
        if len({shape[0] for shape in shapes} - {None}) > 1:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the inputs must share one batch size; got shapes "
                f"{', '.join(_utils.format_shape(shape) for shape in shapes)}."
            )

    def _make_layer(self, index: int) -> Linear:
        """The Linear of input ``index`` (only the first one holds the bias)."""
        use_bias = self._use_bias and index == 0

        def keep(dictionary: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in dictionary.items() if use_bias or k != "b"}

        return Linear(
            self._output_size,
            use_bias=use_bias,
            initializers=keep(self._initializers),
            partitioners=keep(self._partitioners),
            regularizers=keep(self._regularizers),
            name="linear",
        )

    @property
    def layers(self) -> tuple[Linear, ...]:
        """The per-input Linear layers (empty before the first connection)."""
        return self._layers or ()
