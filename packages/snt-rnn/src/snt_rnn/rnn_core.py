"""RNNCore: the base class of recurrent cores (one time step of an RNN).

A core is a Sonnet module whose ``_build(inputs, prev_state)`` returns
``(output, next_state)`` and which describes its state and output with the
``state_size`` and ``output_size`` properties (nested structures of
``tf.TensorShape`` without the batch dimension). That is the interface
``tf.compat.v1.nn.dynamic_rnn``, ``static_rnn`` and
``bidirectional_dynamic_rnn`` expect of a cell, so any core drives them
directly; ``snt.static_unroll`` and ``snt.dynamic_unroll`` do the same without
the compat APIs.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import tensorflow as tf

import sonnet as snt
from snt_rnn.trainable_initial_state import TrainableStateVariables, tile_states

BatchSize: TypeAlias = int | tf.Tensor


def check_batch_size(batch_size: Any, where: str) -> BatchSize:
    """Returns ``batch_size`` as a Python int or an integer scalar tensor, or raises TypeError.

    A known ``tf.compat.v1.Dimension`` (what TF1-style ``inputs.get_shape()[0]``
    gives under TF1 shape behaviour) becomes its int value.
    """
    if isinstance(batch_size, tf.compat.v1.Dimension):
        batch_size = tf.compat.dimension_value(batch_size)
    if isinstance(batch_size, bool):
        ok = False
    elif isinstance(batch_size, int):
        ok = True
    else:
        dtype = getattr(batch_size, "dtype", None)
        ok = dtype is not None and tf.as_dtype(dtype).is_integer
    if not ok:
        raise TypeError(
            f"{where}: batch_size must be a Python int or an integer scalar Tensor; "
            f"got {type(batch_size).__name__}: {batch_size!r}."
        )
    return batch_size


def zeros_for(state_size: Any, batch_size: BatchSize, dtype: Any) -> Any:
    """Zeros of shape ``[batch_size] + size`` for each size of a nested ``state_size``."""

    def zeros(size: Any) -> tf.Tensor:
        dims = tf.TensorShape(size).as_list()
        return tf.zeros([batch_size, *dims], dtype=dtype)

    return tf.nest.map_structure(zeros, state_size)


class RNNCore(snt.AbstractModule):
    """Base class for recurrent cores: ``(inputs, prev_state) -> (output, next_state)``.

    Subclasses implement ``_build(inputs, prev_state)`` and the ``state_size``
    and ``output_size`` properties. A core can be called step by step, or
    unrolled by ``tf.compat.v1.nn.dynamic_rnn``/``static_rnn`` or by
    :func:`snt.dynamic_unroll`/:func:`snt.static_unroll`; every step shares the
    core's variables.

    Example:
      >>> class Add1RNN(snt.RNNCore):
      ...   def __init__(self, hidden_size, name="add1_rnn"):
      ...     super().__init__(name=name)
      ...     self._hidden_size = hidden_size
      ...   def _build(self, inputs, state):
      ...     s1, s2 = state
      ...     return tf.zeros_like(s1), (s1 + 1, s2 + 1)
      ...   @property
      ...   def state_size(self):
      ...     return (tf.TensorShape([self._hidden_size]),) * 2
      ...   @property
      ...   def output_size(self):
      ...     return tf.TensorShape([self._hidden_size])
      >>> core = Add1RNN(3)
      >>> state = core.initial_state(batch_size=2)
      >>> output, state = core(tf.ones([2, 1]), state)
    """

    @property
    def state_size(self) -> Any:
        """The state's size without the batch dimension: nested ``tf.TensorShape``s."""
        raise NotImplementedError(
            f"{type(self).__name__} ({self.module_name}): RNNCore subclasses must define the "
            "state_size property."
        )

    @property
    def output_size(self) -> Any:
        """The output's size without the batch dimension: nested ``tf.TensorShape``s."""
        raise NotImplementedError(
            f"{type(self).__name__} ({self.module_name}): RNNCore subclasses must define the "
            "output_size property."
        )

    def zero_state(self, batch_size: BatchSize, dtype: Any = tf.float32) -> Any:
        """A state of zeros with the structure of ``state_size``.

        Args:
          batch_size: a Python int, a known ``tf.compat.v1.Dimension`` or an
            int32 scalar Tensor.
          dtype: the state's dtype.

        Returns:
          A nested structure of tensors ``[batch_size] + size``.

        Raises:
          TypeError: ``batch_size`` is neither an int nor an integer tensor.
        """
        batch_size = check_batch_size(batch_size, f"{self.module_name}.zero_state")
        with tf.name_scope(f"{self.module_name}_zero_state"):
            return zeros_for(self.state_size, batch_size, dtype)

    def initial_state(
        self,
        batch_size: BatchSize,
        dtype: Any = tf.float32,
        trainable: bool = False,
        trainable_initializers: Any = None,
        trainable_regularizers: Any = None,
        name: str | None = None,
        **unused_kwargs: Any,
    ) -> Any:
        """The state to start unrolling from: zeros, or trainable variables.

        With ``trainable=True`` each state tensor comes from a variable of
        shape ``[1] + size`` (tiled to the batch), created inside the core's
        variable scope as ``<core>/<name>/<field>/w`` (``<field>`` is the
        namedtuple field, or the index in the flattened state). Later calls
        with the same ``name`` and dtype reuse those variables, in graph mode,
        eagerly and inside ``tf.function``; they are part of the core's
        ``trainable_variables``. The ops are made in the name scope ``name``
        (default ``<scope_name>_initial_state``), e.g. the tensors
        ``lstm_initial_state/state_hidden_tiled``, as in Sonnet 1.

        Args:
          batch_size: a Python int or an int32 scalar Tensor.
          dtype: the state's dtype.
          trainable: whether the initial state is trainable.
          trainable_initializers: initializers for the trainable state, with
            the structure of ``state_size`` (default: zeros).
          trainable_regularizers: regularizers with the structure of
            ``state_size`` (default: none).
          name: name scope of the ops; also names the trainable variables'
            scope inside the core (default ``"initial_state"``).
          **unused_kwargs: accepted and ignored, as in Sonnet 1.

        Returns:
          A nested structure of tensors ``[batch_size] + size``.

        Raises:
          TypeError: ``batch_size`` is neither an int nor an integer tensor.
          ValueError: ``trainable_initializers``/``trainable_regularizers`` do
            not match the structure of ``state_size``, or hold non-callables.
        """
        del unused_kwargs
        with tf.compat.v1.name_scope(self._initial_state_scope(name)):
            if not trainable:
                return self.zero_state(batch_size, dtype)
            return self._trainable_initial_state(
                batch_size,
                dtype,
                self.state_size,
                trainable_initializers,
                trainable_regularizers,
                name,
            )

    def _initial_state_scope(self, name: str | None) -> str:
        """Name scope of the :meth:`initial_state` ops: ``name`` or ``<scope>_initial_state``."""
        return name if name else f"{self.scope_name}_initial_state"

    def _trainable_initial_state(
        self,
        batch_size: BatchSize,
        dtype: Any,
        state_size: Any,
        trainable_initializers: Any,
        trainable_regularizers: Any,
        name: str | None,
    ) -> Any:
        """Trainable state tensors with the structure of ``state_size`` (shared variables).

        The variables are created once per ``(name, dtype)`` in the core's
        scope (see :meth:`initial_state`); subclasses whose state has a
        non-trainable part pass the trainable part's ``state_size``.
        """
        batch_size = check_batch_size(batch_size, f"{self.module_name}.initial_state")
        dtype = tf.as_dtype(dtype)
        modules = self.__dict__.get("_initial_state_modules")
        if modules is None:
            self._initial_state_modules: dict[str, Any] = {}
            modules = self._initial_state_modules
        key = f"{name or 'initial_state'}:{dtype.name}"
        module = modules.get(key)
        if module is None:
            # init_scope: built outside any tf.function being traced, so the
            # module (like the core) also works eagerly afterwards.
            with tf.init_scope(), self._enter_variable_scope():
                module = TrainableStateVariables(
                    state_size,
                    dtype,
                    trainable_initializers,
                    trainable_regularizers,
                    name=name or "initial_state",
                )
            modules[key] = module
        return tile_states(batch_size, state_size, module())

    @property
    def variables(self) -> tuple[tf.Variable, ...]:
        """The core's variables, including those of its trainable initial states."""
        found = list(super().variables)
        for module in (self.__dict__.get("_initial_state_modules") or {}).values():
            if module.is_connected:
                found.extend(v for v in module.variables if all(v is not f for f in found))
        return tuple(sorted(found, key=lambda v: v.name))
