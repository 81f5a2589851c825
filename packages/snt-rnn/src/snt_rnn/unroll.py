"""``snt.static_unroll`` and ``snt.dynamic_unroll``: run a core over a sequence.

Both work in ``tf.compat.v1`` graph mode, eagerly and inside ``tf.function``,
with any core (or any callable ``(inputs, state) -> (output, next_state)``),
and need none of the ``tf.compat.v1.nn`` RNN functions. They follow
``dynamic_rnn``'s conventions: with ``sequence_length``, steps past a batch
entry's length output zeros and carry its state unchanged, so the final state
is the state after its last valid step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

Core = Callable[[Any, Any], tuple[Any, Any]]


def _to_time_major(sequence: Any) -> Any:
    def swap(x: Any) -> tf.Tensor:
        x = tf.convert_to_tensor(x)
        perm = [1, 0, *range(2, x.shape.rank)]
        return tf.transpose(x, perm)

    return tf.nest.map_structure(swap, sequence)


def _check_sequence(input_sequence: Any, where: str) -> tf.Tensor:
    flat = [tf.convert_to_tensor(x) for x in tf.nest.flatten(input_sequence)]
    if not flat:
        raise ValueError(f"{where}: input_sequence is empty; expected at least one tensor.")
    for x in flat:
        if x.shape.rank is not None and x.shape.rank < 2:
            raise ValueError(
                f"{where}: every input must have rank >= 2 ([time, batch, ...] or "
                f"[batch, time, ...]); got shape {x.shape}."
            )
    return flat[0]


def _mask_fn(sequence_length: Any, step: Any) -> Callable[[Any, Any], Any] | None:
    """``select(new, old)``: ``new`` where ``step < sequence_length``, else ``old``."""
    if sequence_length is None:
        return None
    valid = tf.less(step, sequence_length)

    def select(new: tf.Tensor, old: tf.Tensor) -> tf.Tensor:
        mask = tf.reshape(valid, [-1] + [1] * (new.shape.rank - 1))
        return tf.where(mask, new, old)

    return select


def _masked_step(core: Core, inputs: Any, state: Any, select: Any) -> tuple[Any, Any]:
    output, next_state = core(inputs, state)
    if select is not None:
        output = tf.nest.map_structure(lambda o: select(o, tf.zeros_like(o)), output)
        next_state = tf.nest.map_structure(select, next_state, state)
    return output, next_state


def static_unroll(
    core: Core,
    input_sequence: Any,
    initial_state: Any,
    sequence_length: Any = None,
    time_major: bool = True,
) -> tuple[Any, Any]:
    """Unrolls ``core`` with a Python loop: one connection per time step.

    The number of steps must be known statically. Every step shares the
    core's variables.

    Example:
      >>> lstm = snt.LSTM(4)
      >>> inputs = tf.ones([5, 2, 3])  # [time, batch, features]
      >>> outputs, final = snt.static_unroll(lstm, inputs, lstm.initial_state(2))

    Args:
      core: an RNN core, or any callable ``(inputs, state) -> (output, state)``.
      input_sequence: a tensor (or nested structure of tensors)
        ``[time, batch, ...]`` (``[batch, time, ...]`` if not ``time_major``).
      initial_state: the state before the first step.
      sequence_length: optional int vector ``[batch]`` of valid lengths.
      time_major: whether time is the first axis of inputs and outputs.

    Returns:
      ``(output_sequence, final_state)``; outputs are stacked along the time
      axis with the same major-ness as the inputs.

    Raises:
      ValueError: the number of steps is unknown or zero, or an input has
        rank < 2.
    """
    first = _check_sequence(input_sequence, "snt.static_unroll")
    num_steps = first.shape[0 if time_major else 1]
    if not num_steps:
        raise ValueError(
            "snt.static_unroll: the number of time steps must be known and > 0; got input "
            f"shape {first.shape} (time_major={time_major}). Use snt.dynamic_unroll for "
            "sequences of unknown length."
        )
    axis = 0 if time_major else 1
    per_input = [tf.unstack(x, num=num_steps, axis=axis) for x in tf.nest.flatten(input_sequence)]
    steps = [
        tf.nest.pack_sequence_as(input_sequence, list(xs)) for xs in zip(*per_input, strict=True)
    ]
    outputs, state = [], initial_state
    for t, inputs in enumerate(steps):
        output, state = _masked_step(core, inputs, state, _mask_fn(sequence_length, t))
        outputs.append(output)
    output_sequence = tf.nest.map_structure(lambda *o: tf.stack(o, axis=axis), *outputs)
    return output_sequence, state


def dynamic_unroll(
    core: Core,
    input_sequence: Any,
    initial_state: Any,
    sequence_length: Any = None,
    time_major: bool = True,
    parallel_iterations: int = 16,
    swap_memory: bool = False,
) -> tuple[Any, Any]:
    """Unrolls ``core`` with ``tf.while_loop``: the step is built once.

    The first step is connected before the loop, so a core that has not been
    connected yet creates its variables outside the loop; this is what makes
    ``dynamic_unroll`` work inside ``tf.function`` on the first call (where
    ``tf.compat.v1.nn.dynamic_rnn`` cannot create variables). The number of
    steps may be dynamic but must be at least 1.

    Example:
      >>> lstm = snt.LSTM(4)
      >>> @tf.function
      ... def run(x):
      ...   return snt.dynamic_unroll(lstm, x, lstm.initial_state(2))
      >>> outputs, final = run(tf.ones([5, 2, 3]))

    Args:
      core: an RNN core, or any callable ``(inputs, state) -> (output, state)``.
      input_sequence: a tensor (or nested structure of tensors)
        ``[time, batch, ...]`` (``[batch, time, ...]`` if not ``time_major``).
      initial_state: the state before the first step.
      sequence_length: optional int vector ``[batch]`` of valid lengths.
      time_major: whether time is the first axis of inputs and outputs.
      parallel_iterations: passed to ``tf.while_loop``.
      swap_memory: passed to ``tf.while_loop``.

    Returns:
      ``(output_sequence, final_state)``; outputs are stacked along the time
      axis with the same major-ness as the inputs.

    Raises:
      ValueError: an input has rank < 2.
    """
    _check_sequence(input_sequence, "snt.dynamic_unroll")
    if not time_major:
        input_sequence = _to_time_major(input_sequence)
    flat_inputs = [tf.convert_to_tensor(x) for x in tf.nest.flatten(input_sequence)]
    num_steps = tf.shape(flat_inputs[0])[0]
    if sequence_length is not None:
        sequence_length = tf.cast(sequence_length, tf.int32)
    input_arrays = [
        tf.TensorArray(x.dtype, size=num_steps, element_shape=x.shape[1:]).unstack(x)
        for x in flat_inputs
    ]

    def read(t: Any) -> Any:
        return tf.nest.pack_sequence_as(input_sequence, [ta.read(t) for ta in input_arrays])

    output, state = _masked_step(core, read(0), initial_state, _mask_fn(sequence_length, 0))
    flat_output = tf.nest.flatten(output)
    output_arrays = [
        tf.TensorArray(o.dtype, size=num_steps, element_shape=o.shape).write(0, o)
        for o in flat_output
    ]

    def body(t: Any, state: Any, arrays: list[Any]) -> tuple[Any, Any, list[Any]]:
        out, next_state = _masked_step(core, read(t), state, _mask_fn(sequence_length, t))
        next_state = tf.nest.map_structure(_keep_shape, next_state, state)
        arrays = [ta.write(t, o) for ta, o in zip(arrays, tf.nest.flatten(out), strict=True)]
        return t + 1, next_state, arrays

    _, final_state, output_arrays = tf.while_loop(
        lambda t, *_: t < num_steps,
        body,
        (tf.constant(1), state, output_arrays),
        parallel_iterations=parallel_iterations,
        swap_memory=swap_memory,
    )
    outputs = [ta.stack() for ta in output_arrays]
    if not time_major:
        outputs = [tf.transpose(o, [1, 0, *range(2, o.shape.rank)]) for o in outputs]
    return tf.nest.pack_sequence_as(output, outputs), final_state


def _keep_shape(new: tf.Tensor, old: tf.Tensor) -> tf.Tensor:
    """Keeps the loop-carried state's static shape (the batch may be unknown)."""
    return tf.ensure_shape(new, old.shape) if old.shape.is_fully_defined() else new
