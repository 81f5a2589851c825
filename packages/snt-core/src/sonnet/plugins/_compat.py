"""Checks a plugin distribution's declared snt-core requirement against core."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CORE_DISTRIBUTION", "core_requirement_problem"]

CORE_DISTRIBUTION = "snt-core"


def core_requirement_problem(requires: Iterable[str], core_version: str) -> str | None:
    """Returns why the installed snt-core does not satisfy ``requires``, else ``None``.

    Args:
      requires: ``Requires-Dist`` lines of the plugin's distribution.
      core_version: The installed snt-core version.

    Returns:
      A sentence naming the required range and the installed version, or ``None``
      when the requirement is met, absent, or does not apply (environment marker).
    """
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name
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
        if canonicalize_name(req.name) != CORE_DISTRIBUTION:
            continue
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        if not req.specifier.contains(installed, prereleases=True):
            return (
                f"requires {CORE_DISTRIBUTION}{req.specifier} but {CORE_DISTRIBUTION} "
                f"{core_version} is installed"
            )
    return None
