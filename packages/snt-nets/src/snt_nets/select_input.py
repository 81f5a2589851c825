"""SelectInput: picks (and re-nests) some of its positional inputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils


class SelectInput(snt.AbstractModule):
    """Returns ``inputs[idx]``, or a nested tuple of inputs for a nested ``idx``.

    Lists and tuples in ``idx`` become tuples in the output (as in Sonnet 1;
    a dict in ``idx`` gives a dict). Selected tensors are passed through
    ``tf.identity``, so that an output is never the very tensor that was
    given (a placeholder both fed and fetched).

    Example:
      >>> a, b = tf.ones([2, 3]), tf.zeros([2, 4])
      >>> first, (second,) = snt.SelectInput(idx=[1, [0]])(a, b)  # (b, (a,))
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
                f"{self.scope_name}: `idx` should be a (nested) array/tuple, or an integer "
                f"(of ints only); got {idx!r}."
            )
        if min(flat) < 0:
            raise ValueError(f"{self.scope_name}: idx values must be non-negative; got {idx!r}.")
        _utils.set_untracked(self, _idx=idx, _max_idx=max(flat))

    def _build(self, *inputs: Any) -> Any:
        """Selects from ``inputs``.

        Raises:
          ValueError: an index is out of range for the number of inputs.
        """
        _checks.check_graph_tensors(self.scope_name, "inputs", inputs)
        if self._max_idx >= len(inputs):
            raise ValueError(
                f"{self.scope_name}: `idx` contains out of bound entries (they should be in "
                f"the range [0, {len(inputs)})): idx {self._idx!r} for {len(inputs)} inputs."
            )
        return self._select(inputs, self._idx)

    def _select(self, inputs: tuple[Any, ...], idx: Any) -> Any:
        if isinstance(idx, list | tuple):
            return tuple(self._select(inputs, i) for i in idx)
        if isinstance(idx, Mapping):
            return {key: self._select(inputs, value) for key, value in idx.items()}
        picked = inputs[idx]
        return tf.identity(picked) if tf.is_tensor(picked) else picked
