"""RNNCellWrapper: a core that delegates to an RNN cell built inside its scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

from snt_rnn.rnn_core import RNNCore


class RNNCellWrapper(RNNCore):
    """Makes an RNN cell a Sonnet core: ``cell_ctor(*args, **kwargs)`` built in the core's scope.

    The cell is any object with the RNN cell protocol: ``cell(inputs, state)``
    returns ``(output, next_state)``, and ``state_size``/``output_size``
    describe its state and output (ints, ``tf.TensorShape``s, or nests of
    them). Because the cell is constructed inside the wrapper's variable
    scope, and called inside it, its ``tf.compat.v1.get_variable`` variables
    are named ``<wrapper>/<cell scope>/...`` and belong to the wrapper
    (``get_variables()``, ``trainable_variables``, checkpoints, custom
    getters). ``initial_state``/``zero_state`` are ``RNNCore``'s, built from
    the cell's ``state_size``.

    Example:
      >>> core = snt.RNNCellWrapper(snt.GRU, 4, name="wrapped")  # GRU(4, name="wrapped")
      >>> output, state = core(tf.ones([2, 3]), core.initial_state(2))
      >>> core.output_size
      TensorShape([4])

    Args:
      cell_ctor: callable returning the cell.
      *args: positional arguments of ``cell_ctor``.
      **kwargs: keyword arguments of ``cell_ctor``. ``name``, if given, also
        names the wrapper (and is still passed to ``cell_ctor``), as in
        Sonnet 1; ``custom_getter`` goes to the wrapper only.

    Raises:
      TypeError: ``cell_ctor`` is not callable, or what it returns is not
        callable or lacks ``state_size``/``output_size``.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float", "prev_state": "nest"}

    def __init__(self, cell_ctor: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(name=kwargs.get("name"), custom_getter=kwargs.pop("custom_getter", None))
        if not callable(cell_ctor):
            raise TypeError(
                f"{self.scope_name}: cell_ctor must be a callable that builds the cell; got "
                f"{type(cell_ctor).__name__}: {cell_ctor!r}."
            )
        with self._enter_variable_scope():
            cell = cell_ctor(*args, **kwargs)
        missing = [a for a in ("state_size", "output_size") if not hasattr(cell, a)]
        if not callable(cell) or missing:
            lacks = f" (no {' or '.join(missing)})" if missing else " (not callable)"
            raise TypeError(
                f"{self.scope_name}: cell_ctor must build an RNN cell: callable as "
                f"cell(inputs, state) and with state_size and output_size; got "
                f"{type(cell).__name__}{lacks}."
            )
        self._cell = cell

    def _build(self, inputs: Any, prev_state: Any) -> tuple[Any, Any]:
        """Returns ``cell(inputs, prev_state)``: ``(output, next_state)``.

        Raises:
          TypeError, ValueError, tf.errors.InvalidArgumentError: the wrapped cell
            refused the arguments (the message names this module first).
        """
        try:
            return self._cell(inputs, prev_state)
        except tf.errors.OpError as error:
            raise type(error)(error.node_def, error.op, self._refused(error)) from error
        except (TypeError, ValueError) as error:
            raise type(error)(self._refused(error)) from error

    def _refused(self, error: Exception) -> str:
        message = getattr(error, "message", None) or str(error)
        return f"{self.scope_name}: the wrapped cell refused the arguments: {message}"

    @property
    def output_size(self) -> Any:
        """The cell's ``output_size``."""
        return self._cell.output_size

    @property
    def state_size(self) -> Any:
        """The cell's ``state_size``."""
        return self._cell.state_size
