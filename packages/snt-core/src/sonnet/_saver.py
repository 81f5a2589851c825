"""The name-based ``Saver`` that ``snt.get_saver`` returns: restores check shapes."""

from __future__ import annotations

from typing import Any

import tensorflow as tf


def _static_shape(variable: Any) -> tf.TensorShape:
    return tf.TensorShape(variable.shape)


class ShapeCheckedSaver(tf.compat.v1.train.Saver):
    """A ``tf.compat.v1.train.Saver`` whose ``restore`` refuses shape mismatches.

    Restoring into resource variables (TensorFlow 2 graphs, ``tf.compat.v1``
    with resource variables enabled) silently gives a variable the
    checkpoint's shape. Reference variables refused that with an
    ``InvalidArgumentError``, which Sonnet 1 code relies on; this saver checks
    every saved shape against the variable's static shape first and raises
    the same class, naming the variable and both shapes.

    >>> import sonnet as snt, tensorflow as tf
    >>> with tf.Graph().as_default():
    ...     scale = snt.Module(lambda x: x * tf.compat.v1.get_variable("s", []), name="scale")
    ...     _ = scale(tf.ones([2]))
    ...     isinstance(snt.get_saver(scale), tf.compat.v1.train.Saver)
    True
    """

    def __init__(self, var_list: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(var_list=var_list, **kwargs)
        self._snt_var_list = dict(var_list)

    def restore(self, sess: Any, save_path: Any) -> Any:
        if save_path is not None:
            self._check_shapes(save_path)
        return super().restore(sess, save_path)

    def _check_shapes(self, save_path: Any) -> None:
        try:
            saved = tf.train.load_checkpoint(save_path).get_variable_to_shape_map()
        except (tf.errors.NotFoundError, tf.errors.DataLossError, ValueError):
            return  # the base class reports a missing or unreadable checkpoint
        for key, variable in self._snt_var_list.items():
            if isinstance(variable, (list, tuple)) or key not in saved:
                continue  # partitioned variables and missing keys: the base class decides
            shape = _static_shape(variable)
            if not shape.is_compatible_with(saved[key]):
                raise tf.errors.InvalidArgumentError(
                    None,
                    None,
                    f"get_saver: cannot restore {key!r} into {variable.name}: the checkpoint "
                    f"holds shape {list(saved[key])}, the variable has shape {shape}.",
                )
