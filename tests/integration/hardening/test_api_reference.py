"""docs/api/ documents every public name of ``snt`` and is up to date with the code."""

from __future__ import annotations

import importlib.util
import pathlib
import re
import sys
import types

import pytest

import sonnet as snt

ROOT = pathlib.Path(__file__).parents[3]
FIRST_PARTY = {"snt-nets", "snt-rnn", "snt-transpose"}


@pytest.fixture(scope="module")
def gen_api():
    spec = importlib.util.spec_from_file_location("gen_api", ROOT / "docs" / "gen_api.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_api"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules["gen_api"]
        raise
    return module


def _documented_names() -> set[str]:
    text = "\n".join(p.read_text() for p in (ROOT / "docs" / "api").glob("*.md"))
    return set(re.findall(r"^### (snt\.[\w.]+)$", text, flags=re.M))


def _public_names() -> set[str]:
    core = {
        f"snt.{name}"
        for name, obj in vars(snt).items()
        if not name.startswith("_") and not isinstance(obj, types.ModuleType)
    }
    core -= {f"snt.{name}" for name in snt.plugins.names()}  # cached plugin names
    for export, info in snt.plugins.exports():
        if info.distribution in FIRST_PARTY:
            core.add(f"snt.{export.namespace + '.' if export.namespace else ''}{export.name}")
    return core


def test_every_public_name_has_a_docstring(gen_api):
    assert gen_api.undocumented(gen_api.collect()) == []


def test_every_public_name_is_in_the_reference():
    names = _public_names()
    assert {"snt.AbstractModule", "snt.Linear", "snt.nets.MLP", "snt.LSTM"} <= names
    assert sorted(names - _documented_names()) == []


def test_public_submodules_are_in_the_reference(gen_api):
    documented = _documented_names()
    for sub in gen_api.SUBMODULES:
        assert f"snt.{sub}" in documented
    assert "snt.regularizers.l2" in documented and "snt.plugins.register" in documented


def test_reference_is_up_to_date(gen_api, capsys):
    code = gen_api.main(["--check"])
    assert code == 0, capsys.readouterr().err
