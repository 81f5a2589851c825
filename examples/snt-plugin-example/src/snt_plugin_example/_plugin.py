"""The entry point snt-core loads: what this distribution adds to ``snt``.

No TensorFlow import at module level: the target is a lazy ``"module:attr"``
reference, imported the first time ``snt.contrib.GatedLinearUnit`` is read.
"""

from __future__ import annotations

from sonnet import hookimpl
from sonnet.plugins import ConformanceCase, Export

EXPORTS = [
    Export(
        "GatedLinearUnit",
        "snt_plugin_example.gated_linear_unit:GatedLinearUnit",
        namespace="contrib",
    ),
]


@hookimpl
def snt_exports() -> list[Export]:
    """``snt.contrib.GatedLinearUnit``."""
    return EXPORTS


@hookimpl
def snt_conformance_cases() -> list[ConformanceCase]:
    """Cases for core's shared conformance suite (sharing, modes, checkpoints)."""
    import tensorflow as tf

    from snt_plugin_example.gated_linear_unit import GatedLinearUnit

    return [
        ConformanceCase(
            "contrib.GatedLinearUnit",
            create=lambda: GatedLinearUnit(3),
            inputs=lambda: (tf.reshape(tf.range(8, dtype=tf.float32) / 8.0, [2, 4]),),
        )
    ]
