"""Book-keeping shared by every connection of every module.

A thread-local stack records which modules are being connected right now, so
that

* a module connected inside another one becomes that module's child (for
  ``get_all_variables``, ``variables`` and checkpoint tracking);
* a variable created during a connection is attributed to the innermost module
  being connected;
* observers registered with :func:`observe_connections` hear of every finished
  connection, nested modules first.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

ConnectedSubGraph = collections.namedtuple(
    "ConnectedSubGraph", ("module", "name_scope", "inputs", "outputs")
)
ConnectedSubGraph.__doc__ = """One connection of a module: where and with what it was connected.

Attributes:
  module: the module that was connected.
  name_scope: the name scope the connection's ops were created in.
  inputs: a dict of the arguments of ``__call__`` (positional ones under
    ``"args"``, keywords under their names).
  outputs: what ``_build`` returned.
"""


class _State(threading.local):
    def __init__(self) -> None:
        self.stack: list[Any] = []
        self.observers: list[Callable[[ConnectedSubGraph], None]] = []


_state = _State()


def current_module() -> Any | None:
    """The innermost module being connected in this thread, or None."""
    return _state.stack[-1][0] if _state.stack else None


def current_is_strict() -> bool:
    """Whether the innermost connection may not create variables (a reconnection)."""
    return bool(_state.stack) and _state.stack[-1][1]


@contextlib.contextmanager
def connecting(module: Any, strict: bool = False) -> Iterator[Any | None]:
    """Marks ``module`` as being connected; yields the enclosing module (or None).

    ``strict`` marks a reconnection of ``_build``, during which creating a
    variable is an error.
    """
    parent = current_module()
    _state.stack.append((module, strict))
    try:
        yield parent
    finally:
        _state.stack.pop()


def notify_observers(subgraph: ConnectedSubGraph) -> None:
    for observer in tuple(_state.observers):
        observer(subgraph)


@contextlib.contextmanager
def observe_connections(observer: Callable[[ConnectedSubGraph], None]) -> Iterator[None]:
    """Calls ``observer(subgraph)`` after each module connection inside the block.

    Nested modules finish connecting first, so they are reported before the
    modules that contain them. Applies to the current thread.

    Example:
      >>> seen = []
      >>> with snt.observe_connections(seen.append):
      ...   out = snt.Module(lambda x: x * 2)(tf.ones([1]))
      >>> [s.module.module_name for s in seen]
      ['module']
    """
    _state.observers.append(observer)
    try:
        yield
    finally:
        _state.observers.remove(observer)
