"""Step 3, collect: every plugin's records, and who provides each name.

The rules, for ``snt`` names and legacy attributes alike:

1. What snt-core defines is never overridden.
2. What a first-party distribution (snt-nets, snt-rnn, snt-transpose) declares
   is taken from it only, and so are the hint table's names and Sonnet 1 paths
   while their distribution is absent: third-party declarations are refused.
3. The same name from two plugins: neither wins; both are recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sonnet._export import Export, LegacyPath, Retired
from sonnet.plugins._discover import PluginInfo, Problem, canonical
from sonnet.plugins._hints import FIRST_PARTY, HINT_NAMES, HINT_PATHS, NAMESPACES
from sonnet.plugins._load import Plugin, fail

__all__ = ["Provided", "Registry", "collect"]


@dataclasses.dataclass(frozen=True, eq=False)
class Provided:
    """A declaration and its plugin (``None``: snt-core). ``record`` is the
    :class:`Export` or :class:`Retired` of an ``snt`` name, or the target of a
    legacy attribute (``(path, attribute, target)`` until collected)."""

    key: str  # "Linear", "nets.MLP", "sonnet.python.modules.basic.Linear"
    record: Any
    plugin: PluginInfo | None = None

    @property
    def provider(self) -> str:
        return "snt-core" if self.plugin is None else self.plugin.provider


@dataclasses.dataclass
class Registry:
    """The outcome, never modified: the status rows, the loaded plugins, the
    winner of each ``snt`` name (``names``) and of each legacy attribute
    (``legacy[path][attribute]``), and the names nobody won (``conflicts``)."""

    infos: list[PluginInfo]
    core_names: frozenset[str]
    plugins: list[Plugin] = dataclasses.field(default_factory=list)
    names: dict[str, Provided] = dataclasses.field(default_factory=dict)
    legacy: dict[str, dict[str, Provided]] = dataclasses.field(default_factory=dict)
    conflicts: dict[str, list[Provided]] = dataclasses.field(default_factory=dict)
    namespaces: frozenset[str] = NAMESPACES

    def exported(self, namespace: str | None = None) -> list[str]:
        """Exported names at top level (and the namespaces), or in ``namespace``."""
        live = [q for q, p in self.names.items() if isinstance(p.record, Export)]
        if namespace is not None:
            return sorted(q.split(".", 1)[1] for q in live if q.startswith(namespace + "."))
        return sorted({q for q in live if "." not in q} | self.namespaces)

    def info_for(self, distribution: str) -> PluginInfo | None:
        """The status row of ``distribution``'s plugin, or ``None``."""
        return next((i for i in self.infos if canonical(i.distribution) == distribution), None)


def _first_party(p: Provided) -> bool:
    return p.plugin is not None and canonical(p.plugin.distribution) in FIRST_PARTY


def _refuse(p: Provided, shown: str, why: str, problems: list[Problem]) -> None:
    assert p.plugin is not None
    p.plugin.conflicts.append(f"{p.key}: {why}")
    problems.append((f"sonnet: {p.plugin.label} declares {shown}, {why}.", None))


def _decide(
    group: Sequence[Provided], shown: str, owner: str | None, reg: Registry, problems: list[Problem]
) -> Provided | None:
    """The winner of one name (rules 2 and 3), or ``None``. ``owner`` is the hint
    table's distribution for it; ``shown`` is the name as messages show it."""
    firsts = [p for p in group if _first_party(p)]
    if firsts or owner:
        owner = firsts[0].plugin.distribution if firsts else owner  # type: ignore[union-attr]
        for p in group:
            if not _first_party(p):
                _refuse(p, shown, f"a name reserved for {owner}", problems)
        group = firsts
    kept: dict[int, Provided] = {}
    for p in group:  # one per plugin; identical repeats are fine
        first = kept.setdefault(id(p.plugin), p)
        if first is not p and first.record != p.record and first.record is not p.record:
            problems.append(
                (f"sonnet: {first.provider} declares {shown} twice; using the first", None)
            )
    if len(kept) == 1:
        return next(iter(kept.values()))
    if kept:
        reg.conflicts[group[0].key] = list(kept.values())
        for p in kept.values():
            p.plugin.conflicts.append(f"{p.key}: also declared by another plugin")  # type: ignore[union-attr]
        names = " and ".join(p.provider for p in kept.values())
        problems.append((f"sonnet: {shown} is declared by both {names}; neither is used.", None))
    return None


