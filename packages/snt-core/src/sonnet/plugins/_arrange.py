"""Decides which export wins each name: core first, then reserved owners, then no ties."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sonnet.plugins._records import Provided, canonical
from sonnet.plugins._reserved import RESERVED, RESERVED_NAMESPACES

__all__ = ["Arrangement", "Problem", "arrange"]


@dataclasses.dataclass(frozen=True)
class Problem:
    """Something a plugin did wrong: a warning, or an error in strict mode."""

    message: str
    cause: BaseException | None = None


@dataclasses.dataclass
class Arrangement:
    """The outcome: the winning export per name and the names nobody won."""

    flat: dict[str, Provided] = dataclasses.field(default_factory=dict)
    namespaces: dict[str, dict[str, Provided]] = dataclasses.field(default_factory=dict)
    conflicts: dict[str, list[Provided]] = dataclasses.field(default_factory=dict)


def _reject(p: Provided, why: str, problems: list[Problem]) -> None:
    p.plugin.conflicts.append(f"{p.qualname}: {why}")
    problems.append(Problem(f"sonnet: {p.plugin.label} exports snt.{p.qualname}, {why}."))


def _owners(group: list[Provided]) -> list[Provided]:
    """One export per plugin (the first), in order."""
    seen: dict[int, Provided] = {}
    for p in group:
        seen.setdefault(id(p.plugin), p)
    return list(seen.values())


def _add(arr: Arrangement, p: Provided) -> None:
    ns = p.export.namespace
    (arr.flat if ns is None else arr.namespaces.setdefault(ns, {}))[p.export.name] = p
    p.plugin.exports.append(p.qualname)


def arrange(
    provided: Iterable[Provided], core_names: set[str], problems: list[Problem]
) -> Arrangement:
    """Applies the conflict rules to every export.

    1. A name core defines (or a namespace named like one) is never overridden.
    2. A reserved first-party name is only taken from its owning distribution.
    3. A flat export named like a sub-namespace is refused.
    4. The same name from two plugins: neither wins; both are recorded.

    Args:
      provided: All exports of plugins that loaded.
      core_names: Public names defined by snt-core itself.
      problems: Receives a :class:`Problem` per refused export.

    Returns:
      The :class:`Arrangement`.
    """
    by_name: dict[str, list[Provided]] = {}
    for p in provided:
        by_name.setdefault(p.qualname, []).append(p)
    namespaces = set(RESERVED_NAMESPACES)
    namespaces.update(g[0].export.namespace for g in by_name.values() if g[0].export.namespace)
    arr = Arrangement()
    for qualname, group in by_name.items():
        head = qualname.split(".")[0]
        if head in core_names:
            for p in group:
                _reject(p, f"which snt-core defines itself (snt-core's snt.{head} wins)", problems)
            continue
        if "." not in qualname and qualname in namespaces:
            for p in group:
                _reject(p, f"which is the sub-namespace snt.{qualname}", problems)
            continue
        owner = RESERVED.get(qualname)
        if owner is not None:
            keep = []
            for p in group:
                if canonical(p.plugin.distribution) == owner:
                    keep.append(p)
                else:
                    _reject(p, f"a name reserved for {owner}", problems)
            group = keep
        winners = _owners(group)
        if len(winners) > 1:
            arr.conflicts[qualname] = winners
            names = " and ".join(w.plugin.provider for w in winners)
            for w in winners:
                w.plugin.conflicts.append(f"{qualname}: also exported by another plugin")
            problems.append(
                Problem(f"sonnet: snt.{qualname} is exported by both {names}; neither is used.")
            )
        elif winners:
            first = winners[0]
            for other in group[1:]:
                if other.export.target is not first.export.target and other.export != first.export:
                    problems.append(
                        Problem(
                            f"sonnet: {first.plugin.label} exports snt.{qualname} twice with "
                            f"different targets; using {first.export.target!r}."
                        )
                    )
            _add(arr, first)
    return arr
