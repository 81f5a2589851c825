"""ModelRNN: a core whose state is the output of a model applied to the state."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

from snt_rnn import _utils
from snt_rnn.rnn_core import RNNCore


class ModelRNN(RNNCore):
    """Runs ``model`` on the previous state, ignoring the inputs.

    ``output = next_state = model(prev_state)``. Useful to unroll a generative
    model with ``dynamic_rnn``. The model must have an ``output_size`` (an int
    or ``tf.TensorShape``, or a callable returning one).

    Example:
      >>> core = snt.ModelRNN(snt.Linear(3))
      >>> output, state = core(tf.zeros([2, 1]), tf.ones([2, 3]))

    Args:
      model: a callable with an ``output_size`` attribute.
      name: module name.

    Raises:
      TypeError: ``model`` is not callable, or is an ``RNNCore``.
      AttributeError: ``model`` has no ``output_size``.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"prev_state": "nest"}

    def __init__(self, model: Any, name: str = "model_rnn") -> None:
        super().__init__(name=name)
        if not callable(model):
            raise TypeError(
                f"{self.scope_name}: Model must be callable (with an output_size attribute); "
                f"got {type(model).__name__}: {model!r}."
            )
        if isinstance(model, RNNCore):
            raise TypeError(
                f"{self.scope_name}: Model should not be an RNNCore (it maps a state to the "
                f"next state); got {type(model).__name__} {model.module_name!r}."
            )
        if not hasattr(model, "output_size"):
            raise AttributeError(
                f"{self.scope_name}: Model should have an output_size attribute; got "
                f"{type(model).__name__}: {model!r}."
            )
        self._model = model

    def _build(self, inputs: Any, prev_state: Any) -> tuple[Any, Any]:
        """Returns ``(model(prev_state), model(prev_state))``; ``inputs`` is unused.

        Raises:
          ValueError: ``prev_state`` is not a single tensor.
          IncompatibleShapeError: ``prev_state`` is not ``[batch_size] + state_size``.
        """
        del inputs
        _utils.check_state_shapes(self, prev_state, self.state_size)
        next_state = self._model(prev_state)
        return next_state, next_state

    @property
    def state_size(self) -> tf.TensorShape:
        """The model's output size as a ``tf.TensorShape``."""
        size = self._model.output_size
        size = size() if callable(size) else size
        return tf.TensorShape([size] if isinstance(size, int) else size)

    @property
    def output_size(self) -> tf.TensorShape:
        """Same as :attr:`state_size`."""
        return self.state_size
