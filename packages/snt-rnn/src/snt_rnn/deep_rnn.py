"""DeepRNN: a stack of cores (and plain modules/ops) run as one core."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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

    With ``skip_connections`` (only when every entry is an ``snt.RNNCore``)
    core ``k > 0`` reads ``concat([inputs, output_{k-1}], axis=-1)`` (leaf by
    leaf for nested inputs), and the output is the concatenation of every
    core's output along the last axis (``concat_final_output_if_skip``) or the
    last core's output. Without them, any object with ``state_size`` and
    ``output_size`` (an RNN cell) also counts as recurrent.

    Example:
      >>> deep = snt.DeepRNN([snt.LSTM(8), snt.LSTM(8)], skip_connections=False)
      >>> state = deep.initial_state(batch_size=4)  # (LSTMState, LSTMState)
      >>> output, state = deep(tf.ones([4, 3]), state)

    Args:
      cores: iterable of RNN cores and/or callables.
      skip_connections: add the skip connections described above.
      concat_final_output_if_skip: with skip connections, output every
        core's output concatenated (else only the last core's).
      name: module name.

    Raises:
      ValueError: ``cores`` is not iterable, is empty or holds a non-callable;
        skip connections are requested for a stack with entries that are not
        ``snt.RNNCore``s, or whose outputs differ in more than the last axis.
    """

    def __init__(
        self,
        cores: Iterable[Any],
        skip_connections: bool = True,
        concat_final_output_if_skip: bool = True,
        name: str = "deep_rnn",
    ) -> None:
        super().__init__(name=name)
        if not isinstance(cores, Iterable) or isinstance(cores, (str, bytes, Mapping)):
            raise ValueError(
                f"{self.scope_name}: Cores should be an iterable object (a list or tuple of "
                f"RNN cores and/or callables); got {type(cores).__name__}: {cores!r}."
            )
        cores = tuple(cores)
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
        if skip_connections:
            others = [c for c in cores if not isinstance(c, RNNCore)]
            if others:
                raise ValueError(
                    f"{self.scope_name}: skip_connections are enabled but not all cores are "
                    f"`snt.RNNCore`s, which is not supported. The following cores are not: "
                    f"{others!r}."
                )
            _check_concatenable(self.scope_name, cores)
        self._cores = cores
        _utils.set_untracked(
            self,
            _is_recurrent=tuple(_is_recurrent(c) for c in cores),
            _skip_connections=skip_connections,
            _concat_final_output=skip_connections and concat_final_output_if_skip,
            _last_output_size=None,
        )

    def _recurrent_cores(self) -> list[Any]:
        return [c for c, r in zip(self._cores, self._is_recurrent, strict=True) if r]

    def _build(self, inputs: Any, prev_state: Sequence[Any], **kwargs: Any) -> tuple[Any, tuple]:
        """One step through every core.

        Args:
          inputs: the step's inputs.
          prev_state: tuple with one state per recurrent core.
          **kwargs: passed on to every core (each must accept them), as in
            Sonnet 1, e.g. ``is_training``.

        Returns:
          ``(output, next_state)``.

        Raises:
          ValueError: ``prev_state`` does not hold one state per recurrent core,
            or the state of an ``RNNCore`` does not have its ``state_size``
            structure.
          IncompatibleShapeError: a core refused its inputs or state shapes (the
            message names this module, the core's position and the core).
        """
        count = len(self._recurrent_cores())
        if not isinstance(prev_state, (tuple, list)) or len(prev_state) != count:
            raise ValueError(
                f"{self.scope_name}: prev_state must be a tuple of {count} states (one per "
                f"recurrent core); got {type(prev_state).__name__}: {prev_state!r}."
            )
        # The structure is checked here, to name the entry; each core checks its
        # state's shapes itself (a VanillaRNN, as in Sonnet 1, takes any width).
        for k, (core, state) in enumerate(zip(self._recurrent_cores(), prev_state, strict=True)):
            if isinstance(core, RNNCore):
                try:
                    tf.nest.assert_same_structure(state, core.state_size, check_types=False)
                except (ValueError, TypeError) as e:
                    raise ValueError(
                        f"{self.scope_name}: prev_state[{k}] ({core.module_name}) must have the "
                        f"structure of its state_size {core.state_size!r}; got "
                        f"{type(state).__name__}: {state!r}."
                    ) from e
        states = iter(prev_state)
        next_states: list[Any] = []
        outputs: list[Any] = []
        current = inputs
        for k, (core, recurrent) in enumerate(zip(self._cores, self._is_recurrent, strict=True)):
            if self._skip_connections and k > 0:
                current = tf.nest.map_structure(_concat, inputs, current)
            if recurrent:
                state = next(states)
                try:
                    current, state = core(current, state, **kwargs)
                except snt.IncompatibleShapeError as e:  # name this module and the entry too
                    raise snt.IncompatibleShapeError(
                        f"{self.scope_name}: core {k} (prev_state[{len(next_states)}]): {e}"
                    ) from e
                next_states.append(state)
            else:
                current = core(current, **kwargs)
            outputs.append(current)
        if self._concat_final_output:
            output = tf.nest.map_structure(_concat, *outputs)
        else:
            output = current
        _utils.set_untracked(
            self, _last_output_size=tf.nest.map_structure(lambda t: t.shape[1:], output)
        )
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
        sequences with one entry per recurrent core. The ops are made in the
        name scope ``name`` (default ``<scope_name>_initial_state``); each core
        makes its state with its own default name inside it, as in Sonnet 1
        (``deep_rnn_initial_state/lstm_initial_state/state_hidden_tiled``), so
        ``name`` does not select another set of trainable variables.

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
        with tf.compat.v1.name_scope(self._initial_state_scope(name)):
            return tuple(
                core.initial_state(
                    batch_size,
                    dtype=dtype,
                    trainable=trainable,
                    trainable_initializers=inits,
                    trainable_regularizers=regs,
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
        """The size of the output, without the batch dimension.

        With concatenated skip outputs, the cores' output sizes joined along
        their last axis (structure of the first core's). Otherwise the last
        core's ``output_size``; if the last entry has none (``tf.nn.relu``), the
        size seen on the last connection, else the ``output_size`` of the
        nearest earlier entry that has one (a guess, logged as a warning with
        ``tf.compat.v1.logging.warning``, as Sonnet 1 did).

        Raises:
          ValueError: no entry of ``cores`` has an ``output_size`` and the core
            was never connected.
        """
        if self._concat_final_output:
            flat = [
                [_as_shape(size).as_list() for size in tf.nest.flatten(c.output_size)]
                for c in self._cores
            ]
            joined = [
                tf.TensorShape(sizes[0][:-1] + [sum(size[-1] for size in sizes)])
                for sizes in zip(*flat, strict=True)
            ]
            return tf.nest.pack_sequence_as(self._cores[0].output_size, joined)
        last = self._cores[-1]
        if hasattr(last, "output_size"):
            return _output_size_of(last)
        if self._last_output_size is not None:
            tf.compat.v1.logging.warning(
                "Final core does not contain .output_size, but the DeepRNN has been "
                "connected into the graph, so inferred output size as %s",
                self._last_output_size,
            )
            return self._last_output_size
        guess = next((c for c in reversed(self._cores) if hasattr(c, "output_size")), None)
        if guess is None:
            raise ValueError(
                f"{self.scope_name}: None of the 'cores' have output_size information, and "
                "the core was not connected yet; its output size is unknown."
            )
        guessed = guess.output_size
        tf.compat.v1.logging.warning(
            "Trying to infer output_size of DeepRNN, but the final core %s does not have "
            "the .output_size field. The guessed output_size is %s but this may not be "
            "correct. If you see shape errors following this warning, you must change the "
            "cores used in the DeepRNN so that the final core used has a correct "
            ".output_size property.",
            last,
            guessed,
        )
        return _output_size_of(guess)


def _concat(*tensors: tf.Tensor) -> tf.Tensor:
    return tf.concat(tensors, axis=-1)


def _output_size_of(core: Any) -> Any:
    """``core.output_size`` with int sizes as ``tf.TensorShape``s."""
    size = core.output_size
    size = size() if callable(size) else size
    return tf.nest.map_structure(_as_shape, size)


def _check_concatenable(where: str, cores: Sequence[Any]) -> None:
    """With skip connections the cores' outputs must differ in their last axis only.

    Raises:
      ValueError: they differ elsewhere (or in structure).
    """
    flat = [[_as_shape(s).as_list() for s in tf.nest.flatten(c.output_size)] for c in cores]
    for k, sizes in enumerate(flat[1:], start=1):
        if len(sizes) != len(flat[0]) or any(
            a[:-1] != b[:-1] for a, b in zip(flat[0], sizes, strict=True)
        ):
            raise ValueError(
                f"{where}: The outputs of the provided cores are not able to be concatenated "
                f"along the first feature dimension. Core 0 has shape {flat[0]}, whereas Core "
                f"{k} has shape {sizes} - these must only differ in the last dimension."
            )
