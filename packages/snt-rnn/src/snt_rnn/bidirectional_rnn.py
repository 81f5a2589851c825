"""BidirectionalRNN: a forward and a backward core over a static-length sequence."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.rnn_core import RNNCore


def _run(core: Any, steps: list[Any], state: Any) -> tuple[Any, Any]:
    outputs, states = [], []
    for inputs in steps:
        output, state = core(inputs, state)
        outputs.append(output)
        states.append(state)
    stack = lambda *values: tf.stack(values)  # noqa: E731
    return tf.nest.map_structure(stack, *outputs), tf.nest.map_structure(stack, *states)


class BidirectionalRNN(snt.AbstractModule):
    """Runs ``forward_core`` over a sequence and ``backward_core`` over it reversed.

    The sequence is time-major ``[time, batch, ...]`` with a static number of
    steps (the loop is unrolled). The result is a dict::

      {"outputs": {"forward": [T, B, ...], "backward": [T, B, ...]},
       "state": {"forward": per-step states, "backward": per-step states}}

    where every entry is stacked along a leading time axis. Backward entries
    are in input time order (entry ``t`` is the backward core's result after
    reading steps ``T-1 .. t``), so forward and backward outputs can be
    concatenated step by step.

    Example:
      >>> bidir = snt.BidirectionalRNN(snt.LSTM(4), snt.LSTM(4))
      >>> result = bidir(tf.ones([5, 2, 3]), bidir.initial_state(2))
      >>> result["outputs"]["forward"].shape
      TensorShape([5, 2, 4])

    Args:
      forward_core: the core run from first step to last.
      backward_core: the core run from last step to first.
      name: module name.

    Raises:
      TypeError: a core is not callable.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"input_sequence": "float"}

    def __init__(self, forward_core: Any, backward_core: Any, name: str = "bidir_rnn") -> None:
        super().__init__(name=name)
        for label, core in (("forward_core", forward_core), ("backward_core", backward_core)):
            if not callable(core):
                raise TypeError(
                    f"{self.scope_name}: {label} must be an RNN core (callable); got "
                    f"{type(core).__name__}: {core!r}."
                )
        self._forward_core = forward_core
        self._backward_core = backward_core

    def _build(self, input_sequence: Any, state: tuple[Any, Any]) -> dict[str, dict[str, Any]]:
        """Unrolls both cores.

        Args:
          input_sequence: ``[time, batch, ...]`` tensor (or nested structure)
            with a static time dimension.
          state: ``(forward_state, backward_state)``.

        Returns:
          The dict described in the class docstring.

        Raises:
          ValueError: the number of time steps is not statically known, or
            ``state`` is not a pair, or the state of an ``RNNCore`` does not
            have its ``state_size`` structure.
          IncompatibleShapeError: an input is not at least ``[time, batch]``;
            a state tensor of an ``RNNCore`` is not ``[batch_size] + size``.
        """
        flat = [tf.convert_to_tensor(x) for x in tf.nest.flatten(input_sequence)]
        num_steps = flat[0].shape[0] if flat and flat[0].shape.rank else None
        if not num_steps:
            raise ValueError(
                f"{self.scope_name}: the time dimension (axis 0) of input_sequence must be "
                f"statically known and > 0; got shape {flat[0].shape if flat else None}."
            )
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise ValueError(
                f"{self.scope_name}: state must be (forward_state, backward_state); got "
                f"{type(state).__name__}."
            )
        for x in flat:
            if x.shape.rank < 2:
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: input_sequence must be time-major [time, batch, ...]; "
                    f"got a tensor of shape {x.shape}."
                )
        batch_size = flat[0].shape[1]
        for label, core, core_state in (
            ("forward_state", self._forward_core, state[0]),
            ("backward_state", self._backward_core, state[1]),
        ):
            if isinstance(core, RNNCore):
                _utils.check_state_shapes(self, core_state, core.state_size, batch_size, label)
        per_input = [tf.unstack(x, num=num_steps) for x in flat]
        steps = [
            tf.nest.pack_sequence_as(input_sequence, list(xs))
            for xs in zip(*per_input, strict=True)
        ]
        with tf.name_scope("forward_rnn"):
            out_f, state_f = _run(self._forward_core, steps, state[0])
        with tf.name_scope("backward_rnn"):
            out_b, state_b = _run(self._backward_core, steps[::-1], state[1])
            out_b, state_b = tf.nest.map_structure(lambda x: tf.reverse(x, [0]), (out_b, state_b))
        return {
            "outputs": {"forward": out_f, "backward": out_b},
            "state": {"forward": state_f, "backward": state_b},
        }

    def initial_state(
        self,
        batch_size: int | tf.Tensor,
        dtype: Any = tf.float32,
        trainable: bool = False,
        trainable_initializers: Any = None,
        trainable_regularizers: Any = None,
        name: str | None = None,
    ) -> tuple[Any, Any]:
        """``(forward_core.initial_state(...), backward_core.initial_state(...))``.

        ``trainable_initializers``/``trainable_regularizers``, when given, are
        ``(forward, backward)`` pairs.
        """
        inits = trainable_initializers or (None, None)
        regs = trainable_regularizers or (None, None)
        return tuple(
            core.initial_state(
                batch_size,
                dtype=dtype,
                trainable=trainable,
                trainable_initializers=i,
                trainable_regularizers=r,
                name=name,
            )
            for core, i, r in zip(
                (self._forward_core, self._backward_core), inits, regs, strict=True
            )
        )

    @property
    def state_size(self) -> tuple[Any, Any]:
        """``(forward_core.state_size, backward_core.state_size)``."""
        return self._forward_core.state_size, self._backward_core.state_size

    @property
    def output_size(self) -> tuple[Any, Any]:
        """``(forward_core.output_size, backward_core.output_size)``."""
        return self._forward_core.output_size, self._backward_core.output_size
