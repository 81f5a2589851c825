"""ResidualCore and SkipConnectionCore: cores whose output also carries their input."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn.rnn_core import RNNCore


def _check_core(where: str, core: Any) -> None:
    if not callable(core) or not all(hasattr(core, a) for a in ("state_size", "output_size")):
        raise TypeError(
            f"{where}: base_core must be an RNN core (callable, with state_size and "
            f"output_size); got {type(core).__name__}: {core!r}."
        )


def _as_shape(size: Any) -> tf.TensorShape:
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        return tf.TensorShape([int(size)])
    return tf.TensorShape(size)


def _pairwise(where: str, combine: Callable[[Any, Any], Any], inputs: Any, outputs: Any) -> Any:
    """``combine(input, output)`` leaf by leaf; errors name the module.

    Raises:
      ValueError: the core's output does not have the structure of the inputs.
      TypeError: a pair of leaves has different dtypes.
    """
    try:
        tf.nest.assert_same_structure(inputs, outputs, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{where}: the base core's output must have the structure of the inputs; got "
            f"inputs {inputs!r} and output {outputs!r}."
        ) from e

    def checked(x: Any, y: Any) -> Any:
        x_dtype, y_dtype = getattr(x, "dtype", None), getattr(y, "dtype", None)
        if x_dtype is not None and y_dtype is not None and x_dtype != y_dtype:
            raise TypeError(
                f"{where}: inputs of dtype {tf.as_dtype(x_dtype).name} cannot be combined with "
                f"the base core's output of dtype {tf.as_dtype(y_dtype).name}."
            )
        return combine(x, y)

    return tf.nest.map_structure(checked, inputs, outputs, check_types=False)


class _WrappedCore(RNNCore):
    """A core that runs ``base_core`` and has its state (shared by the two wrappers)."""

    def __init__(self, base_core: Any, name: str) -> None:
        super().__init__(name=name)
        _check_core(self.scope_name, base_core)
        self._base_core = base_core

    @property
    def state_size(self) -> Any:
        """The base core's ``state_size``."""
        return self._base_core.state_size

    def initial_state(self, *args: Any, **kwargs: Any) -> Any:
        """The base core's ``initial_state`` (same arguments)."""
        return self._base_core.initial_state(*args, **kwargs)

    def zero_state(self, *args: Any, **kwargs: Any) -> Any:
        """The base core's ``zero_state`` (same arguments)."""
        return self._base_core.zero_state(*args, **kwargs)


class ResidualCore(_WrappedCore):
    """Wraps a core so that its output is ``output + inputs`` (the state is unchanged).

    The base core's output must have the inputs' structure, and each input
    must broadcast to its output's shape (so ``output_size`` stays the base
    core's). State, ``state_size``, ``output_size``, ``initial_state`` and
    ``zero_state`` are the base core's. The wrapper has no variables of its own.

    Example:
      >>> core = snt.ResidualCore(snt.VanillaRNN(4))
      >>> output, state = core(tf.ones([2, 4]), core.initial_state(2))  # rnn(x) + x

    Args:
      base_core: the RNN core to wrap.
      name: module name.

    Raises:
      TypeError: ``base_core`` is not callable or lacks ``state_size``/``output_size``.
    """

    def __init__(self, base_core: Any, name: str = "residual_core") -> None:
        super().__init__(base_core, name)

    def _build(self, inputs: Any, prev_state: Any, **kwargs: Any) -> tuple[Any, Any]:
        """One step of the base core; returns ``(output + inputs, next_state)``.

        Raises:
          ValueError: the base core's output does not have the inputs' structure.
          IncompatibleShapeError: an input does not broadcast to its output's shape.
          TypeError: an output has another dtype than its input.
        """
        outputs, next_state = self._base_core(inputs, prev_state, **kwargs)

        def add(x: Any, y: Any) -> Any:
            x_shape, y_shape = tf.TensorShape(x.shape), tf.TensorShape(y.shape)
            try:
                joint = tf.broadcast_static_shape(x_shape, y_shape)
            except ValueError:
                joint = None
            if joint is None or not joint.is_compatible_with(y_shape):
                raise snt.IncompatibleShapeError(
                    f"{self.scope_name}: cannot add inputs of shape {x_shape} to the base "
                    f"core's output of shape {y_shape}: the sum must keep the output's shape "
                    "(output_size)."
                )
            return x + y

        return _pairwise(self.scope_name, add, inputs, outputs), next_state

    @property
    def output_size(self) -> Any:
        """The base core's ``output_size``."""
        return self._base_core.output_size


