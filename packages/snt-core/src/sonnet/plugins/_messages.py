"""Error texts for names the registry cannot hand out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sonnet.errors import PluginConflictError, PluginError
from sonnet.plugins._env import BLOCK_VAR
from sonnet.plugins._records import DISABLED, FAILED, INCOMPATIBLE, PluginInfo, Provided

__all__ = ["PluginWarning", "conflict_error", "reserved_miss", "unknown_name"]


class PluginWarning(UserWarning):
    """A plugin failed, was skipped, or had exports refused (see ``python -m sonnet``)."""


def conflict_error(qualname: str, providers: Sequence[Provided]) -> PluginConflictError:
    """The error for a name two plugins export."""
    names = " and ".join(f"{p.plugin.provider} (plugin {p.plugin.name!r})" for p in providers)
    last = providers[-1].plugin
    block = last.distribution or last.name
    return PluginConflictError(
        f"snt.{qualname} is exported by both {names}, so neither is used. Uninstall one of "
        f"them, or disable one, e.g. {BLOCK_VAR}={block}."
    )


def reserved_miss(qualname: str, owner: str, info: PluginInfo | None) -> Exception:
    """The error for a reserved first-party name that is not available.

    Args:
      qualname: The name relative to ``snt``.
      owner: The distribution the name is reserved for.
      info: The status row of the owner's plugin, or ``None`` if it is not installed.
    """
    where = f"snt.{qualname} is provided by {owner}"
    if info is None:
        return AttributeError(f"{where}, which is not installed (pip install {owner})")
    if info.status == FAILED:
        error = PluginError(f"{where} {info.version}, whose plugin {info.reason}")
        error.__cause__ = info.error
        return error
    if info.status == INCOMPATIBLE:
        return PluginError(f"{where}, but {info.label} was skipped: {info.reason}")
    if info.status == DISABLED:
        return AttributeError(f"{where}, which is installed but {info.reason}")
    return AttributeError(
        f"snt.{qualname} is reserved for {owner}, but the installed {owner} {info.version} "
        f"does not export it; a newer release may (pip install -U {owner})"
    )


def unknown_name(
    qualname: str, known: Iterable[str], failed: Sequence[PluginInfo]
) -> AttributeError:
    """The ``AttributeError`` for a name nobody provides, with close-match hints.

    When some plugin failed to load, the message says so and the error is chained
    to the first failure, since the name may have come from it.
    """
    owner, _, name = qualname.rpartition(".")
    module = f"sonnet.{owner}" if owner else "sonnet"
    message = f"module {module!r} has no attribute {name!r}"
    import difflib

    matches = difflib.get_close_matches(name, sorted(set(known)), n=3, cutoff=0.6)
    if matches:
        message += ". Did you mean: " + ", ".join(repr(m) for m in matches) + "?"
    if failed:
        listing = "; ".join(f"{i.label}: {i.reason}" for i in failed)
        message += (
            f" (Note: {len(failed)} plugin(s) failed to load and might provide it: {listing})"
        )
    error = AttributeError(message)
    if failed:
        error.__cause__ = failed[0].error
    return error
