"""BatchApply: runs a module on inputs with several leading batch dimensions."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.leading_dims import merge_leading_dims, split_leading_dim


def _is_tensor_like(value: Any) -> bool:
    return tf.is_tensor(value) or hasattr(value, "shape") and hasattr(value, "dtype")


class BatchApply(snt.AbstractModule):
    """Merges the first ``n_dims`` dimensions, applies ``module_or_op``, splits them back.

    Every tensor in the (possibly nested) arguments is merged; every tensor in
    the (possibly nested) result is split according to the leading dimensions
    of the input picked by ``input_example_index`` (in flattened order).

    Example:
      >>> lin = snt.Linear(4)
      >>> snt.BatchApply(lin)(tf.zeros([7, 3, 5])).shape  # [T, B, ...]
      TensorShape([7, 3, 4])

    Args:
      module_or_op: a module or callable taking merged inputs.
      n_dims: how many leading dimensions to merge (>= 1; 1 merges nothing).
      input_example_index: which flattened input gives the leading dimensions
        of the outputs.
      name: module name.

    Raises:
      ValueError: ``n_dims <= 0``.
      TypeError: ``module_or_op`` is not callable, or ``n_dims`` or
        ``input_example_index`` is not an int.
    """

    def __init__(
        self,
        module_or_op: Callable[..., Any],
        n_dims: int = 2,
        input_example_index: int = 0,
        name: str = "batch_apply",
    ) -> None:
        super().__init__(name=name)
        n_dims = _checks.check_int(self.scope_name, "n_dims", n_dims)
        input_example_index = _checks.check_int(
            self.scope_name, "input_example_index", input_example_index
        )
        if n_dims <= 0:
            raise ValueError(
                f"{self.scope_name}: n_dims should be greater than zero; got {n_dims}."
            )
        if not callable(module_or_op):
            raise TypeError(
                f"{self.scope_name}: module_or_op must be callable; got "
                f"{type(module_or_op).__name__}."
            )
        self._module = module_or_op
        self._n_dims = n_dims
        self._input_example_index = input_example_index

    def _build(self, *args: Any, **kwargs: Any) -> Any:
        """Applies the wrapped module to the merged inputs.

        Raises:
          ValueError: ``input_example_index`` is out of range of the inputs.
          TypeError: the input at ``input_example_index`` is not a tensor.
          IncompatibleShapeError: that input has fewer than ``n_dims``
            dimensions.
          ValueError: (building a graph or ``tf.function``) an output's first
            dimension is not the product of that input's first ``n_dims``, so
            it cannot be split back; eagerly this raises
            ``tf.errors.InvalidArgumentError``. These are the classes
            TensorFlow's reshape raises for this mistake in each mode, as
            Sonnet 1 users saw them.
        """
        flat = tf.nest.flatten([args, kwargs])
        _checks.check_graph_tensors(self.scope_name, "the arguments", flat)
        if not -len(flat) <= self._input_example_index < len(flat):
            raise ValueError(
                f"{self.scope_name}: input_example_index {self._input_example_index} is out of "
                f"range for {len(flat)} flattened inputs."
            )
        example = flat[self._input_example_index]
        if not _is_tensor_like(example):
            raise TypeError(
                f"{self.scope_name}: the input at input_example_index "
                f"{self._input_example_index} gives the outputs' leading dimensions and must be "
                f"a tensor; got {type(example).__name__}."
            )
        lead = self._leading_dims(example)
        merged = [merge_leading_dims(x, self._n_dims) if _is_tensor_like(x) else x for x in flat]
        merged_args, merged_kwargs = tf.nest.pack_sequence_as([args, kwargs], merged)
        results = self._module(*merged_args, **merged_kwargs)

        def split(x: Any) -> Any:
            if not _is_tensor_like(x):
                return x
            self._check_splittable(x, lead)
            return split_leading_dim(x, example, self._n_dims)

        return tf.nest.map_structure(split, results)

    def _leading_dims(self, example: Any) -> tuple[int | None, ...] | None:
        """The example's first ``n_dims`` dimensions (None for an unknown rank)."""
        shape = tf.TensorShape(example.shape)
        if shape.rank is None:
            return None
        if shape.rank < self._n_dims:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: the input at input_example_index "
                f"{self._input_example_index} needs at least n_dims={self._n_dims} dimensions "
                f"to merge; got shape {_utils.format_shape(shape.as_list())}."
            )
        return tuple(shape.as_list()[: self._n_dims])

    def _check_splittable(self, output: Any, lead: tuple[int | None, ...] | None) -> None:
        shape = tf.TensorShape(output.shape)
        if shape.rank is None:
            return
        merged = None if lead is None or None in lead else math.prod(lead)
        if shape.rank == 0 or (None not in (merged, shape[0]) and shape[0] != merged):
            message = (
                f"{self.scope_name}: an output of the wrapped module must have the merged "
                f"leading dimension {merged if merged is not None else '?'} first, to split it "
                f"back into {_utils.format_shape(lead)} (the leading dimensions of the input at "
                f"input_example_index {self._input_example_index}); got shape "
                f"{_utils.format_shape(shape.as_list())}."
            )
            if tf.executing_eagerly():
                raise tf.errors.InvalidArgumentError(None, None, message)
            raise ValueError(message)
