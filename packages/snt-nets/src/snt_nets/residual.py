"""Residual: adds a module's input to its output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

import sonnet as snt


def _add_inputs(module: snt.AbstractModule, inputs: Any, outputs: Any, what: str) -> Any:
    """``inputs + outputs`` leaf by leaf, with an error naming ``module`` when they differ.

    Raises:
      ValueError: the two structures differ.
      IncompatibleShapeError: a pair of leaves cannot be added (their shapes do
        not broadcast).
      TypeError: a pair of leaves has different dtypes.
    """
    try:
        tf.nest.assert_same_structure(inputs, outputs, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{module.scope_name}: the {what}'s output must have the structure of its inputs "
            f"to add them; got inputs {inputs!r} and output {outputs!r}."
        ) from e

    def add(x: Any, y: Any) -> Any:
        x_shape = tf.TensorShape(getattr(x, "shape", None))
        y_shape = tf.TensorShape(getattr(y, "shape", None))
        try:
            tf.broadcast_static_shape(x_shape, y_shape)
        except ValueError as e:
            raise snt.IncompatibleShapeError(
                f"{module.scope_name}: cannot add inputs of shape {x_shape} to the {what}'s "
                f"output of shape {y_shape}."
            ) from e
        x_dtype, y_dtype = getattr(x, "dtype", None), getattr(y, "dtype", None)
        if x_dtype is not None and y_dtype is not None and x_dtype != y_dtype:
            raise TypeError(
                f"{module.scope_name}: cannot add inputs of dtype {tf.as_dtype(x_dtype).name} "
                f"to the {what}'s output of dtype {tf.as_dtype(y_dtype).name}."
            )
        return x + y

    return tf.nest.map_structure(add, inputs, outputs, check_types=False)


class Residual(snt.AbstractModule):
    """Wraps a module ``M`` so that the result is ``M(x) + x``.

    Nested inputs are allowed: the module's output must have their structure,
    and each leaf of the result is the sum of the matching leaves. Extra
    keyword arguments of the call go to ``M``. ``M``'s variables stay where
    ``M`` was constructed (Residual has none of its own).

    Example:
      >>> block = snt.Residual(snt.Linear(4))
      >>> block(tf.ones([2, 4])).shape  # linear(x) + x
      TensorShape([2, 4])

    Args:
      base_module: the module (or any callable) to wrap.
      name: module name.

    Raises:
      TypeError: ``base_module`` is not callable.
    """

    def __init__(self, base_module: Callable[..., Any], name: str = "residual") -> None:
        super().__init__(name=name)
        if not callable(base_module):
            raise TypeError(
                f"{self.scope_name}: base_module must be callable; got "
                f"{type(base_module).__name__}: {base_module!r}."
            )
        self._base_module = base_module

    def _build(self, inputs: Any, **kwargs: Any) -> Any:
        """Returns ``base_module(inputs, **kwargs) + inputs``.

        Raises:
          ValueError: the output's structure differs from the inputs'.
          IncompatibleShapeError: an output leaf cannot be added to its input.
          TypeError: an output leaf has another dtype than its input.
        """
        outputs = self._base_module(inputs, **kwargs)
        return _add_inputs(self, inputs, outputs, "base module")
