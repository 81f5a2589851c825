"""Step 1, discover: the plugins to consider, and whether each may load.

Reads the ``sonnet`` entry points (metadata only: nothing is imported), adds
the plugins registered by hand, and refuses, before import, the plugins the
switches disable (``SNT_PLUGINS``, ``SNT_DISABLE_PLUGINS``) or whose declared
snt-core range excludes this core. Each plugin gets a status row.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sonnet._hooks import PROJECT

__all__ = ["PluginEnv", "PluginInfo", "Problem", "Source", "canonical", "discover"]

ALLOW_VAR = "SNT_PLUGINS"
BLOCK_VAR = "SNT_DISABLE_PLUGINS"
STRICT_VAR = "SNT_STRICT_PLUGINS"
OK, FAILED, INCOMPATIBLE, DISABLED = "ok", "failed", "incompatible", "disabled"

#: A message, and the exception behind it if any: a warning, or an error when strict.
Problem = tuple[str, BaseException | None]


def canonical(name: str | None) -> str:
    """PEP 503 normalized name (``Snt_Nets`` -> ``snt-nets``); ``""`` for ``None``."""
    return (name or "").strip().lower().replace("_", "-").replace(".", "-")


@dataclasses.dataclass(eq=False)
class PluginInfo:
    """One row of the status table (:func:`sonnet.plugins.status`, ``python -m sonnet``).

    ``name`` is the entry-point name (or the name given to ``register``),
    ``entry_point`` its value (``None`` when registered by hand); ``status`` is
    ``"ok"``, ``"failed"`` (``error`` says why), ``"incompatible"`` or
    ``"disabled"``, with a human-readable ``reason``. The lists name what the
    plugin provides (``"nets.MLP"``, legacy module paths, retired names) and the
    declarations that were refused (``conflicts``).
    """

    name: str
    entry_point: str | None
    distribution: str | None
    version: str | None
    status: str = OK
    reason: str | None = None
    error: BaseException | None = dataclasses.field(default=None, repr=False)
    exports: list[str] = dataclasses.field(default_factory=list)
    legacy: list[str] = dataclasses.field(default_factory=list)
    retired: list[str] = dataclasses.field(default_factory=list)
    conflicts: list[str] = dataclasses.field(default_factory=list)

    @property
    def provider(self) -> str:
        """``"snt-nets 0.1.0"`` (or ``"registered plugin 'x'"``), for messages."""
        if self.distribution is None:
            return f"registered plugin {self.name!r}"
        return f"{self.distribution} {self.version or '(unknown version)'}"

    @property
    def label(self) -> str:
        """``"plugin 'nets' (snt-nets 0.1.0)"``, for messages."""
        where = "registered by hand" if self.distribution is None else self.provider
        return f"plugin {self.name!r} ({where})"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view of this row."""
        return {
            f.name: list(value) if isinstance(value := getattr(self, f.name), list) else value
            for f in dataclasses.fields(self)
            if f.name != "error"
        }


@dataclasses.dataclass
class Source:
    """A plugin to load: ``load()`` imports the entry point or returns the object."""

    info: PluginInfo
    load: Callable[[], object]
    obj: object = None  # the object of a plugin registered by hand


@dataclasses.dataclass(frozen=True)
class PluginEnv:
    """The switches: plugins allowed (``None``: all, empty: none) and blocked, by
    entry-point or distribution name, and whether problems are errors."""

    allow: frozenset[str] | None = None
    block: frozenset[str] = frozenset()
    strict: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> PluginEnv:
        """Reads the three ``SNT_*`` variables (from ``os.environ`` by default)."""
        env = os.environ if environ is None else environ

        def names(value: str) -> frozenset[str]:
            return frozenset(canonical(p) for p in value.split(",") if p.strip())

        allow = env.get(ALLOW_VAR)
        return cls(
            allow=None if allow is None else names(allow),
            block=names(env.get(BLOCK_VAR, "")),
            strict=env.get(STRICT_VAR, "").strip().lower() in ("1", "true", "yes", "on"),
        )

    def refusal(self, plugin_name: str, distribution: str | None) -> str | None:
        """Why the switches disable this plugin, or ``None``."""
        keys = {canonical(plugin_name), canonical(distribution)} - {""}
        if keys & self.block:
            return f"disabled by {BLOCK_VAR}"
        if self.allow is not None and not keys & self.allow:
            if not self.allow:
                return f"disabled: {ALLOW_VAR} is empty (core only)"
            return f"disabled: not listed in {ALLOW_VAR}={','.join(sorted(self.allow))}"
        return None


def core_requirement_problem(requires: Iterable[str], core_version: str) -> str | None:
    """Why snt-core ``core_version`` does not satisfy the plugin's ``Requires-Dist``
    lines, or ``None`` (also when an environment marker excludes the requirement)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version

    try:
        installed = Version(core_version)
    except InvalidVersion:
        return None
    for line in requires:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if canonical(req.name) != "snt-core" or (
            req.marker is not None and not req.marker.evaluate({"extra": ""})
        ):
            continue
        if not req.specifier.contains(installed, prereleases=True):
            return f"requires snt-core{req.specifier} but snt-core {core_version} is installed"
    return None


def discover(
    manual: Iterable[Source], *, scan: bool, env: PluginEnv, blocked: set[str], core_version: str
) -> tuple[list[Source], list[Problem]]:
    """Lists the installed plugins (if ``scan``, sorted by distribution), then the
    ones registered by hand; marks refused ones ``disabled`` or ``incompatible``.

    ``blocked`` holds the names disabled with ``sonnet.plugins.unregister``. The
    switches do not apply to plugins registered by hand.
    """
    sources: list[Source] = []
    problems: list[Problem] = []
    for ep in importlib.metadata.entry_points(group=PROJECT) if scan else ():
        meta = ep.dist.metadata if ep.dist else None  # parsed on each read: read once
        name, version = (meta["Name"], meta["Version"]) if meta else (None, None)
        info = PluginInfo(ep.name, ep.value, name, version)
        requires = (meta.get_all("Requires-Dist") or []) if meta else []
        refusal = env.refusal(info.name, info.distribution)
        if {canonical(info.name), canonical(info.distribution)} & blocked:
            refusal = "disabled by sonnet.plugins.unregister()"
        if refusal:
            info.status, info.reason = DISABLED, refusal
        elif problem := core_requirement_problem(requires, core_version):
            info.status, info.reason = INCOMPATIBLE, problem
            problems.append((f"sonnet: {info.label} was skipped: it {problem}.", None))
        sources.append(Source(info, ep.load))
    sources.sort(key=lambda s: (canonical(s.info.distribution), s.info.name))
    for src in manual:  # a fresh row on every build
        old = src.info
        sources.append(Source(PluginInfo(old.name, None, old.distribution, old.version), src.load))
    return sources, problems
