"""Connection frames: which modules are being connected right now, in this thread.

Every connection of every module (``__call__``, and ``@snt.reuse_variables``
methods) pushes one :class:`Frame` with :func:`enter` and pops it with
:func:`leave` (``AbstractModule._snt_connect`` inlines both). That one
place is where

* a module connected inside another one becomes that module's child (for
  ``get_all_variables``, ``variables`` and checkpoint tracking), whether or not
  the child was connected before and whichever way it runs (template or replay);
* a variable created during a connection is attributed to the innermost module
  being connected (see :func:`attribute_new_variable`);
* observers registered with :func:`observe_connections` hear of every finished
  connection, nested modules first.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sonnet._abstract_module import AbstractModule
    from sonnet._replay import VariableReplay

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


class Frame:
    """One connection in progress.

    Attributes:
      module: the module being connected.
      parent: the module whose connection encloses this one, or None.
      replay: the module's :class:`~sonnet._replay.VariableReplay` when this
        connection replays recorded variables instead of entering the
        module's template; None on the template path.
      strict: creating a variable is an error (a reconnection of ``_build``).
      attributing: a variable creator attributing new variables to modules is
        active for this frame (installed by it or by an enclosing frame).
    """

    __slots__ = ("module", "parent", "replay", "strict", "attributing")

    def __init__(
        self,
        module: AbstractModule,
        parent: Frame | None,
        replay: VariableReplay | None,
        strict: bool,
    ) -> None:
        self.module = module
        self.parent = parent
        self.replay = replay
        self.strict = strict
        self.attributing: bool = parent is not None and parent.attributing


class _ThreadState(threading.local):
    def __init__(self) -> None:
        self.stack: list[Frame] = []
        self.observers: list[Callable[[ConnectedSubGraph], None]] = []


_local = _ThreadState()
#: This thread's frame stack and observers; ``AbstractModule._snt_connect``
#: does what :func:`enter` and :func:`leave` do inline (it runs on every call).
local = _local


def enter(module: AbstractModule, replay: VariableReplay | None, strict: bool) -> Frame:
    """Pushes the frame of a connection of ``module``; the parent adopts the module."""
    stack = _local.stack
    parent = stack[-1] if stack else None
    if parent is not None:
        adopter = parent.module
        # Known children (the common case: every call after the first) cost one
        # set look-up; a child's id cannot be reused while the parent holds it.
        if adopter is not module and id(module) not in adopter._snt_state.child_ids:
            adopter._snt_adopt_child(module)
    frame = Frame(module, parent, replay, strict)
    stack.append(frame)
    return frame


def leave(frame: Frame) -> None:
    """Pops ``frame`` (the innermost one)."""
    popped = _local.stack.pop()
    assert popped is frame, "connection frames must be popped in order"


def current() -> Frame | None:
    """The innermost connection in progress in this thread, or None."""
    stack = _local.stack
    return stack[-1] if stack else None


def current_module() -> Any | None:
    """The innermost module being connected in this thread, or None."""
    stack = _local.stack
    return stack[-1].module if stack else None


def attribute_new_variable(next_creator: Callable[..., Any], **kwargs: Any) -> Any:
    """A variable creator: hands each new variable to the innermost module being connected."""
    variable = next_creator(**kwargs)
    frame = current()
    if frame is not None:
        frame.module._snt_adopt_variable(variable, frame)
    return variable


def has_observers() -> bool:
    return bool(_local.observers)


def notify_observers(subgraph: ConnectedSubGraph) -> None:
    for observer in tuple(_local.observers):
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
    _local.observers.append(observer)
    try:
        yield
    finally:
        _local.observers.remove(observer)
