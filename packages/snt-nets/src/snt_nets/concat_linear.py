"""ConcatLinear: a Linear applied to the concatenation of several inputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils
from snt_nets.linear import Linear


class ConcatLinear(snt.AbstractModule):
    """Concatenates rank-2 inputs along their last dimension, then applies a Linear.

    The variables are ``concat_linear/linear/w`` and ``.../b``.

    Example:
      >>> mod = snt.ConcatLinear(3)
      >>> mod([tf.ones([2, 4]), tf.ones([2, 1])]).shape
      TensorShape([2, 3])

    Args:
      output_size, use_bias, initializers, partitioners, regularizers,
        custom_getter: as for :class:`Linear`.
      name: module name.
    """

    def __init__(
        self,
        output_size: int,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        custom_getter: Any = None,
        name: str = "concat_linear",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        with self._enter_variable_scope():
            self._linear = Linear(
                output_size,
                use_bias=use_bias,
                initializers=initializers,
                partitioners=partitioners,
                regularizers=regularizers,
                name="linear",
            )

    def _build(self, inputs_list: Sequence[tf.Tensor]) -> tf.Tensor:
        """Concatenates ``inputs_list`` and applies the linear layer.

        Raises:
          TypeError: ``inputs_list`` is a single tensor (not a list), or its
            tensors differ in dtype.
          IncompatibleShapeError: an input is not of rank 2, the inputs differ
            in batch size, or the list is empty.
        """
        if hasattr(inputs_list, "shape") or not isinstance(inputs_list, Sequence):
            raise TypeError(
                f"{self.scope_name}: inputs_list must be a list or tuple of tensors; got "
                f"{type(inputs_list).__name__}."
            )
        inputs_list = [tf.convert_to_tensor(inputs) for inputs in inputs_list]
        if not inputs_list:
            raise snt.IncompatibleShapeError(f"{self.scope_name}: inputs_list must not be empty.")
        for index, inputs in enumerate(inputs_list):
            shape = _utils.static_shape(inputs)
            if len(shape) != 2:
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: every input must be of rank 2 [batch, size]; input "
                    f"{index} has shape {_utils.format_shape(shape)}."
                )
        dtypes = [inputs.dtype.name for inputs in inputs_list]
        if len(set(dtypes)) > 1:
            raise TypeError(f"{self.scope_name}: the inputs must share one dtype; got {dtypes}.")
        batch_sizes = {inputs.shape[0] for inputs in inputs_list} - {None}
        if len(batch_sizes) > 1:
            shapes = [_utils.format_shape(_utils.static_shape(x)) for x in inputs_list]
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the inputs must share one batch size; got shapes "
                f"{', '.join(shapes)}."
            )
        return self._linear(tf.concat(inputs_list, axis=-1))
