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


def tensorflow_problem() -> ImportError | None:
    """Imports TensorFlow; returns ``None``, or an ``ImportError`` saying what to install.

    The error is returned, not raised, so that ``import sonnet`` still gives the
    TensorFlow-free parts (``sonnet.errors``, ``sonnet.plugins``, ``python -m
    sonnet``); ``sonnet`` raises it when anything else is used.
    """
    minimum = ".".join(str(p) for p in MIN_TF_VERSION)
    try:
        import tensorflow as tf
    except ImportError as e:
        error = ImportError(
            f"TensorFlow could not be imported ({type(e).__name__}: {e}). "
            + _INSTALL_HINT.format(minimum=minimum)
        )
        error.__cause__ = e
        return error
    if _parse(tf.__version__) < MIN_TF_VERSION:
        return ImportError(
            f"TensorFlow {tf.__version__} is installed. " + _INSTALL_HINT.format(minimum=minimum)
        )
    return None
