"""docs/errors.md names every exception class the library exports or raises."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pathlib
import pkgutil
import re

import pytest

import sonnet
import sonnet.plugins

ROOT = pathlib.Path(__file__).parents[3]
CATALOG = ROOT / "docs" / "errors.md"
PLUGIN_PACKAGES = ("snt_nets", "snt_rnn", "snt_transpose")
#: Helper functions that build and return an error (``raise _messages.conflict_error(...)``).
ERROR_FACTORIES = {
    "conflict_error": "PluginConflictError",
    "reserved_miss": "PluginError",
    "unknown_name": "AttributeError",
}


def _documented() -> set[str]:
    """Class names with a ``### `Name``` section in the catalog."""
    return set(re.findall(r"^### `(\w+)`", CATALOG.read_text(), flags=re.M))


def _exception_classes(module) -> set[str]:
    return {
        name
        for name, obj in vars(module).items()
        if not name.startswith("_") and inspect.isclass(obj) and issubclass(obj, BaseException)
    }


def _plugin_modules():
    for package_name in PLUGIN_PACKAGES:
        package = importlib.import_module(package_name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            yield importlib.import_module(info.name)


def _raised_names() -> dict[str, str]:
    """``raise X(...)`` / ``raise mod.X`` / ``raise factory(...)`` in every package's sources."""
    found = {}
    for path in ROOT.glob("packages/*/src/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = ast.unparse(target).rsplit(".", 1)[-1]
            name = ERROR_FACTORIES.get(name, name)
            if name[:1].isupper():  # a class, not a re-raised variable
                found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_every_exception_exported_by_sonnet_is_documented():
    exported = _exception_classes(sonnet) | _exception_classes(sonnet.errors)
    exported |= _exception_classes(sonnet.plugins)
    assert {"Error", "PluginError", "PluginWarning"} <= exported
    assert sorted(exported - _documented()) == []


def test_every_exception_exported_by_a_plugin_module_is_documented():
    exported = set()
    for module in _plugin_modules():
        exported |= _exception_classes(module)
    assert sorted(exported - _documented()) == []


def test_every_exception_class_raised_in_the_sources_is_documented():
    raised = _raised_names()
    assert "IncompatibleShapeError" in raised and "PluginConflictError" in raised
    missing = {name: where for name, where in raised.items() if name not in _documented()}
    assert missing == {}


@pytest.mark.parametrize("name", sorted(_exception_classes(sonnet.errors)))
def test_sonnet_errors_derive_from_snt_error(name):
    assert issubclass(getattr(sonnet.errors, name), sonnet.Error)


def test_catalog_names_real_classes():
    real = _exception_classes(sonnet) | _exception_classes(sonnet.plugins)
    real |= {n for n, obj in vars(builtins).items() if inspect.isclass(obj)}
    assert sorted(_documented() - real) == []