class SkipConnectionCore(_WrappedCore):
    """Wraps a core so that its output is ``concat([inputs, output], axis=-1)``.

    The state is the base core's. ``output_size`` needs the input shape: give
    ``input_shape`` (without the batch dimension) or connect the core first.

    Example:
      >>> core = snt.SkipConnectionCore(snt.VanillaRNN(4), input_shape=(3,))
      >>> core.output_size  # 3 + 4
      TensorShape([7])
      >>> output, state = core(tf.ones([2, 3]), core.initial_state(2))

    Args:
      base_core: the RNN core to wrap.
      input_shape: the input's shape without the batch dimension; ``None`` to
        take it from the first connection.
      name: module name.

    Raises:
      TypeError: ``base_core`` is not callable or lacks ``state_size``/``output_size``.
    """

    def __init__(
        self,
        base_core: Any,
        input_shape: Any = None,
        name: str = "skip_connection_core",
    ) -> None:
        super().__init__(base_core, name)
        if input_shape is not None:
            try:
                input_shape = tf.TensorShape(input_shape)
            except (TypeError, ValueError) as e:
                raise TypeError(
                    f"{self.scope_name}: input_shape must be a shape (a sequence of ints) "
                    f"without the batch dimension; got {input_shape!r}."
                ) from e
        object.__setattr__(self, "_input_shape", input_shape)

    def _build(self, inputs: Any, prev_state: Any, **kwargs: Any) -> tuple[Any, Any]:
        """One step of the base core; returns ``(concat([inputs, output], -1), next_state)``.

        Raises:
          ValueError: the base core's output does not have the inputs' structure.
          IncompatibleShapeError: an output and its input differ in rank or in
            a dimension other than the last.
          TypeError: an output has another dtype than its input.
        """
        # The base core first: it checks (and names) what it is given.
        outputs, next_state = self._base_core(inputs, prev_state, **kwargs)
        if not self._input_shape and not tf.nest.is_nested(inputs):
            object.__setattr__(self, "_input_shape", tf.TensorShape(inputs.shape[1:]))

        def concat(x: Any, y: Any) -> Any:
            x_shape, y_shape = tf.TensorShape(x.shape), tf.TensorShape(y.shape)
            if x_shape.rank is not None and y_shape.rank is not None:
                if x_shape.rank != y_shape.rank or not x_shape[:-1].is_compatible_with(
                    y_shape[:-1]
                ):
                    raise snt.IncompatibleShapeError(
                        f"{self.scope_name}: inputs of shape {x_shape} cannot be concatenated "
                        f"with the base core's output of shape {y_shape} along the last axis."
                    )
            return tf.concat([x, y], axis=-1)

        return _pairwise(self.scope_name, concat, inputs, outputs), next_state

    @property
    def output_size(self) -> tf.TensorShape:
        """The input shape with the base core's output size added to its last dimension.

        Raises:
          ValueError: the input shape is unknown (no ``input_shape`` was given
            and the core is not connected).
        """
        if not self._input_shape:
            raise ValueError(
                f"{self.scope_name}: Output size unknown. You must provide the input_shape to "
                "the class' constructor or connect the module into the graph."
            )
        input_shape = self._input_shape
        base = tf.compat.dimension_value(_as_shape(self._base_core.output_size)[-1])
        last = tf.compat.dimension_value(input_shape[-1])
        total = None if base is None or last is None else base + last
        return input_shape[:-1].concatenate([total])
