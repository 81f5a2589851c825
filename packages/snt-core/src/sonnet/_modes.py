"""Which of the three execution modes the caller is in."""

from __future__ import annotations

import tensorflow as tf


def in_v1_graph() -> bool:
    """True when building a ``tf.compat.v1`` graph (not eager, not a tf.function).

    In that mode TensorFlow's own variable-scope reuse and graph collections
    (``REGULARIZATION_LOSSES``, ``TRAINABLE_VARIABLES``, ...) are the source of
    truth. Eagerly and inside ``tf.function`` Sonnet keeps its own records.
    """
    if tf.executing_eagerly():
        return False
    return not getattr(tf.compat.v1.get_default_graph(), "building_function", False)
