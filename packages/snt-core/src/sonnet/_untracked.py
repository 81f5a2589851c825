"""``snt.set_untracked``: plain attributes on a module, outside ``tf.Module`` tracking."""

from __future__ import annotations

from typing import Any


def set_untracked(obj: Any, **attributes: Any) -> None:
    """Sets attributes on a module without ``tf.Module``'s dependency tracking.

    ``tf.Module`` wraps lists and dicts assigned to a module in tracking
    proxies (slower to read on every call) and records variables and modules
    it finds in attributes as checkpoint dependencies under the attribute's
    name. A module's variables and submodules are tracked by the module system
    already (under their scope names), so caches and configuration that hold
    them, or plain containers read on every call, are better set untracked.

    Example:
      >>> lin = snt.Linear(2)
      >>> snt.set_untracked(lin, _sizes=[1, 2])
      >>> type(lin._sizes).__name__
      'list'
    """
    for key, value in attributes.items():
        object.__setattr__(obj, key, value)
