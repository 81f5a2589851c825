"""Networks built from the basic modules (``snt.nets.MLP``, ``snt.nets.ConvNet2D``, ...).

Subpackages such as ``transformer`` (``snt.nets.transformer``) are imported on
first access, so importing this package stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Submodules reachable as attributes before they are imported.
_LAZY_SUBMODULES = ("transformer",)


def __getattr__(name: str) -> Any:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
