"""The ``sonnet`` entry point of snt-transpose: the names it adds to ``snt``.

This module must stay light: it imports neither TensorFlow nor the modules it
lists. Targets are ``"module:attr"`` strings, imported on first use. To export a
new module, append a row, e.g.
``Export("Conv2DTranspose", "snt_transpose.conv_transpose:Conv2DTranspose")`` or
``Export("ConvNet2DTranspose", "snt_transpose.convnet:ConvNet2DTranspose", namespace="nets")``,
and its name to the ``LEGACY`` row of its Sonnet 1 file.
"""

from __future__ import annotations

from sonnet import hookimpl
from sonnet.plugins import ConformanceCase, Export, LegacyPath

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

_V1 = "sonnet.python.modules"

#: Sonnet 1's import paths of these names; conv.py and nets/ are shared with snt-nets.
LEGACY: list[LegacyPath] = [
    LegacyPath(f"{_V1}.conv", "Conv1DTranspose Conv2DTranspose Conv3DTranspose"),
    LegacyPath(f"{_V1}.nets", "nets.ConvNet2DTranspose"),
    LegacyPath(f"{_V1}.nets.convnet", "nets.ConvNet2DTranspose"),
]


@hookimpl
def snt_exports() -> list[Export]:
    """Returns snt-transpose's exports (see ``EXPORTS``)."""
    return EXPORTS


@hookimpl
def snt_legacy_paths() -> list[LegacyPath]:
    """Returns where Sonnet 1 code imports these names from (see ``LEGACY``)."""
    return LEGACY


@hookimpl
def snt_conformance_cases() -> list[ConformanceCase]:
    """Hands snt-transpose's modules to core's conformance suite (imports TensorFlow)."""
    from snt_transpose import _conformance

    return _conformance.cases()
