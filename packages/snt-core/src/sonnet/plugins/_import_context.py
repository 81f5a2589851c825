"""Keeps our hint when a miss happens in ``from sonnet import Name``.

CPython turns an ``AttributeError`` raised by a module ``__getattr__`` during
``from m import x`` into a generic ``ImportError("cannot import name ...")``,
dropping the message. When the caller is executing ``IMPORT_FROM``, the
registry raises an ``ImportError`` carrying the hint itself.
"""

from __future__ import annotations

import dis
import types

__all__ = ["is_import_from"]


def is_import_from(frame: types.FrameType | None) -> bool:
    """Whether ``frame`` is executing an ``IMPORT_FROM`` instruction (best effort)."""
    if frame is None:
        return False
    try:
        for instruction in dis.get_instructions(frame.f_code):
            if instruction.offset == frame.f_lasti:
                return instruction.opname == "IMPORT_FROM"
    except Exception:  # pragma: no cover - introspection is best effort
        return False
    return False
