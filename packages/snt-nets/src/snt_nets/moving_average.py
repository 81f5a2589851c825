"""MovingAverage: a decaying average of the values seen, differentiable in the last one."""

from __future__ import annotations

import numbers
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils


def _pass_through_gradients(
    x: tf.Tensor, moving_avg: tf.Tensor, name: str = "pass_through_gradients"
) -> tf.Tensor:
    """Returns ``moving_avg``, with the gradient of the result going to ``x`` unchanged.

    Like ``x + tf.stop_gradient(moving_avg - x)`` but exact: the forward value
    is ``moving_avg`` itself, not a sum that can round differently.

    Raises:
      TypeError: ``x`` and ``moving_avg`` have different dtypes.
    """
    x = tf.convert_to_tensor(x)
    moving_avg = tf.convert_to_tensor(moving_avg)
    if x.dtype.base_dtype != moving_avg.dtype.base_dtype:
        raise TypeError(
            f"{name}: the inputs are expected to be of the same type, but were "
            f"{x.dtype.base_dtype.name} and {moving_avg.dtype.base_dtype.name}."
        )

    @tf.custom_gradient
    def forward(value: tf.Tensor, average: tf.Tensor) -> Any:
        def backward(upstream: tf.Tensor) -> tuple[tf.Tensor, None]:
            return upstream, None

        return tf.identity(average), backward

    with tf.name_scope(name):
        output = forward(x, moving_avg)
    output.set_shape(x.shape)
    return output


class MovingAverage(snt.AbstractModule):
    """A decaying moving average of the values passed in, differentiable in the last one.

    The first connection's value starts the average; each later value ``x``
    updates it to ``decay * average + (1 - decay) * x``, and the module returns
    the updated average. Gradients flow to the value just passed in, as if the
    output were that value. The state is two non-trainable variables,
    ``initialized`` (bool) and ``moving_average`` (the input's shape and
    dtype), in ``GLOBAL_VARIABLES`` or, with ``local=True``, ``LOCAL_VARIABLES``.

    The update happens when the output is computed: in graph mode each run of
    the output, eagerly each call, inside ``tf.function`` each call of the
    function.

    Example:
      >>> avg = snt.MovingAverage(decay=0.5)
      >>> float(avg(tf.constant(4.0))), float(avg(tf.constant(2.0)))
      (4.0, 3.0)

    Args:
      decay: in ``[0, 1]``: how much of the old average each update keeps.
      local: put the variables in ``LOCAL_VARIABLES`` instead of ``GLOBAL_VARIABLES``.
      name: module name.

    Raises:
      ValueError: ``decay`` is not in ``[0, 1]``.
      TypeError: ``decay`` is not a number.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    def __init__(
        self, decay: float = 0.99, local: bool = False, name: str = "moving_average"
    ) -> None:
        super().__init__(name=name)
        if not isinstance(decay, numbers.Real) or isinstance(decay, bool):
            raise TypeError(
                f"{self.scope_name}: decay must be a float in the [0, 1] range; got "
                f"{type(decay).__name__}: {decay!r}."
            )
        if not 0.0 <= decay <= 1.0:
            raise ValueError(
                f"{self.scope_name}: Decay must be a float in the [0, 1] range, but is {decay}."
            )
        self._decay: float = float(decay)
        collection = (
            tf.compat.v1.GraphKeys.LOCAL_VARIABLES
            if local
            else tf.compat.v1.GraphKeys.GLOBAL_VARIABLES
        )
        _utils.set_untracked(self, _collection=collection, _initialized=None, _moving_average=None)

    @property
    def decay(self) -> float:
        return self._decay

    def _build(self, inputs: Any) -> tf.Tensor:
        """Updates the average with ``inputs`` and returns it.

        Args:
          inputs: a floating-point tensor; its shape must stay the same.

        Returns:
          The updated average (``inputs`` itself on the first update), with
          the gradient of ``inputs``.

        Raises:
          TypeError: ``inputs`` is not floating point.
          IncompatibleShapeError: ``inputs`` has a different shape than the
            first time, or a shape not fully known.
        """
        inputs = tf.convert_to_tensor(inputs)
        where = self.scope_name
        if not inputs.dtype.is_floating:
            raise TypeError(
                f"{where}: expected a floating-point input; got {inputs.dtype.base_dtype.name}."
            )
        if not inputs.shape.is_fully_defined():
            raise snt.IncompatibleShapeError(
                f"{where}: the input's shape must be fully defined (it is the shape of the "
                f"moving_average variable); got {inputs.shape}."
            )
        if self._moving_average is not None and inputs.shape != self._moving_average.shape:
            raise snt.IncompatibleShapeError(
                f"{where}: expected an input of shape {self._moving_average.shape.as_list()} "
                f"(as on the first connection); got {inputs.shape.as_list()}."
            )
        # A fresh tensor: reading a reference variable's value outside the
        # update keeps graph mode from seeing the variable change under it.
        inputs = inputs * tf.ones([], inputs.dtype)
        initialized = snt.get_variable(
            "initialized",
            shape=(),
            dtype=tf.bool,
            initializer=tf.compat.v1.constant_initializer(False),
            trainable=False,
            use_resource=True,
            collections=[self._collection],
        )
        average = snt.get_variable(
            "moving_average",
            shape=inputs.shape,
            dtype=inputs.dtype.base_dtype,
            initializer=tf.compat.v1.zeros_initializer(),
            trainable=False,
            use_resource=True,
            collections=[self._collection],
        )
        _utils.set_untracked(self, _initialized=initialized, _moving_average=average)
        with tf.name_scope("update_moving_average"):
            # The flag is set only once the average is written, and read before
            # the average: a connection that sees it set sees that average.
            seen = initialized.read_value()
            with tf.control_dependencies([seen]):
                old = average.read_value()
            blended = old - (old - inputs) * (1.0 - self._decay)
            new = tf.where(seen, blended, inputs)
            with tf.control_dependencies([new]):
                update = average.assign(new, read_value=False)
            with tf.control_dependencies([op for op in (update,) if op is not None]):
                mark = initialized.assign(True, read_value=False)
            with tf.control_dependencies([op for op in (update, mark) if op is not None]):
                value = tf.identity(new)
        return _pass_through_gradients(inputs, value)

    def reset(self) -> Any:
        """Forgets the average: the next value starts it afresh.

        Returns the op that resets the variables in graph mode (run it), and
        resets them at once eagerly.

        Raises:
          NotConnectedError: the module was never connected.
        """
        self._ensure_is_connected()
        return tf.group(
            self._initialized.assign(False, read_value=False),
            self._moving_average.assign(tf.zeros_like(self._moving_average), read_value=False),
        )
