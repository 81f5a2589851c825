"""Trainable initial states: ``trainable_initial_state`` and ``TrainableInitialState``."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

import sonnet as snt


def _per_leaf(what: str, values: Any, state_size: Any, where: str) -> list[Any]:
    """Flattens ``values`` (one callable per state leaf) against ``state_size``."""
    flat_size = tf.nest.flatten(state_size)
    if not values:
        return [None] * len(flat_size)
    try:
        tf.nest.assert_same_structure(values, state_size)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{where}: {what} must have the structure of state_size {state_size!r}; "
            f"got {values!r} ({e})."
        ) from e
    flat = tf.nest.flatten(values)
    bad = [v for v in flat if v is not None and not callable(v)]
    if bad:
        raise ValueError(f"{where}: every entry of {what} must be callable; got {bad!r}.")
    return flat


def _leaf_names(state_size: Any) -> list[str]:
    """Field names for a flat namedtuple state, else indices of the flattened state."""
    count = len(tf.nest.flatten(state_size))
    fields = getattr(state_size, "_fields", None)
    if fields is not None and len(fields) == count:
        return list(fields)
    return [str(i) for i in range(count)]


def create_state_variables(
    state_size: Any,
    dtype: Any,
    initializers: Any,
    regularizers: Any,
    prefix: str,
    reuse: Any = None,
    where: str = "trainable_initial_state",
) -> list[tuple[str, Any]]:
    """Creates one ``<prefix>_<field>/w`` variable ``[1] + size`` per state leaf.

    Returns:
      ``(field, variable)`` pairs in the order of ``tf.nest.flatten(state_size)``.
    """
    flat_size = tf.nest.flatten(state_size)
    flat_init = _per_leaf("initializers", initializers, state_size, where)
    flat_reg = _per_leaf("regularizers", regularizers, state_size, where)
    found = []
    for suffix, size, init, reg in zip(
        _leaf_names(state_size), flat_size, flat_init, flat_reg, strict=True
    ):
        dims = tf.TensorShape(size).as_list()
        scope = f"{prefix}_{suffix}" if prefix else suffix
        with tf.compat.v1.variable_scope(scope, reuse=reuse):
            variable = tf.compat.v1.get_variable(
                "w",
                shape=[1, *dims],
                dtype=dtype,
                initializer=init or tf.compat.v1.zeros_initializer(),
                regularizer=reg,
            )
        found.append((suffix, variable))
    return found


def tile_states(
    batch_size: int | tf.Tensor, state_size: Any, variables: list[tuple[str, Any]]
) -> Any:
    """Tiles each ``[1] + size`` variable to ``[batch_size] + size`` (``state_<field>_tiled``)."""
    states = []
    for suffix, variable in variables:
        multiples = [batch_size] + [1] * (variable.shape.rank - 1)
        states.append(tf.tile(variable, multiples, name=f"state_{suffix}_tiled"))
    return tf.nest.pack_sequence_as(state_size, states)


def trainable_initial_state(
    batch_size: int | tf.Tensor,
    state_size: Any,
    dtype: Any,
    initializers: Any = None,
    regularizers: Any = None,
    name: str | None = None,
) -> Any:
    """Creates a trainable initial state for ``state_size`` in the current variable scope.

    One variable ``<name>_<field>/w`` of shape ``[1] + size`` per state tensor
    (``<field>`` is the namedtuple field of a flat namedtuple ``state_size``,
    else the index in the flattened state), tiled to ``batch_size``. Cores
    usually call this through ``core.initial_state(..., trainable=True)``,
    which also shares the variables across calls.

    Args:
      batch_size: a Python int or an int32 scalar Tensor.
      state_size: nested structure of sizes (``tf.TensorShape`` or ints).
      dtype: the variables' dtype.
      initializers: optional initializers with the structure of ``state_size``
        (default: zeros).
      regularizers: optional regularizers with the structure of ``state_size``.
      name: variable name prefix; default ``"initial_state"``.

    Returns:
      The initial state, with the structure of ``state_size``.

    Raises:
      ValueError: ``initializers``/``regularizers`` do not match ``state_size``
        or are not callable.
    """
    variables = create_state_variables(
        state_size, dtype, initializers, regularizers, name or "initial_state"
    )
    return tile_states(batch_size, state_size, variables)


class TrainableStateVariables(snt.AbstractModule):
    """The variables behind ``core.initial_state(..., trainable=True)``.

    Holds one variable ``<field>/w`` of shape ``[1] + size`` per state tensor;
    a call returns them (``(field, variable)`` pairs, see
    :func:`create_state_variables`), the same ones on every call.

    Args:
      state_size: nested structure of sizes.
      dtype: the variables' dtype.
      initializers: optional initializers with the structure of ``state_size``.
      regularizers: optional regularizers with the structure of ``state_size``.
      name: module name.

    Raises:
      ValueError: ``initializers``/``regularizers`` do not match ``state_size``
        or are not callable.
    """

    def __init__(
        self,
        state_size: Any,
        dtype: Any = tf.float32,
        initializers: Any = None,
        regularizers: Any = None,
        name: str = "initial_state",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        _per_leaf("trainable_initializers", initializers, state_size, where)
        _per_leaf("trainable_regularizers", regularizers, state_size, where)
        for key, value in (
            ("_state_size", state_size),
            ("_dtype", dtype),
            ("_initializers", initializers),
            ("_regularizers", regularizers),
        ):
            object.__setattr__(self, key, value)

    def _build(self) -> list[tuple[str, Any]]:
        """Returns the ``(field, variable)`` pairs."""
        return create_state_variables(
            self._state_size,
            self._dtype,
            self._initializers,
            self._regularizers,
            prefix="",
            where=self.scope_name,
        )


class TrainableInitialState(snt.AbstractModule):
    """Makes (parts of) a given initial state trainable.

    Each tensor of ``initial_state`` (where ``mask`` is True) is replaced by a
    variable ``initial_state_<i>`` (``<i>`` its index in the flattened state)
    initialized from the tensor's first batch entry and tiled back to the batch
    size; the others pass through. All rows of a tensor made trainable must be
    equal.

    Example:
      >>> core = snt.LSTM(4)
      >>> zeros = core.initial_state(batch_size=2)
      >>> learned = snt.TrainableInitialState(zeros)()  # initial_state_0, initial_state_1

    Args:
      initial_state: nested structure of tensors ``[batch, ...]`` with a
        static shape.
      mask: optional structure of booleans like ``initial_state``; False keeps
        that tensor fixed.
      name: module name.

    Raises:
      TypeError: ``mask`` holds something other than booleans; a tensor to
        make trainable is not a numeric or boolean tensor (or convertible to
        one).
      ValueError: ``mask`` does not have the structure of ``initial_state``; a
        tensor to make trainable has rank 0 or an unknown non-batch shape.
      tf.errors.InvalidArgumentError: (when connected, or when the variables
        are initialized) the rows of a tensor made trainable differ.
    """

    def __init__(
        self,
        initial_state: Any,
        mask: Any = None,
        name: str = "trainable_initial_state",
    ) -> None:
        super().__init__(name=name)
        if mask is not None:
            try:
                tf.nest.assert_same_structure(initial_state, mask)
            except (ValueError, TypeError) as e:
                raise ValueError(
                    f"{self.module_name}: mask must have the structure of initial_state; "
                    f"got mask {mask!r} ({e})."
                ) from e
            if not all(isinstance(m, bool) for m in tf.nest.flatten(mask)):
                raise TypeError(
                    f"{self.module_name}: mask must hold Python booleans; got {mask!r}."
                )
        flat_mask = [True] * len(tf.nest.flatten(initial_state))
        if mask is not None:
            flat_mask = tf.nest.flatten(mask)
        for index, (state, learnable) in enumerate(
            zip(tf.nest.flatten(initial_state), flat_mask, strict=True)
        ):
            if learnable:
                self._check_learnable(state, index)
        object.__setattr__(self, "_initial_state", initial_state)
        object.__setattr__(self, "_mask", mask)

    def _check_learnable(self, state: Any, index: int) -> None:
        """A tensor made trainable must be numeric, ``[batch, ...]`` with a static shape."""
        dtype = getattr(state, "dtype", None)
        shape = getattr(state, "shape", None)
        if dtype is None or shape is None:
            try:
                converted = tf.convert_to_tensor(state)
            except (TypeError, ValueError) as e:
                raise TypeError(
                    f"{self.module_name}: initial_state must hold tensors; entry {index} is "
                    f"{type(state).__name__}: {state!r}."
                ) from e
            dtype, shape = converted.dtype, converted.shape
        dtype = tf.as_dtype(dtype)
        if not (dtype.is_floating or dtype.is_integer or dtype.is_complex or dtype == tf.bool):
            raise TypeError(
                f"{self.module_name}: the tensors made trainable must be numeric (or boolean); "
                f"entry {index} of initial_state has dtype {dtype.name}."
            )
        shape = tf.TensorShape(shape)
        if shape.rank is None or shape.rank < 1 or not shape[1:].is_fully_defined():
            raise ValueError(
                f"{self.module_name}: the tensors made trainable must be [batch, ...] with "
                f"a static shape after the batch dimension; entry {index} of initial_state "
                f"has shape {shape}."
            )

    def _build(self) -> Any:
        """Returns the initial state with its masked-in tensors made trainable."""
        flat_state = tf.nest.flatten(self._initial_state)
        flat_mask = [True] * len(flat_state) if self._mask is None else tf.nest.flatten(self._mask)
        out = []
        for i, (state, learnable) in enumerate(zip(flat_state, flat_mask, strict=True)):
            out.append(self._learnable(state, i) if learnable else state)
        return tf.nest.pack_sequence_as(self._initial_state, out)

    def _learnable(self, state: Any, index: int) -> tf.Tensor:
        """Variable ``initial_state_<index>`` from row 0 of ``state``, tiled to its batch.

        Every row of ``state`` must equal row 0 (the variable holds one row):
        ``tf.errors.InvalidArgumentError`` otherwise, as in Sonnet 1, right away
        when the value is known (or eagerly), else when the variable is
        initialized.
        """
        state = tf.convert_to_tensor(state)
        name = f"initial_state_{index}"
        static = tf.get_static_value(state)
        if static is not None:  # a constant initializer also works inside tf.function
            if not (static == static[:1]).all():
                raise tf.errors.InvalidArgumentError(None, None, self._rows_differ(index))
            variable = tf.compat.v1.get_variable(
                name,
                shape=[1, *state.shape[1:]],
                dtype=state.dtype,
                initializer=tf.compat.v1.constant_initializer(static[:1]),
            )
        else:
            first = state[:1]
            check = tf.debugging.assert_equal(
                state, tf.broadcast_to(first, tf.shape(state)), message=self._rows_differ(index)
            )
            with tf.control_dependencies([check]):
                first = tf.identity(first)
            variable = tf.compat.v1.get_variable(name, initializer=first)
        multiples = tf.concat([tf.shape(state)[:1], tf.ones([state.shape.rank - 1], tf.int32)], 0)
        return tf.tile(variable, multiples)

    def _rows_differ(self, index: int) -> str:
        return (
            f"{self.module_name}: every row (batch entry) of initial_state entry {index} must "
            "be the same, since one trainable row replaces them all."
        )
