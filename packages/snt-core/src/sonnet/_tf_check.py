"""Checks, at ``import sonnet`` time, that a supported TensorFlow is importable."""

from __future__ import annotations

MIN_TF_VERSION = (2, 16)

_INSTALL_HINT = (
    "Sonnet needs TensorFlow {minimum} or newer, which it does not install for you. "
    "Install one of: `pip install 'snt-core[tensorflow]'` (or `pip install tensorflow`), "
    "`pip install 'snt-core[tensorflow-cpu]'` (or `pip install tensorflow-cpu`)."
)


def _parse(version: str) -> tuple[int, int]:
    parts = version.split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return (0, 0)


def import_tensorflow():
    """Imports and returns TensorFlow, or raises ImportError saying what to install."""
    minimum = ".".join(str(p) for p in MIN_TF_VERSION)
    try:
        import tensorflow as tf
    except ImportError as e:
        raise ImportError(
            "TensorFlow could not be imported. " + _INSTALL_HINT.format(minimum=minimum)
        ) from e
    if _parse(tf.__version__) < MIN_TF_VERSION:
        raise ImportError(
            f"TensorFlow {tf.__version__} is installed. " + _INSTALL_HINT.format(minimum=minimum)
        )
    return tf
