"""Builds a :class:`Registry`: loads each plugin on its own, then arranges exports."""

from __future__ import annotations

from collections.abc import Sequence

from sonnet._export import Export
from sonnet.plugins._arrange import Problem, arrange
from sonnet.plugins._compat import core_requirement_problem
from sonnet.plugins._env import PluginEnv
from sonnet.plugins._manager import SonnetPluginManager
from sonnet.plugins._records import (
    DISABLED,
    FAILED,
    INCOMPATIBLE,
    OK,
    PluginInfo,
    Provided,
    Source,
)
from sonnet.plugins._registry import Registry

__all__ = ["build"]


def _fail(info: PluginInfo, what: str, error: BaseException, problems: list[Problem]) -> None:
    info.status = FAILED
    info.error = error
    info.reason = f"{what}: {type(error).__name__}: {error}"
    problems.append(Problem(f"sonnet: {info.label} {info.reason}", error))


def _load(src: Source, env: PluginEnv, core_version: str, problems: list[Problem]) -> object:
    """Returns the plugin object, or ``None`` after marking the row not ``ok``."""
    info, cand = src.info, src.candidate
    if cand is None:
        return src.obj
    refusal = "disabled by sonnet.plugins.unregister()" if src.blocked else None
    refusal = refusal or env.refusal(info.name, info.distribution)
    if refusal:
        info.status, info.reason = DISABLED, refusal
        return None
    problem = core_requirement_problem(cand.requires, core_version)
    if problem:
        info.status, info.reason = INCOMPATIBLE, problem
        problems.append(Problem(f"sonnet: {info.label} was skipped: it {problem}."))
        return None
    try:
        return cand.load()
    except Exception as e:
        _fail(info, "failed to load", e, problems)
        return None


def _exports(pm: SonnetPluginManager, plugin: object) -> list[Export]:
    records = pm.call_own(plugin, "snt_exports")
    for record in records:
        if not isinstance(record, Export):
            raise TypeError(f"snt_exports returned {record!r}, not a sonnet.plugins.Export")
    return records


def build(
    sources: Sequence[Source], *, env: PluginEnv, core_names: set[str], core_version: str
) -> tuple[Registry, list[Problem]]:
    """Loads every source on its own and arranges their exports.

    A plugin that raises (on import, registration or in its hook) is marked
    ``failed`` and contributes nothing; the others are unaffected.

    Returns:
      The registry and the problems to report (warnings, or errors when strict).
    """
    problems: list[Problem] = []
    pm = SonnetPluginManager()
    provided: list[Provided] = []
    loaded: list[tuple[PluginInfo, object]] = []
    for index, src in enumerate(sources):
        plugin = _load(src, env, core_version, problems)
        if src.info.status != OK or plugin is None:
            continue
        try:
            pm.add(plugin, f"{index}:{src.info.name}", core_version)
        except Exception as e:
            _fail(src.info, "could not be registered", e, problems)
            continue
        try:
            records = _exports(pm, plugin)
        except Exception as e:
            _fail(src.info, "failed in snt_exports", e, problems)
            pm.unregister(plugin)
            continue
        provided.extend(Provided(r, src.info) for r in records)
        loaded.append((src.info, plugin))
    arrangement = arrange(provided, core_names, problems)
    infos = [s.info for s in sources]
    return Registry(infos, arrangement, core_names, loaded, pm), problems
