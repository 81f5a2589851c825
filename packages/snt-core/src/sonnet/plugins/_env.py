"""Environment switches: ``SNT_PLUGINS``, ``SNT_DISABLE_PLUGINS``, ``SNT_STRICT_PLUGINS``."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping

__all__ = ["ALLOW_VAR", "BLOCK_VAR", "STRICT_VAR", "PluginEnv"]

ALLOW_VAR = "SNT_PLUGINS"
BLOCK_VAR = "SNT_DISABLE_PLUGINS"
STRICT_VAR = "SNT_STRICT_PLUGINS"

_TRUE = frozenset({"1", "true", "yes", "on"})


def _normalize(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def _split(value: str) -> frozenset[str]:
    return frozenset(_normalize(part) for part in value.split(",") if part.strip())


@dataclasses.dataclass(frozen=True)
class PluginEnv:
    """Which discovered plugins may load, and whether problems are errors.

    Attributes:
      allow: Plugin or distribution names that may load; ``None`` allows all and
        an empty set allows none (core only).
      block: Plugin or distribution names that must not load.
      strict: Whether plugin problems raise instead of warning.
    """

    allow: frozenset[str] | None = None
    block: frozenset[str] = frozenset()
    strict: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> PluginEnv:
        """Reads the three ``SNT_*`` variables (from ``os.environ`` by default)."""
        environ = os.environ if environ is None else environ
        allow_value = environ.get(ALLOW_VAR)
        return cls(
            allow=None if allow_value is None else _split(allow_value),
            block=_split(environ.get(BLOCK_VAR, "")),
            strict=environ.get(STRICT_VAR, "").strip().lower() in _TRUE,
        )

    def refusal(self, plugin_name: str, distribution: str | None) -> str | None:
        """Returns why a discovered plugin is disabled, or ``None`` if it may load.

        A plugin matches a list entry by entry-point name (``nets``) or by
        distribution name (``snt-nets``).
        """
        keys = {_normalize(plugin_name)}
        if distribution:
            keys.add(_normalize(distribution))
        if keys & self.block:
            return f"disabled by {BLOCK_VAR}"
        if self.allow is not None and not keys & self.allow:
            if not self.allow:
                return f"disabled: {ALLOW_VAR} is empty (core only)"
            return f"disabled: not listed in {ALLOW_VAR}={','.join(sorted(self.allow))}"
        return None
