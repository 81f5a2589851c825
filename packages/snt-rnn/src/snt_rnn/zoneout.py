"""ZoneoutWrapper and ``lstm_with_zoneout`` (https://arxiv.org/abs/1606.01305)."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

from snt_rnn import _utils
from snt_rnn.lstm import LSTM
from snt_rnn.lstm_state import LSTMState
from snt_rnn.recurrent_dropout import _check_core, _check_keep_probs
from snt_rnn.rnn_core import RNNCore


class ZoneoutWrapper(RNNCore):
    """Randomly keeps parts of the previous state instead of the core's update.

    In training each unit takes the new value with probability ``keep_prob``
    and keeps its previous value otherwise; at test time the state is the
    expectation ``keep_prob * new + (1 - keep_prob) * previous``. Named
    ``<core>_zoneout``; no variables of its own.

    Example:
      >>> train_core, test_core = snt.lstm_with_zoneout(8)
      >>> output, state = train_core(tf.ones([4, 3]), train_core.initial_state(4))

    Args:
      core: the RNN core to wrap.
      keep_probs: probabilities of taking the new value, with the structure of
        ``core.state_size``; ``None`` leaves always take it.
      is_training: stochastic zoneout (True) or its expectation (False).

    Raises:
      TypeError: ``core`` is not an RNN core; ``keep_probs`` holds something
        other than numbers, scalar tensors and None.
      ValueError: ``keep_probs`` does not match ``core.state_size``, or a
        keep probability is not in (0, 1].
    """

    def __init__(self, core: RNNCore, keep_probs: Any, is_training: bool) -> None:
        super().__init__(name=f"{getattr(core, 'module_name', 'core')}_zoneout")
        _check_core(self.scope_name, core)
        _check_keep_probs(self.scope_name, keep_probs, core.state_size)
        self._core = core
        object.__setattr__(self, "_keep_probs", keep_probs)
        object.__setattr__(self, "_is_training", is_training)

    def _build(self, inputs: Any, prev_state: Any) -> tuple[Any, Any]:
        """Runs the core and mixes its next state with ``prev_state``.

        Raises:
          ValueError: ``prev_state`` does not have the structure of ``state_size``.
          IncompatibleShapeError: a state tensor is not ``[batch_size] + size``.
        """
        _utils.check_state_shapes(self, prev_state, self.state_size, _utils.batch_dim(inputs))
        output, next_state = self._core(inputs, prev_state)

        def zoneout(new: tf.Tensor, keep_prob: Any, old: tf.Tensor) -> tf.Tensor:
            if keep_prob is None:
                return new
            if self._is_training:
                # dropout zeroes (new - old) with probability 1 - keep_prob and
                # scales it by 1/keep_prob otherwise; undo the scaling.
                return old + tf.nn.dropout(new - old, rate=1 - keep_prob) * keep_prob
            return old * (1 - keep_prob) + new * keep_prob

        # The core's next state first, so the result keeps its types (a plain
        # tuple may stand for a namedtuple in keep_probs or prev_state).
        next_state = tf.nest.map_structure(
            zoneout, next_state, self._keep_probs, prev_state, check_types=False
        )
        return output, next_state

    def initial_state(
        self,
        batch_size: int | tf.Tensor,
        dtype: Any = tf.float32,
        trainable: bool = False,
        trainable_initializers: Any = None,
        trainable_regularizers: Any = None,
        name: str | None = None,
    ) -> Any:
        """The wrapped core's initial state."""
        return self._core.initial_state(
            batch_size,
            dtype=dtype,
            trainable=trainable,
            trainable_initializers=trainable_initializers,
            trainable_regularizers=trainable_regularizers,
            name=name,
        )

    @property
    def state_size(self) -> Any:
        """The core's state size."""
        return self._core.state_size

    @property
    def output_size(self) -> Any:
        """The core's output size."""
        return self._core.output_size


def lstm_with_zoneout(
    hidden_size: int, keep_prob_c: float = 0.5, keep_prob_h: float = 0.95, **kwargs: Any
) -> tuple[ZoneoutWrapper, ZoneoutWrapper]:
    """An LSTM with zoneout for training and its deterministic counterpart for testing.

    Args:
      hidden_size: the LSTM's hidden size.
      keep_prob_c: probability of updating a cell unit.
      keep_prob_h: probability of updating a hidden unit.
      **kwargs: passed to :class:`snt.LSTM`.

    Returns:
      ``(train_core, test_core)``, sharing one LSTM.
    """
    lstm = LSTM(hidden_size, **kwargs)
    keep_probs = LSTMState(keep_prob_h, keep_prob_c)
    return (
        ZoneoutWrapper(lstm, keep_probs, is_training=True),
        ZoneoutWrapper(lstm, keep_probs, is_training=False),
    )
