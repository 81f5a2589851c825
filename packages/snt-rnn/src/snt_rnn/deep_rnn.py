"""DeepRNN: a stack of cores (and plain modules/ops) run as one core."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.rnn_core import RNNCore


def _is_recurrent(core: Any) -> bool:
    return isinstance(core, RNNCore) or (
        hasattr(type(core), "state_size") and hasattr(type(core), "output_size")
    )


def _as_shape(size: Any) -> tf.TensorShape:
    return tf.TensorShape(size if not isinstance(size, int) else [size])


class DeepRNN(RNNCore):
    """Runs several cores in sequence at each time step.

    The state is the tuple of the recurrent cores' states. Entries of
    ``cores`` that are not recurrent (any callable: a module, ``tf.nn.relu``)
    are applied to the running output and have no state, as in Sonnet 1.

    With ``skip_connections`` (only for all-recurrent stacks) core ``k > 0``
    reads ``concat([inputs, output_{k-1}], axis=1)``, and the output is the
    concatenation of every core's output (``concat_final_output_if_skip``)
    or the last core's output.

    Example:
      >>> deep = snt.DeepRNN([snt.LSTM(8), snt.LSTM(8)], skip_connections=False)
      >>> state = deep.initial_state(batch_size=4)  # (LSTMState, LSTMState)
      >>> output, state = deep(tf.ones([4, 3]), state)

    Args:
      cores: sequence of RNN cores and/or callables.
      skip_connections: add the skip connections described above.
      concat_final_output_if_skip: with skip connections, output every
        core's output concatenated (else only the last core's).
      name: module name.

    Raises:
      ValueError: ``cores`` is empty or holds a non-callable, or skip
        connections are requested for a stack with non-recurrent entries.
    """

    def __init__(
        self,
        cores: Sequence[Any],
        skip_connections: bool = True,
        concat_final_output_if_skip: bool = True,
        name: str = "deep_rnn",
    ) -> None:
        super().__init__(name=name)
        cores = list(cores) if isinstance(cores, (list, tuple)) else None
        if not cores:
            raise ValueError(
                f"{self.scope_name}: cores must be a non-empty list or tuple of RNN cores "
                "and/or callables."
            )
        bad = [c for c in cores if not callable(c)]
        if bad:
            raise ValueError(
                f"{self.scope_name}: every entry of cores must be callable; got {bad!r}."
            )
        recurrent = [_is_recurrent(c) for c in cores]
        if skip_connections and not all(recurrent):
            raise ValueError(
                f"{self.scope_name}: skip_connections need every core to be recurrent (have "
                f"state_size and output_size); got non-recurrent entries "
                f"{[c for c, r in zip(cores, recurrent, strict=True) if not r]!r}."
            )
        self._cores = tuple(cores)
        _utils.set_untracked(
            self,
            _is_recurrent=tuple(recurrent),
            _skip_connections=skip_connections,
            _concat_final_output=skip_connections and concat_final_output_if_skip,
        )

    def _recurrent_cores(self) -> list[Any]:
        return [c for c, r in zip(self._cores, self._is_recurrent, strict=True) if r]

    def _build(self, inputs: Any, prev_state: Sequence[Any], **kwargs: Any) -> tuple[Any, tuple]:
        """One step through every core.

        Args:
          inputs: the step's inputs.
          prev_state: tuple with one state per recurrent core.
          **kwargs: passed on to every recurrent core.

        Returns:
          ``(output, next_state)``.

        Raises:
          ValueError: ``prev_state`` does not hold one state per recurrent core,
            or the state of an ``RNNCore`` does not have its ``state_size``
            structure.
          IncompatibleShapeError: a state tensor of an ``RNNCore`` is not
            ``[batch_size] + size``.
        """
        count = len(self._recurrent_cores())
        if not isinstance(prev_state, (tuple, list)) or len(prev_state) != count:
            raise ValueError(
                f"{self.scope_name}: prev_state must be a tuple of {count} states (one per "
                f"recurrent core); got {type(prev_state).__name__}: {prev_state!r}."
            )
        batch_size = _utils.batch_dim(inputs)
        for k, (core, state) in enumerate(zip(self._recurrent_cores(), prev_state, strict=True)):
            if isinstance(core, RNNCore):
                _utils.check_state_shapes(
                    self,
                    state,
                    core.state_size,
                    batch_size,
                    f"prev_state[{k}] ({core.module_name})",
                )
        states = iter(prev_state)
        next_states: list[Any] = []
        outputs: list[Any] = []
        current = inputs
        for k, (core, recurrent) in enumerate(zip(self._cores, self._is_recurrent, strict=True)):
            if self._skip_connections and k > 0:
                flat = tf.nest.flatten(inputs) + tf.nest.flatten(current)
                current = tf.concat(flat, axis=1)
            if recurrent:
                current, state = core(current, next(states), **kwargs)
                next_states.append(state)
            else:
                current = core(current)
            outputs.append(current)
        if self._concat_final_output:
            output = tf.concat([o for out in outputs for o in tf.nest.flatten(out)], axis=1)
        else:
            output = current
        return output, tuple(next_states)

    def initial_state(
        self,
        batch_size: int | tf.Tensor,
        dtype: Any = tf.float32,
        trainable: bool = False,
        trainable_initializers: Any = None,
        trainable_regularizers: Any = None,
        name: str | None = None,
    ) -> tuple:
        """The tuple of every recurrent core's ``initial_state``.

        ``trainable_initializers``/``trainable_regularizers``, when given, are
        sequences with one entry per recurrent core.

        Raises:
          ValueError: those sequences do not have one entry per recurrent core.
        """
        cores = self._recurrent_cores()
        per_core = []
        for what, value in (
            ("trainable_initializers", trainable_initializers),
            ("trainable_regularizers", trainable_regularizers),
        ):
            if value is None:
                value = [None] * len(cores)
            elif not isinstance(value, (tuple, list)) or len(value) != len(cores):
                raise ValueError(
                    f"{self.scope_name}: {what} must have one entry per recurrent core "
                    f"({len(cores)}); got {value!r}."
                )
            per_core.append(value)
        return tuple(
            core.initial_state(
                batch_size,
                dtype=dtype,
                trainable=trainable,
                trainable_initializers=inits,
                trainable_regularizers=regs,
                name=name,
            )
            if isinstance(core, RNNCore)
            else core.initial_state(batch_size, dtype)
            for core, inits, regs in zip(cores, *per_core, strict=True)
        )

    @property
    def state_size(self) -> tuple:
        """Tuple of the recurrent cores' ``state_size``."""
        return tuple(core.state_size for core in self._recurrent_cores())

    @property
    def output_size(self) -> Any:
        """The last core's output size, or the sum of all with concatenated skip outputs.

        Raises:
          snt.NotSupportedError: the last entry is not recurrent and has no
            ``output_size``.
        """
        if self._concat_final_output:
            total = sum(_as_shape(c.output_size)[-1] for c in self._cores)
            return tf.TensorShape([total])
        last = self._cores[-1]
        size = getattr(last, "output_size", None)
        if size is None:
            raise snt.NotSupportedError(
                f"{self.scope_name}: output_size is unknown: the last entry of cores "
                f"({last!r}) is not recurrent and has no output_size."
            )
        size = size() if callable(size) else size
        return _as_shape(size)
