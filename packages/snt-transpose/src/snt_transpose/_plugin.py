"""The ``sonnet`` entry point of snt-transpose: the names it adds to ``snt``.

This module must stay light: it imports neither TensorFlow nor the modules it
lists. Targets are ``"module:attr"`` strings, imported on first use. To export a
new module, append a row, e.g.
``Export("Conv2DTranspose", "snt_transpose.conv_transpose:Conv2DTranspose")`` or
``Export("ConvNet2DTranspose", "snt_transpose.convnet:ConvNet2DTranspose", namespace="nets")``.
"""

from __future__ import annotations

from sonnet import hookimpl
from sonnet.plugins import ConformanceCase, Export

EXPORTS: list[Export] = [
    Export("Conv1DTranspose", "snt_transpose.conv_transpose:Conv1DTranspose", kind="module"),
    Export("Conv2DTranspose", "snt_transpose.conv_transpose:Conv2DTranspose", kind="module"),
    Export("Conv3DTranspose", "snt_transpose.conv_transpose:Conv3DTranspose", kind="module"),
    Export(
        "ConvNet2DTranspose",
        "snt_transpose.convnet_transpose:ConvNet2DTranspose",
        kind="module",
        namespace="nets",
    ),
]


@hookimpl
def snt_exports() -> list[Export]:
    """Returns snt-transpose's exports (see ``EXPORTS``)."""
    return EXPORTS


@hookimpl
def snt_conformance_cases() -> list[ConformanceCase]:
    """Hands snt-transpose's modules to core's conformance suite (imports TensorFlow)."""
    from snt_transpose import _conformance

    return _conformance.cases()
