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


# Each stack entry is (module, strict, fast): ``strict`` marks a reconnection
# of ``_build`` (creating a variable is then an error); ``fast`` marks an eager
# call that runs ``_build`` outside the module's template (see
# AbstractModule._snt_fast_call), where variables come from the module's cache.


def current_entry() -> tuple[Any, bool, bool] | None:
    """The innermost ``(module, strict, fast)`` connection entry, or None."""
    stack = _state.stack
    return stack[-1] if stack else None


def current_module() -> Any | None:
    """The innermost module being connected in this thread, or None."""
    return _state.stack[-1][0] if _state.stack else None


def current_is_strict() -> bool:
    """Whether the innermost connection may not create variables (a reconnection)."""
    return bool(_state.stack) and _state.stack[-1][1]


def has_observers() -> bool:
    return bool(_state.observers)


def thread_stack() -> list[tuple[Any, bool, bool]]:
    """This thread's stack of connection entries (the fast path pushes and pops directly)."""
    return _state.stack


@contextlib.contextmanager
def connecting(module: Any, strict: bool = False) -> Iterator[tuple[Any | None, bool]]:
    """Marks ``module`` as being connected.

    Yields ``(parent, parent_is_fast)``: the enclosing module (or None) and
    whether that enclosing connection is an eager fast-path call.
    """
    entry = current_entry()
    _state.stack.append((module, strict, False))
    try:
        yield (None, False) if entry is None else (entry[0], entry[2])
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
