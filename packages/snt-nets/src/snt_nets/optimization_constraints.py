"""Constrained optimization with Lagrange multipliers trained by the same optimizer.

``OptimizationConstraints`` collects inequality constraints and
``get_lagrange_multiplier`` makes the multipliers, following Rezende & Viola,
"Taming VAEs" (https://arxiv.org/abs/1810.00597). A multiplier is
``softplus(w) ** 2`` of a trainable variable ``w`` whose gradient is negated
(and scaled by ``rate``), so minimizing ``loss + multiplier * constraint``
with one optimizer descends on the model and ascends on the multiplier.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt
from snt_nets.trainable_variable import TrainableVariable

__all__ = ["LAGRANGE_MULTIPLIERS", "OptimizationConstraints", "get_lagrange_multiplier"]

#: The graph collection that receives every multiplier's variable (graph mode).
LAGRANGE_MULTIPLIERS = "Lagrange Multipliers"
_GEQ_OPS = ("Greater", "GreaterEqual")
_LEQ_OPS = ("Less", "LessEqual")


def _squared_softplus(x: tf.Tensor) -> tf.Tensor:
    return tf.square(tf.nn.softplus(x))


def _inv_squared_softplus(y: tf.Tensor) -> tf.Tensor:
    """The ``x`` with ``softplus(x) ** 2 == y`` (``y > 0``)."""
    z = tf.sqrt(y)
    return z + tf.math.log(-tf.math.expm1(-z))  # log(exp(z) - 1), stable for large z


def _parametrize(x: Any, rate: Any = 1.0) -> tf.Tensor:
    """The multiplier ``softplus(x) ** 2``, with its gradient multiplied by ``-rate``."""
    return snt.scale_gradient(_squared_softplus(x), -rate)


def _constrain_to_range(
    x: Any, min_value: Any, max_value: Any, name: str = "constrain_to_range"
) -> tf.Tensor:
    """``x`` clipped to ``[min_value, max_value]``, with gradients that can bring it back.

    The gradient passes unchanged except where following it with gradient
    ascent would push a value already outside the range further out (below
    ``min_value`` with a negative gradient, above ``max_value`` with a
    positive one): there it is zero.

    Raises:
      ValueError: ``x`` is not floating point.
    """
    x = tf.convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(
            f"{name}: _clip_by_value does not support non-float `x` inputs; got "
            f"{x.dtype.base_dtype.name}."
        )
    with tf.name_scope(name):
        dtype = x.dtype.base_dtype
        low = tf.convert_to_tensor(min_value, dtype=dtype)
        high = tf.convert_to_tensor(max_value, dtype=dtype)

        @tf.custom_gradient
        def clip(value: tf.Tensor) -> Any:
            def grad(upstream: tf.Tensor) -> tf.Tensor:
                outward = tf.logical_or(
                    tf.logical_and(value < low, upstream < 0),
                    tf.logical_and(value > high, upstream > 0),
                )
                return tf.where(outward, tf.zeros_like(upstream), upstream)

            return tf.clip_by_value(value, low, high), grad

        output = clip(x)
    output.set_shape(x.shape)
    return output


class _LagrangeMultiplierInitializer:
    """Initial values ``y`` given as ``w = inverse squared softplus(y)``."""

    def __init__(self, initializer: Any) -> None:
        self._initializer = initializer
        try:
            parameters = inspect.signature(initializer).parameters.values()
        except (TypeError, ValueError):
            parameters = ()
        # TF1-style initializers take partition_info; TF2 ones refuse it.
        self._takes_partition_info = any(p.name == "partition_info" for p in parameters)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> tf.Tensor:
        dtype = tf.float32 if dtype is None else tf.as_dtype(dtype)
        if self._takes_partition_info:
            values = self._initializer(shape, dtype=dtype, partition_info=partition_info)
        else:
            values = self._initializer(shape, dtype=dtype)
        return _inv_squared_softplus(tf.cast(values, dtype))


def get_lagrange_multiplier(
    shape: Sequence[int] = (),
    rate: float = 1.0,
    initializer: Any = 1.0,
    maximize: bool = True,
    valid_range: Sequence[float] | None = None,
    name: str = "lagrange_multiplier",
) -> tf.Tensor:
    """A Lagrange multiplier (>= 0) that a single minimizing optimizer will maximize.

    Creates a ``snt.TrainableVariable`` named ``name`` (variable
    ``<name>/w``, added to the ``LAGRANGE_MULTIPLIERS`` collection in graph
    mode) and returns ``softplus(w) ** 2``, whose gradient is multiplied by
    ``-rate``: add ``tf.reduce_sum(multiplier * constraint)`` to the loss and
    minimizing it maximizes over the multiplier. Inside a module's
    ``_build`` (``snt.Module``) the variable is shared across connections,
    which is how to use it eagerly or in ``tf.function``.

    Example:
      >>> lam = snt.get_lagrange_multiplier(initializer=2.0)
      >>> round(float(lam), 4)
      2.0

    Args:
      shape: the multiplier's shape (the constraint's).
      rate: scales the multiplier's gradient (no effect with optimizers such
        as Adam that normalize gradients).
      initializer: the multiplier's initial value: a number, array or list
        (must be > 0), or an initializer; None means 1.0.
      maximize: False returns ``-multiplier``.
      valid_range: optional ``(min, max)``: the multiplier is clipped to it
        (gradients that would push it further out are zeroed).
      name: the name of the ``TrainableVariable`` module.

    Returns:
      A tensor of ``shape``.

    Raises:
      ValueError: ``valid_range`` is not a pair.
      TypeError: ``initializer`` is neither a value nor callable.
    """
    if initializer is None:
        initializer = 1.0
    if isinstance(initializer, numbers.Number | np.ndarray | list | tuple):
        initializer = tf.compat.v1.constant_initializer(initializer)
    if not callable(initializer):
        raise TypeError(
            f"{name}: initializer must be a number, an array or an initializer; got "
            f"{type(initializer).__name__}: {initializer!r}."
        )
    if valid_range is not None and len(valid_range) != 2:
        raise ValueError(f"{name}: valid_range must be (min, max); got {valid_range!r}.")
    shape = tuple(tf.TensorShape(shape).as_list())
    variable = TrainableVariable(
        shape=shape, initializers={"w": _LagrangeMultiplierInitializer(initializer)}, name=name
    )()
    if not tf.executing_eagerly():
        tf.compat.v1.add_to_collection(LAGRANGE_MULTIPLIERS, variable)
    multiplier = _parametrize(variable, rate=rate)
    multiplier.set_shape(shape)
    if valid_range:
        multiplier = _constrain_to_range(multiplier, *valid_range)
    return multiplier if maximize else -multiplier


class OptimizationConstraints:
    """Inequality constraints, each with a Lagrange multiplier, summed into a penalty.

    Add constraints with :meth:`add` (``x < y``, ``x >= y``; graph tensors),
    :meth:`add_leq` or :meth:`add_geq`; each gets a multiplier from
    :func:`get_lagrange_multiplier`. Calling the container returns the
    penalty ``sum(multiplier * (lhs - rhs))`` (for ``lhs <= rhs``) to add to
    the loss; after that no constraint can be added. One optimizer then
    minimizes over the model and maximizes over the multipliers.

    Example:
      >>> x = tf.constant(0.25)
      >>> constraints = snt.OptimizationConstraints().add_geq(x, 0.5)
      >>> float(constraints())  # multiplier 1.0 * (0.5 - 0.25)
      0.25

    Args:
      rate: the default ``rate`` of the multipliers.
      valid_range: the default ``valid_range`` of the multipliers.
    """

    def __init__(self, rate: float = 1.0, valid_range: Sequence[float] | None = None) -> None:
        self._constraints: list[tf.Tensor] = []
        self._lagrange_multipliers: list[tf.Tensor] = []
        self._valid_ranges: list[Any] = []
        self._rate = rate
        self._valid_range = valid_range
        self._penalty: tf.Tensor | None = None

    @property
    def constraints(self) -> list[tf.Tensor]:
        """The constraint values ``lhs - rhs`` (each must become <= 0)."""
        return self._constraints

    @property
    def lagrange_multipliers(self) -> list[tf.Tensor]:
        """One multiplier per constraint."""
        return self._lagrange_multipliers

    def add(
        self,
        expression: tf.Tensor,
        rate: float | None = None,
        valid_range: Sequence[float] | None = None,
        initializer: Any = None,
    ) -> OptimizationConstraints:
        """Adds the constraint written as a comparison, e.g. ``add(error < threshold)``.

        The comparison's op tells the direction: ``Less``/``LessEqual`` or
        ``Greater``/``GreaterEqual`` (the strict and non-strict forms are the
        same constraint). Eager tensors do not keep their op: use
        :meth:`add_leq`/:meth:`add_geq` there.

        Args:
          expression: the result of ``<``, ``<=``, ``>`` or ``>=`` on tensors.
          rate: overrides the container's ``rate``.
          valid_range: overrides the container's ``valid_range``.
          initializer: the multiplier's initial value or initializer (default 1.0).

        Returns:
          This container.

        Raises:
          ValueError: the container was already called.
          TypeError: ``expression`` is not such a comparison, or is eager.
        """
        self._assert_is_not_connected()
        if tf.executing_eagerly() or not hasattr(expression, "op"):
            raise TypeError(
                "OptimizationConstraints.add reads the comparison op of a graph tensor; got "
                f"{type(expression).__name__}. Eagerly, use add_leq(lhs, rhs) or add_geq(lhs, rhs)."
            )
        op = expression.op
        if op.type in _GEQ_OPS:
            adder = self.add_geq
        elif op.type in _LEQ_OPS:
            adder = self.add_leq
        else:
            raise TypeError(
                "OptimizationConstraints: add currently only supports parsing of the following "
                f"ops: {_GEQ_OPS + _LEQ_OPS}; got {op.type!r}."
            )
        adder(
            op.inputs[0], op.inputs[1], rate=rate, valid_range=valid_range, initializer=initializer
        )
        return self

    def add_leq(
        self,
        lhs: Any,
        rhs: Any = 0.0,
        rate: float | None = None,
        valid_range: Sequence[float] | None = None,
        initializer: Any = None,
    ) -> OptimizationConstraints:
        """Adds the constraint ``lhs <= rhs``.

        Args:
          lhs: left-hand side.
          rhs: right-hand side (default 0).
          rate: overrides the container's ``rate``.
          valid_range: overrides the container's ``valid_range``.
          initializer: the multiplier's initial value or initializer (default 1.0).

        Returns:
          This container.

        Raises:
          ValueError: the container was already called.
        """
        self._assert_is_not_connected()
        constraint = tf.convert_to_tensor(lhs) - rhs
        valid_range = valid_range or self._valid_range
        multiplier = get_lagrange_multiplier(
            shape=constraint.shape,
            rate=self._rate if rate is None else rate,
            initializer=initializer,
            valid_range=valid_range,
        )
        self._constraints.append(constraint)
        self._valid_ranges.append(valid_range)
        self._lagrange_multipliers.append(multiplier)
        return self

    def add_geq(
        self,
        lhs: Any,
        rhs: Any = 0.0,
        rate: float | None = None,
        valid_range: Sequence[float] | None = None,
        initializer: Any = None,
    ) -> OptimizationConstraints:
        """Adds the constraint ``lhs >= rhs`` (as ``rhs - lhs <= 0``); see :meth:`add_leq`."""
        self._assert_is_not_connected()
        return self.add_leq(
            rhs - tf.convert_to_tensor(lhs),
            rate=rate,
            valid_range=valid_range,
            initializer=initializer,
        )

    def __call__(self) -> tf.Tensor:
        """The penalty ``sum(multiplier * constraint)`` (the same tensor on every call)."""
        if self._penalty is None:
            penalty = tf.zeros(())
            for multiplier, constraint in zip(
                self._lagrange_multipliers, self._constraints, strict=True
            ):
                penalty += tf.reduce_sum(multiplier * constraint)
            self._penalty = penalty
        return self._penalty

    @property
    def _is_connected(self) -> bool:
        return self._penalty is not None

    def _assert_is_not_connected(self) -> None:
        if self._is_connected:
            raise ValueError(
                "OptimizationConstraints: Cannot add further constraints once "
                "OptimizationConstraints has been connected to the graph by calling it."
            )
