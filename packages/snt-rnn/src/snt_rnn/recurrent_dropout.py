"""RecurrentDropoutWrapper and ``lstm_with_recurrent_dropout``."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

from snt_rnn.lstm import LSTM
from snt_rnn.lstm_state import LSTMState
from snt_rnn.rnn_core import RNNCore


def _check_keep_probs(where: str, keep_probs: Any, state_size: Any) -> None:
    try:
        tf.nest.assert_same_structure(keep_probs, state_size, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{where}: keep_probs must have the structure of the core's state_size "
            f"{state_size!r} (None where nothing is dropped); got {keep_probs!r}."
        ) from e


class RecurrentDropoutWrapper(RNNCore):
    """Applies a per-sequence dropout mask to (parts of) a core's next state.

    The masks are drawn once per sequence, in :meth:`initial_state`, and
    carried in the state: ``state = (core_state, masks)``. Masks include the
    ``1/keep_prob`` scaling of ``tf.nn.dropout``. The wrapper is named
    ``<core>_recdropout`` and has no variables of its own.

    Example:
      >>> train_core, test_core = snt.lstm_with_recurrent_dropout(8, keep_prob=0.5)
      >>> state = train_core.initial_state(batch_size=4)
      >>> output, state = train_core(tf.ones([4, 3]), state)

    Args:
      core: the RNN core to wrap.
      keep_probs: keep probabilities with the structure of
        ``core.state_size``; ``None`` leaves are not dropped.

    Raises:
      ValueError: ``keep_probs`` does not match ``core.state_size``.
    """

    def __init__(self, core: RNNCore, keep_probs: Any) -> None:
        super().__init__(name=core.module_name + "_recdropout")
        _check_keep_probs(self.scope_name, keep_probs, core.state_size)
        self._core = core
        dropout_sizes: list[Any] = []

        def index(keep_prob: Any, size: Any) -> int | None:
            if keep_prob is None:
                return None
            dropout_sizes.append(size)
            return len(dropout_sizes) - 1

        indexes = tf.nest.map_structure(index, keep_probs, core.state_size)
        for key, value in (
            ("_keep_probs", keep_probs),
            ("_indexes", indexes),
            ("_dropout_sizes", dropout_sizes),
        ):
            object.__setattr__(self, key, value)

    def _build(self, inputs: Any, prev_state: tuple[Any, list]) -> tuple[Any, tuple[Any, list]]:
        """Runs the core, then multiplies its next state by the carried masks."""
        core_state, masks = prev_state
        output, next_core_state = self._core(inputs, core_state)
        next_core_state = tf.nest.map_structure(
            lambda i, s: s if i is None else s * masks[i], self._indexes, next_core_state
        )
        return output, (next_core_state, masks)

    def initial_state(
        self,
        batch_size: int | tf.Tensor,
        dtype: Any = tf.float32,
        trainable: bool = False,
        trainable_initializers: Any = None,
        trainable_regularizers: Any = None,
        name: str | None = None,
    ) -> tuple[Any, list]:
        """The core's initial state and freshly drawn dropout masks."""
        core_state = self._core.initial_state(
            batch_size,
            dtype=dtype,
            trainable=trainable,
            trainable_initializers=trainable_initializers,
            trainable_regularizers=trainable_regularizers,
            name=name,
        )
        masks: list[Any] = [None] * len(self._dropout_sizes)

        def draw(i: int | None, state: tf.Tensor, keep_prob: Any) -> None:
            if i is not None:
                masks[i] = tf.nn.dropout(tf.ones_like(state, dtype=dtype), rate=1 - keep_prob)

        tf.nest.map_structure(draw, self._indexes, core_state, self._keep_probs)
        return core_state, masks

    @property
    def state_size(self) -> tuple[Any, list]:
        """``(core.state_size, [sizes of the dropped state parts])``."""
        return self._core.state_size, list(self._dropout_sizes)

    @property
    def output_size(self) -> Any:
        """The core's output size."""
        return self._core.output_size


def lstm_with_recurrent_dropout(
    hidden_size: int, keep_prob: float = 0.5, **kwargs: Any
) -> tuple[RecurrentDropoutWrapper, LSTM]:
    """An LSTM with recurrent dropout on its hidden state, and the same LSTM without.

    Args:
      hidden_size: the LSTM's hidden size.
      keep_prob: probability of keeping a hidden unit.
      **kwargs: passed to :class:`snt.LSTM`.

    Returns:
      ``(train_core, test_core)``: both share the LSTM's variables.
    """
    lstm = LSTM(hidden_size, **kwargs)
    return RecurrentDropoutWrapper(lstm, LSTMState(keep_prob, None)), lstm
