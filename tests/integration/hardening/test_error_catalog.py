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
import tensorflow as tf

import sonnet
import sonnet.plugins

ROOT = pathlib.Path(__file__).parents[3]
CATALOG = ROOT / "docs" / "errors.md"
PLUGIN_PACKAGES = ("snt_nets", "snt_rnn", "snt_transpose")
#: Helper functions that build and return an error (``raise miss(...)``); the
#: classes they return are found by ``return SomeError(...)`` in their bodies.
ERROR_FACTORIES = {"conflict_error", "hint_error", "miss", "_miss", "unknown_name"}


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
    """``raise X(...)`` / ``raise mod.X`` in every package's sources, and the
    ``return X(...)`` of the error factories they raise (``raise miss(...)``)."""
    found = {}
    for path in ROOT.glob("packages/*/src/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            exits = []
            if isinstance(node, ast.Raise) and node.exc is not None:
                exits.append(node.exc)
            elif isinstance(node, ast.FunctionDef) and node.name in ERROR_FACTORIES:
                exits += [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value]
            for value in exits:
                target = value.func if isinstance(value, ast.Call) else value
                name = ast.unparse(target).rsplit(".", 1)[-1]
                if name[:1].isupper():  # a class, not a re-raised variable or a factory
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
    real |= _exception_classes(tf.errors)
    real |= _exception_classes(importlib.import_module("snt_nets.nets.convnet"))
    assert sorted(_documented() - real) == []
