"""SelectInput: picks (and re-nests) some of its positional inputs."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils


class SelectInput(snt.AbstractModule):
    """Returns ``inputs[idx]``, or a nested structure of inputs for a nested ``idx``.

    Example:
      >>> a, b = tf.ones([2, 3]), tf.zeros([2, 4])
      >>> first, second = snt.SelectInput(idx=[1, 0])(a, b)  # (b, a)
      >>> first.shape, second.shape
      (TensorShape([2, 4]), TensorShape([2, 3]))

    Args:
      idx: a non-negative int, or a nested list/tuple of them.
      name: module name.

    Raises:
      TypeError: ``idx`` holds something other than ints.
      ValueError: a negative index.
    """

    def __init__(self, idx: Any, name: str = "select_input") -> None:
        super().__init__(name=name)
        flat = tf.nest.flatten(idx)
        if not flat or not all(isinstance(i, int) and not isinstance(i, bool) for i in flat):
            raise TypeError(
                f"{self.scope_name}: idx must be an int or a nested list of ints; got {idx!r}."
            )
        if min(flat) < 0:
            raise ValueError(f"{self.scope_name}: idx values must be non-negative; got {idx!r}.")
        _utils.set_untracked(self, _idx=idx)

    def _build(self, *inputs: Any) -> Any:
        """Selects from ``inputs``.

        Raises:
          ValueError: an index is out of range for the number of inputs.
        """
        flat = tf.nest.flatten(self._idx)
        if max(flat) >= len(inputs):
            raise ValueError(
                f"{self.scope_name}: idx {self._idx!r} is out of range for {len(inputs)} inputs."
            )
        picked = [inputs[i] for i in flat]
        if isinstance(self._idx, int):
            return picked[0]
        return tf.nest.pack_sequence_as(self._idx, picked)
