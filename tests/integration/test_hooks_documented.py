"""Every hook in the spec is documented in docs/plugins.md and used by a test."""

import inspect
import pathlib

import pytest

from sonnet._hooks import HOOK_PREFIX
from sonnet._hookspecs import SonnetHookSpecs

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOOKS = [n for n, _ in inspect.getmembers(SonnetHookSpecs) if n.startswith(HOOK_PREFIX)]


def test_there_are_hooks():
    assert HOOKS == ["snt_conformance_cases", "snt_exports"]


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    assert f"def {hook}" in (ROOT / "docs" / "plugins.md").read_text()
    assert getattr(SonnetHookSpecs, hook).__doc__


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_tested(hook):
    tests = (ROOT / "packages" / "snt-core" / "tests").glob("test_plugins_*.py")
    assert any(f"def {hook}" in path.read_text() for path in tests)
