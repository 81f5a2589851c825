"""``python -m sonnet [plugins] [--json]``: versions and the status of every plugin.

Works without a usable TensorFlow (the report then says why it is not), so it
can be pasted into a bug report whatever is broken. ``python -m sonnet
checkpoint ...`` runs the checkpoint tool (``sonnet._checkpoint_cli``).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import platform
import sys
import warnings
from typing import Any

import sonnet
from sonnet import plugins
from sonnet.plugins._discover import PluginEnv

DM_SONNET_WARNING = (
    "the PyPI distribution dm-sonnet is also installed; it provides a 'sonnet' package too, "
    "and the two overwrite each other. Uninstall it: pip uninstall dm-sonnet"
)


def _version_of(module_name: str) -> str | None:
    return getattr(sys.modules.get(module_name), "__version__", None)


def _dm_sonnet() -> str | None:
    try:
        return importlib.metadata.version("dm-sonnet")
    except importlib.metadata.PackageNotFoundError:
        return None


def collect() -> dict[str, Any]:
    """Gathers the report (rebuilds the registry, never in strict mode)."""
    state = plugins._current()
    env = PluginEnv.from_environ()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        state.env = PluginEnv(allow=env.allow, block=env.block, strict=False)
        try:
            plugins.refresh()
            registry = state.registry()
        finally:
            state.env = None
    tf_problem = sonnet._TF_PROBLEM
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "tensorflow": _version_of("tensorflow"),
        "tensorflow_problem": None if tf_problem is None else str(tf_problem),
        "numpy": _version_of("numpy"),
        "snt_core": sonnet.__version__,
        "sonnet_path": sonnet.__file__,
        "strict": env.strict,
        "plugins": [info.as_dict() for info in registry.infos],
        "conflicts": [
            {"name": name, "providers": [p.provider for p in providers]}
            for name, providers in sorted(registry.conflicts.items())
        ],
        "problems": [str(w.message) for w in caught],
        "warnings": [],
    }
    if _dm_sonnet():
        report["warnings"].append(f"dm-sonnet {_dm_sonnet()}: {DM_SONNET_WARNING}")
    return report


def _format(report: dict[str, Any]) -> str:
    lines = [
        f"snt-core {report['snt_core']} ({report['sonnet_path']})",
        f"Python {report['python']}, TensorFlow {report['tensorflow']}, numpy {report['numpy']}",
    ]
    if report["tensorflow_problem"]:
        lines.append(f"TensorFlow is not usable: {report['tensorflow_problem']}")
    lines += ["", f"Plugins (entry-point group 'sonnet'): {len(report['plugins'])}"]
    for p in report["plugins"]:
        where = f"{p['name']} = {p['entry_point']}" if p["entry_point"] else p["name"]
        version = p["version"] or "(unknown version)"
        dist = f"{p['distribution']} {version}" if p["distribution"] else "registered"
        lines.append(f"  {where}  [{dist}]  {p['status']}")
        if p["reason"]:
            lines.append(f"      reason: {p['reason']}")
        for key in ("exports", "legacy", "retired"):
            if p[key]:
                lines.append(f"      {key} ({len(p[key])}): {', '.join(p[key])}")
        for conflict in p["conflicts"]:
            lines.append(f"      not used: {conflict}")
    if report["conflicts"]:
        lines += ["", "Conflicts (neither provider is used):"]
        lines += [f"  {c['name']}: {' and '.join(c['providers'])}" for c in report["conflicts"]]
    if report["problems"]:
        lines += ["", "Problems (warnings at the first lookup):"]
        lines += [f"  {problem}" for problem in report["problems"]]
        if report["strict"]:
            lines.append("SNT_STRICT_PLUGINS is set: these are errors at the first lookup.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "checkpoint":
        checkpoint_cli = importlib.import_module("sonnet._checkpoint_cli")  # lazily: needs TF
        return int(checkpoint_cli.main(argv[1:]))
    parser = argparse.ArgumentParser(
        prog="python -m sonnet", description="Show Sonnet's versions and installed plugins."
    )
    parser.add_argument("command", nargs="?", choices=["plugins"], help="same listing")
    parser.add_argument("--json", action="store_true", help="print a JSON report")
    args = parser.parse_args(argv)
    report = collect()
    print(json.dumps(report, indent=2) if args.json else _format(report))
    for warning in report["warnings"]:
        print(f"WARNING: {warning}", file=sys.stderr)
    if report["tensorflow_problem"]:
        print(f"WARNING: {report['tensorflow_problem']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
