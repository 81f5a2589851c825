"""docs/errors.md (at the repository root) documents every exception sonnet exports."""

from __future__ import annotations

import inspect
import pathlib
import re

import pytest

import sonnet
import sonnet.plugins

CATALOG = pathlib.Path(__file__).parents[3] / "docs" / "errors.md"


@pytest.mark.skipif(not CATALOG.exists(), reason="needs the repository checkout (docs/)")
@pytest.mark.parametrize(
    "module", [sonnet, sonnet.errors, sonnet.plugins], ids=lambda m: m.__name__
)
def test_exported_exception_classes_are_in_the_catalog(module):
    documented = set(re.findall(r"^### `(\w+)`", CATALOG.read_text(), flags=re.M))
    exported = {
        name
        for name, obj in vars(module).items()
        if not name.startswith("_") and inspect.isclass(obj) and issubclass(obj, BaseException)
    }
    assert exported, module
    assert sorted(exported - documented) == []
