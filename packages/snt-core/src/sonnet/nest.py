"""``snt.nest``: TensorFlow's ``tf.nest``, plus the names Sonnet 1 code used.

Sonnet 1 shipped its own nest module; here it is ``tf.nest`` with aliases for
the old spellings (``flatten_iterable`` -> ``flatten``, ``pack_iterable_as``
-> ``pack_sequence_as``, ``is_iterable`` -> ``is_nested``, ``map`` ->
``map_structure``).

>>> import sonnet as snt
>>> snt.nest.map(lambda a, b: a + b, (1, [2]), (10, [20]))
(11, [22])
"""

from __future__ import annotations

import tensorflow as tf

assert_same_structure = tf.nest.assert_same_structure
flatten = tf.nest.flatten
is_nested = tf.nest.is_nested
map_structure = tf.nest.map_structure
pack_sequence_as = tf.nest.pack_sequence_as

# Sonnet 1 spellings.
flatten_iterable = flatten
pack_iterable_as = pack_sequence_as
is_iterable = is_nested
is_sequence = is_nested
map = map_structure  # noqa: A001 (Sonnet 1's name, shadowing the builtin in this module only)

__all__ = [
    "assert_same_structure",
    "flatten",
    "is_nested",
    "map_structure",
    "pack_sequence_as",
    "flatten_iterable",
    "pack_iterable_as",
    "is_iterable",
    "is_sequence",
    "map",
]
