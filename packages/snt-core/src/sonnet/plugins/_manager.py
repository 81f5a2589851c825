"""A pluggy manager that only inspects ``snt_*`` attributes and calls hooks per plugin."""

from __future__ import annotations

from typing import Any

import pluggy

from sonnet._hooks import HOOK_PREFIX, PROJECT
from sonnet._hookspecs import SonnetHookSpecs
from sonnet.errors import PluginError

__all__ = ["SonnetPluginManager"]


class SonnetPluginManager(pluggy.PluginManager):
    """pluggy's manager for project ``sonnet``, with per-plugin hook calls."""

    def __init__(self) -> None:
        super().__init__(PROJECT)
        self.add_hookspecs(SonnetHookSpecs)

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        # Skip everything that cannot be a hook before pluggy looks at it.
        if not name.startswith(HOOK_PREFIX):
            return None
        return super().parse_hookimpl_opts(plugin, name)

    def add(self, plugin: object, key: str, core_version: str) -> None:
        """Registers ``plugin`` under ``key``, refusing hooks this core does not know.

        Raises:
          PluginError: If the plugin implements an unknown ``snt_*`` hook (it needs a
            newer snt-core) or a hook's signature does not match its spec.
        """
        try:
            self.register(plugin, name=key)
        except pluggy.PluginValidationError as e:
            raise PluginError(f"invalid hook implementation: {e}") from e
        unknown = [
            impl.function.__name__
            for caller in self.get_hookcallers(plugin) or ()
            if not caller.has_spec()
            for impl in caller.get_hookimpls()
            if impl.plugin is plugin and not impl.optionalhook
        ]
        if unknown:
            self.unregister(plugin)
            raise PluginError(
                f"implements hook(s) {', '.join(sorted(unknown))} unknown to snt-core "
                f"{core_version}; it probably needs a newer snt-core"
            )

    def call_own(self, plugin: object, hook_name: str) -> list[Any]:
        """Calls ``plugin``'s own implementations of ``hook_name`` and concatenates results."""
        caller = getattr(self.hook, hook_name)
        results: list[Any] = []
        for impl in caller.get_hookimpls():
            if impl.plugin is not plugin or impl.hookwrapper or getattr(impl, "wrapper", False):
                continue
            value = impl.function()
            if value is not None:
                results.extend(value)
        return results
