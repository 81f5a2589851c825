"""TrainableVariable: a module whose output is one variable ``w``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils


class TrainableVariable(snt.AbstractModule):
    """Returns the variable ``w`` of a fixed shape (shared across connections).

    Example:
      >>> var = snt.TrainableVariable([2, 3])
      >>> var().shape  # trainable_variable/w
      TensorShape([2, 3])

    Args:
      shape: the variable's shape (non-negative ints).
      dtype: its dtype.
      initializers: dict with key ``"w"`` (default: TensorFlow's default,
        Glorot uniform).
      partitioners: dict with key ``"w"``.
      regularizers: dict with key ``"w"``.
      custom_getter: a custom getter (or dict of them).
      name: module name.

    Raises:
      TypeError: ``shape`` is not a sequence, or ``dtype`` is not a dtype.
      ValueError: ``shape`` holds something other than non-negative ints.
      KeyError: unknown keys in the dicts.
    """

    POSSIBLE_INITIALIZER_KEYS = {"w"}

    def __init__(
        self,
        shape: Sequence[int],
        dtype: Any = tf.float32,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        custom_getter: Any = None,
        name: str = "trainable_variable",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        where = self.scope_name
        if isinstance(shape, str | bytes) or not isinstance(shape, Iterable):
            raise TypeError(
                f"{where}: shape must be a sequence of positive ints; got "
                f"{type(shape).__name__}: {shape!r}."
            )
        shape = tuple(shape)
        if not all(_checks.is_int(d) and d >= 1 for d in shape):  # no empty variable
            raise ValueError(
                f"{where}: shape must be a sequence of positive ints; got {list(shape)}."
            )
        try:
            dtype = tf.as_dtype(dtype)
        except TypeError:
            raise TypeError(f"{where}: dtype must be a TensorFlow dtype; got {dtype!r}.") from None
        keys = self.POSSIBLE_INITIALIZER_KEYS
        self._shape = tuple(int(d) for d in shape)
        self._dtype = dtype
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        _utils.set_untracked(self, _w=None)

    def _build(self) -> tf.Variable:
        """Returns ``w``."""
        w = _utils.get_variable(
            "w",
            self._shape,
            self._dtype,
            self._initializers,
            self._partitioners,
            self._regularizers,
        )
        _utils.set_untracked(self, _w=w)
        return w

    @property
    def w(self) -> tf.Variable:
        """Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._w
