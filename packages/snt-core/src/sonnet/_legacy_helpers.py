"""Sonnet 1 internals that client code and Sonnet 1's own tests read.

They are reachable only at their Sonnet 1 paths (``sonnet.python.modules.util.
_num_bytes_to_human_readable``, ...; see :data:`sonnet.python.LEGACY`), not as
``snt.<name>``. No TensorFlow needed.
"""

from __future__ import annotations

__all__ = ["is_scope_prefix", "num_bytes_to_human_readable"]


def num_bytes_to_human_readable(num_bytes: int) -> str:
    """``"512 B"``, ``"1.500 KB"``, ``"2.000 MB"`` or ``"3.250 GB"`` (powers of 1024).

    >>> num_bytes_to_human_readable(1536)
    '1.500 KB'
    """
    for power, unit in ((3, "GB"), (2, "MB"), (1, "KB")):
        if num_bytes >= 1024**power:
            return f"{num_bytes / 1024**power:.3f} {unit}"
    return f"{int(num_bytes)} B"


def is_scope_prefix(scope_name: str, prefix_name: str) -> bool:
    """Whether ``prefix_name`` is a whole-component prefix of the scope ``scope_name``.

    >>> is_scope_prefix("a/b/c", "a/b"), is_scope_prefix("ab/c", "a")
    (True, False)
    """
    if not prefix_name:
        return True
    return (scope_name.rstrip("/") + "/").startswith(prefix_name.rstrip("/") + "/")
