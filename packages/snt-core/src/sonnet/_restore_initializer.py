"""``snt.restore_initializer``: initialize a variable from a checkpoint file.

Reads one tensor from a name-based checkpoint (as written by
``tf.compat.v1.train.Saver``) with the ``RestoreV2`` op, so it works in graph
mode, eagerly and in ``tf.function``, and with partitioned variables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

__all__ = ["RestoreInitializer", "restore_initializer"]


class RestoreInitializer:
    """An initializer whose value is a tensor read from a checkpoint.

    See :func:`restore_initializer` for how the checkpoint key is chosen.
    """

    def __init__(
        self, filename: Any, var_name: str, scope: str | Callable[[str], str] | None = None
    ) -> None:
        if not isinstance(var_name, str) or not var_name:
            raise TypeError(
                f"restore_initializer: var_name must be a non-empty string, got {var_name!r}."
            )
        if scope is not None and not (isinstance(scope, str) or callable(scope)):
            raise TypeError(
                "restore_initializer: scope must be None, a string or a callable, got "
                f"{type(scope).__name__}."
            )
        self._filename = filename
        self._var_name = var_name
        self._scope = scope

    def checkpoint_key(self) -> str:
        """The checkpoint key to read, from the variable scope current now."""
        scope = self._scope
        if scope is None:
            scope = tf.compat.v1.get_variable_scope().name
        elif callable(scope):
            scope = scope(tf.compat.v1.get_variable_scope().name)
        return f"{scope}/{self._var_name}" if scope else self._var_name

    def __call__(self, shape: Any, dtype: Any = tf.float32, partition_info: Any = None) -> Any:
        dtype = tf.as_dtype(dtype or tf.float32).base_dtype
        slice_spec = ""
        if partition_info is not None:
            full = [int(d) for d in partition_info.full_shape]
            offsets = [int(o) for o in partition_info.var_offset]
            sizes = [int(s) for s in tf.TensorShape(shape).as_list()]
            slice_spec = " ".join(str(d) for d in full) + " "
            slice_spec += ":".join(f"{o},{s}" for o, s in zip(offsets, sizes, strict=True))
        (value,) = tf.raw_ops.RestoreV2(
            prefix=self._filename,
            tensor_names=[self.checkpoint_key()],
            shape_and_slices=[slice_spec],
            dtypes=[dtype],
        )
        return tf.ensure_shape(value, shape)

    def get_config(self) -> dict[str, Any]:
        return {"filename": self._filename, "var_name": self._var_name, "scope": self._scope}


def restore_initializer(
    filename: Any, var_name: str, scope: str | Callable[[str], str] | None = None
) -> RestoreInitializer:
    """An initializer that reads a variable's value from a checkpoint.

    The key read is ``scope + "/" + var_name`` (just ``var_name`` when the
    scope is empty), where the scope is the variable scope current when the
    initializer runs (``scope=None``), ``scope(current_scope_name)`` when
    ``scope`` is callable, or ``scope`` itself when it is a string.

    Example:
      >>> import sonnet as snt
      >>> init = {"w": snt.restore_initializer("/tmp/model.ckpt", "w")}
      >>> # snt.Linear(10, initializers=init) reads "linear/w" from the checkpoint.

    Args:
      filename: Prefix of a name-based checkpoint (``Saver.save``'s return value).
      var_name: Name of the variable in the checkpoint, relative to ``scope``.
      scope: See above.

    Returns:
      A callable ``(shape, dtype=None, partition_info=None)`` usable as any
      ``initializers`` entry or ``get_variable`` initializer.

    Raises:
      TypeError: ``var_name`` is not a non-empty string, or ``scope`` is neither
        ``None``, a string nor a callable.
    """
    return RestoreInitializer(filename, var_name, scope)
