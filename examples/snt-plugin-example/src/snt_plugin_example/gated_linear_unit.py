"""``GatedLinearUnit``: ``(x W_v + b_v) * sigmoid(x W_g + b_g)`` (Dauphin et al., 2017)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt


class GatedLinearUnit(snt.AbstractModule):
    """A gated linear layer: a linear value, scaled elementwise by a sigmoid gate.

    One ``snt.Linear`` of width ``2 * output_size`` computes value and gate
    together; its variables are ``<name>/linear/w`` ``[in, 2 * output_size]``
    and ``<name>/linear/b``. Works in graph mode, eagerly and in ``tf.function``,
    and shares its variables across connections like every Sonnet module.

    Example:
      >>> glu = snt.contrib.GatedLinearUnit(3)
      >>> glu(tf.ones([2, 5])).shape
      TensorShape([2, 3])
      >>> [v.name for v in glu.get_variables()]
      ['gated_linear_unit/linear/b:0', 'gated_linear_unit/linear/w:0']

    Args:
      output_size: number of output units.
      initializers, partitioners, regularizers: dicts with keys ``w``/``b``,
        passed on to the inner ``snt.Linear``.
      name: module name.
    """

    def __init__(
        self,
        output_size: int,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        name: str = "gated_linear_unit",
    ) -> None:
        super().__init__(name=name)
        if isinstance(output_size, bool) or not isinstance(output_size, int) or output_size < 1:
            raise ValueError(
                f"{self.scope_name}: output_size must be a positive int, got {output_size!r}."
            )
        self._output_size = output_size
        with self._enter_variable_scope():
            self._linear = snt.Linear(
                2 * output_size,
                initializers=initializers,
                partitioners=partitioners,
                regularizers=regularizers,
                name="linear",
            )

    @property
    def output_size(self) -> int:
        """Number of output units."""
        return self._output_size

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """``[batch, in]`` -> ``[batch, output_size]``."""
        value, gate = tf.split(self._linear(inputs), 2, axis=-1)
        return value * tf.sigmoid(gate)
