"""Self-checks a plugin distribution runs in its own tests.

The first-party plugins use them, and third-party plugins can too::

    from my_plugin import _plugin
    from sonnet import plugin_checks

    def test_entry_point():
        plugin_checks.check_entry_point("contrib", _plugin, "my-plugin")

Each check raises ``AssertionError`` saying what is wrong.
"""

from __future__ import annotations

import ast
import importlib.metadata
import pathlib
from types import ModuleType
from typing import Any

__all__ = [
    "check_entry_point",
    "check_plugin_module_is_light",
    "check_exports_are_lazy",
    "check_legacy_paths",
    "resolve_export",
]


def check_entry_point(name: str, plugin_module: ModuleType, distribution: str) -> None:
    """The ``sonnet`` entry point ``name`` is installed, from ``distribution``,
    and points at ``plugin_module``."""
    found = [e for e in importlib.metadata.entry_points(group="sonnet") if e.name == name]
    assert len(found) == 1, f"expected one 'sonnet' entry point named {name!r}, found {found}"
    [entry_point] = found
    assert entry_point.value == plugin_module.__name__, (
        f"entry point {name!r} points at {entry_point.value!r}, not {plugin_module.__name__!r}"
    )
    assert entry_point.dist is not None and entry_point.dist.metadata["Name"] == distribution, (
        f"entry point {name!r} comes from {entry_point.dist}, not {distribution!r}"
    )


def _imported(nodes: Any) -> set[str]:
    return {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in nodes
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }


def check_plugin_module_is_light(plugin_module: ModuleType, package: str) -> None:
    """At module level the plugin module imports only ``sonnet``; inside its hooks
    (run when core asks) only its own ``package``."""
    tree = ast.parse(pathlib.Path(plugin_module.__file__ or "").read_text())
    top = {name.split(".")[0] for name in _imported(tree.body)}
    assert top <= {"__future__", "sonnet"}, f"module-level imports beyond sonnet: {top}"
    lazy = {name.split(".")[0] for name in _imported(ast.walk(tree))} - top
    assert lazy <= {package}, f"imports inside hooks beyond {package!r}: {lazy}"


def check_exports_are_lazy(plugin_module: ModuleType, package: str) -> None:
    """Every export is an ``Export`` whose target is a ``"module:attr"`` string in
    ``package``, so nothing is imported before first use."""
    from sonnet.plugins import Export

    for export in plugin_module.snt_exports():
        assert isinstance(export, Export), f"{export!r} is not a sonnet.plugins.Export"
        assert isinstance(export.target, str) and export.target.startswith(package + "."), (
            f"{export.qualname}: target {export.target!r} is not a lazy reference in {package}"
        )


def resolve_export(plugin_module: ModuleType, distribution: str, export: Any) -> Any:
    """Looks ``export`` up on ``snt`` in a registry holding only this plugin, with
    warnings as errors, and returns the object."""
    import sonnet
    from sonnet.testing import isolated_registry

    with isolated_registry(plugins=[(plugin_module, distribution)], strict=True):
        obj: Any = sonnet
        for part in export.qualname.split("."):
            obj = getattr(obj, part)
    return obj


def check_legacy_paths(plugin_module: ModuleType, distribution: str) -> None:
    """Every Sonnet 1 path the plugin declares imports, and each of its names
    resolves, in a registry holding only this plugin, with warnings as errors."""
    import importlib

    from sonnet.plugins import LegacyPath
    from sonnet.testing import isolated_registry

    records: list[Any] = getattr(plugin_module, "snt_legacy_paths", lambda: [])()
    with isolated_registry(plugins=[(plugin_module, distribution)], strict=True):
        for record in records:
            assert isinstance(record, LegacyPath), f"{record!r} is not a LegacyPath"
            module = importlib.import_module(record.path)
            if record.module is not None:  # the path is that very module
                assert module is importlib.import_module(record.module), record
                continue
            for attr in record.table:
                getattr(module, attr)  # raises, naming the path and the target
            public = {a for a in record.table if not a.startswith("_")}
            assert public <= set(module.__all__), (record.path, public - set(module.__all__))
