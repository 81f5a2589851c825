"""RecurrentDropoutWrapper and ``lstm_with_recurrent_dropout``."""

from __future__ import annotations

import numbers
from typing import Any

import tensorflow as tf

from snt_rnn import _utils
from snt_rnn.lstm import LSTM
from snt_rnn.lstm_state import LSTMState
from snt_rnn.rnn_core import RNNCore


def _check_core(where: str, core: Any) -> None:
    if not callable(core) or not hasattr(core, "state_size"):
        raise TypeError(
            f"{where}: core must be an RNN core (callable, with a state_size); got "
            f"{type(core).__name__}: {core!r}."
        )


def _check_keep_probs(where: str, keep_probs: Any, state_size: Any) -> None:
    try:
        tf.nest.assert_same_structure(keep_probs, state_size, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{where}: keep_probs must have the structure of the core's state_size "
            f"{state_size!r} (None where nothing is dropped); got {keep_probs!r}."
        ) from e
    for keep_prob in tf.nest.flatten(keep_probs):
        if keep_prob is None or isinstance(keep_prob, (tf.Tensor, tf.Variable)):
            continue
        if isinstance(keep_prob, bool) or not isinstance(keep_prob, numbers.Real):
            raise TypeError(
                f"{where}: keep_probs must hold numbers in (0, 1], scalar tensors or None; "
                f"got {type(keep_prob).__name__}: {keep_prob!r} in {keep_probs!r}."
            )
        if not 0 < keep_prob <= 1:
            raise ValueError(
                f"{where}: keep probabilities must be in (0, 1]; got {keep_prob!r} in "
                f"{keep_probs!r}."
            )


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
      TypeError: ``core`` is not an RNN core; ``keep_probs`` holds something
        other than numbers, scalar tensors and None.
      ValueError: ``keep_probs`` does not match ``core.state_size``, or a
        keep probability is not in (0, 1].
    """

    def __init__(self, core: RNNCore, keep_probs: Any) -> None:
        super().__init__(name=f"{getattr(core, 'module_name', 'core')}_recdropout")
        _check_core(self.scope_name, core)
        _check_keep_probs(self.scope_name, keep_probs, core.state_size)
        self._core = core
        dropout_sizes: list[Any] = []

        def index(keep_prob: Any, size: Any) -> int | None:
            if keep_prob is None:
                return None
            dropout_sizes.append(size)
            return len(dropout_sizes) - 1

        # check_types=False: a plain tuple may stand for a namedtuple (LSTMState).
        indexes = tf.nest.map_structure(index, keep_probs, core.state_size, check_types=False)
        for key, value in (
            ("_keep_probs", keep_probs),
            ("_indexes", indexes),
            ("_dropout_sizes", dropout_sizes),
        ):
            object.__setattr__(self, key, value)

    def _build(self, inputs: Any, prev_state: tuple[Any, list]) -> tuple[Any, tuple[Any, list]]:
        """Runs the core, then multiplies its next state by the carried masks.

        Raises:
          ValueError: ``prev_state`` is not ``(core_state, masks)`` with one
            mask per dropped state tensor (the structure of ``state_size``).
          IncompatibleShapeError: a state tensor or mask is not
            ``[batch_size] + size``.
        """
        _utils.check_state_shapes(
            self, prev_state, self.state_size, _utils.batch_dim(inputs), "prev_state"
        )
        core_state, masks = prev_state
        output, next_core_state = self._core(inputs, core_state)
        next_core_state = tf.nest.map_structure(  # keeps the core's state types
            lambda s, i: s if i is None else s * masks[i],
            next_core_state,
            self._indexes,
            check_types=False,
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

        tf.nest.map_structure(draw, self._indexes, core_state, self._keep_probs, check_types=False)
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
