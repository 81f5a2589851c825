"""Test helpers for plugin authors and for snt-core's own tests.

:func:`isolated_registry` gives a test its own plugin registry: installed
entry points are ignored (unless asked for), plugin objects are registered by
hand, and everything is restored afterwards::

    import sonnet as snt
    from sonnet.plugins import Export
    from sonnet.testing import isolated_registry

    class MyPlugin:
        @snt.hookimpl
        def snt_exports(self):
            return [Export("answer", 42, kind="constant")]

    with isolated_registry(plugins=[MyPlugin()]):
        assert snt.answer == 42
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from sonnet import plugins as _plugins
from sonnet.plugins._discover import PluginEnv, PluginInfo
from sonnet.plugins._resolve import PluginState

__all__ = ["IsolatedRegistry", "isolated_registry"]


class IsolatedRegistry:
    """Handle on the registry inside :func:`isolated_registry`."""

    def __init__(self, state: PluginState) -> None:
        self._state = state

    def register(
        self,
        plugin: object,
        name: str | None = None,
        *,
        distribution: str | None = None,
        version: str | None = None,
    ) -> str:
        """Same as :func:`sonnet.plugins.register`, inside the isolated registry."""
        return _plugins.register(plugin, name, distribution=distribution, version=version)

    def unregister(self, plugin: object) -> None:
        """Same as :func:`sonnet.plugins.unregister`, inside the isolated registry."""
        _plugins.unregister(plugin)

    def status(self) -> list[PluginInfo]:
        """The isolated registry's status table (builds it if needed)."""
        return list(self._state.registry().infos)

    def refresh(self) -> None:
        """Rebuilds the isolated registry."""
        _plugins.refresh()


@contextlib.contextmanager
def isolated_registry(
    plugins: Iterable[object] = (),
    *,
    discover: bool = False,
    strict: bool = False,
    env: PluginEnv | None = None,
) -> Iterator[IsolatedRegistry]:
    """Runs a block with a fresh plugin registry, restoring the previous one after.

    Names cached on ``sonnet`` by the outer registry are hidden inside the block
    and put back afterwards; names cached inside the block are removed.

    Args:
      plugins: Plugin objects to register by hand (as with ``register``). An item
        may be a ``(plugin, distribution)`` pair to attribute its exports to a
        distribution.
      discover: Also load installed entry points (off by default, so tests do not
        depend on what happens to be installed).
      strict: Turn plugin warnings into errors, like ``SNT_STRICT_PLUGINS=1``.
      env: Full control of the switches; overrides ``strict``. The ``SNT_*``
        environment variables are never read inside the block.

    Yields:
      An :class:`IsolatedRegistry` handle.
    """
    state = PluginState(discover=discover, env=env or PluginEnv(strict=strict))
    previous = _plugins._swap(state)
    try:
        handle = IsolatedRegistry(state)
        for item in plugins:
            if isinstance(item, tuple):
                plugin, distribution = item
                handle.register(plugin, distribution=distribution)
            else:
                handle.register(item)
        yield handle
    finally:
        state.invalidate()
        _plugins._swap(previous)