def _declarations(
    plugins: Iterable[Plugin], reg: Registry, problems: list[Problem]
) -> tuple[dict[str, list[Provided]], dict[str, list[Provided]]]:
    """Calls each plugin's declaration hooks: ``snt`` names, and legacy attributes."""
    names: dict[str, list[Provided]] = {}
    legacy: dict[str, list[Provided]] = {}
    for plugin in plugins:
        hook = "snt_exports"
        try:
            records: list[Export | Retired] = list(plugin.call(hook, Export))
            hook = "snt_retired_names"
            records += plugin.call(hook, Retired)
            hook = "snt_legacy_paths"
            paths = plugin.call(hook, LegacyPath)
        except Exception as e:
            fail(plugin.info, f"failed in {hook}", e, problems)
            continue
        reg.plugins.append(plugin)
        for r in records:
            names.setdefault(r.qualname, []).append(Provided(r.qualname, r, plugin.info))
        for lp in paths:
            for attr, target in lp.table.items():
                key = f"{lp.path}.{attr}"
                legacy.setdefault(key, []).append(
                    Provided(key, (lp.path, attr, target), plugin.info)
                )
    return names, legacy


def collect(
    plugins: Sequence[Plugin],
    infos: list[PluginInfo],
    core_names: frozenset[str],
    core_legacy: Mapping[str, Mapping[str, str]],
    problems: list[Problem],
) -> Registry:
    """Applies the rules to the declarations of every loaded plugin.

    ``core_names`` are the names snt-core defines, ``core_legacy`` its own legacy
    paths (``{path: {attribute: target}}``). Each refused or conflicting
    declaration adds to ``problems``; a plugin whose hook raises is marked failed.
    """
    reg = Registry(infos, core_names)
    names, legacy = _declarations(plugins, reg, problems)
    reg.namespaces = NAMESPACES | {key.split(".")[0] for key in names if "." in key}
    for key, group in names.items():
        head, shown, why = key.split(".")[0], f"snt.{key}", None
        if head in core_names:
            why = f"which snt-core defines itself (snt-core's snt.{head} wins)"
        elif "." not in key and key in reg.namespaces:
            why = f"which is the sub-namespace snt.{key}"
        for p in group if why else ():
            _refuse(p, shown, why, problems)  # type: ignore[arg-type]
        won = None if why else _decide(group, shown, HINT_NAMES.get(key), reg, problems)
        if won is not None and won.plugin is not None:
            reg.names[key] = won
            (won.plugin.exports if isinstance(won.record, Export) else won.plugin.retired).append(
                key
            )
    for path, table in core_legacy.items():
        reg.legacy[path] = {a: Provided(f"{path}.{a}", t) for a, t in table.items()}
    first_paths = {g[0].record[0]: p.plugin for g in legacy.values() for p in g if _first_party(p)}
    for key, group in legacy.items():
        path, attr, _ = group[0].record
        if attr in core_legacy.get(path, {}):
            for p in group:
                _refuse(p, key, "which snt-core defines itself", problems)
            continue
        owner = first_paths.get(path)
        hint = "snt-core" if path in core_legacy else HINT_PATHS.get(path)
        won = _decide(group, key, owner.distribution if owner else hint, reg, problems)
        if won is not None and won.plugin is not None:
            reg.legacy.setdefault(path, {})[attr] = Provided(key, won.record[2], won.plugin)
            if path not in won.plugin.legacy:
                won.plugin.legacy.append(path)
    return reg
