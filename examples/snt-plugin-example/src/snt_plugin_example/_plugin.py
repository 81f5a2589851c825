"""The entry point snt-core loads: what this distribution adds to ``snt``.

No TensorFlow import at module level: the target is a lazy ``"module:attr"``
reference, imported the first time ``snt.contrib.GatedLinearUnit`` is read.
The module is also importable at a Sonnet 1 style path,
``sonnet.python.modules.gated_linear_unit`` (for code written that way).
"""

from __future__ import annotations

from sonnet import hookimpl
from sonnet.plugins import ConformanceCase, Export, LegacyPath

EXPORTS = [
    Export(
        "GatedLinearUnit",
        "snt_plugin_example.gated_linear_unit:GatedLinearUnit",
        namespace="contrib",
    ),
]

#: ``from sonnet.python.modules.gated_linear_unit import GatedLinearUnit`` works too.
LEGACY = [LegacyPath("sonnet.python.modules.gated_linear_unit", "contrib.GatedLinearUnit")]


@hookimpl
def snt_exports() -> list[Export]:
    """``snt.contrib.GatedLinearUnit``."""
    return EXPORTS


@hookimpl
def snt_legacy_paths() -> list[LegacyPath]:
    """``sonnet.python.modules.gated_linear_unit.GatedLinearUnit``."""
    return LEGACY


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
