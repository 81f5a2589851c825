"""The registry with in-memory plugins: lookups, laziness, caching, namespaces."""

import sys
import textwrap

import pytest

import sonnet as snt
from sonnet.plugins import Export
from sonnet.testing import isolated_registry


class Thing(snt.AbstractModule):
    def _build(self, x):
        return x


class Plugin:
    """An in-memory plugin exporting the given records."""

    def __init__(self, *records):
        self.records = list(records)
        self.calls = 0

    @snt.hookimpl
    def snt_exports(self):
        self.calls += 1
        return self.records


def test_register_object_and_lazy_exports():
    plugin = Plugin(
        Export("Thing", Thing),
        Export("odict", "collections:OrderedDict", kind="constant"),
        Export("sqrt", "math:sqrt", kind="function"),
    )
    with isolated_registry(plugins=[plugin]) as reg:
        assert snt.Thing is Thing
        assert snt.sqrt(4.0) == 2.0
        from sonnet import odict

        assert odict.__name__ == "OrderedDict"
        [row] = reg.status()
        assert (row.name, row.status, row.distribution) == ("Plugin", "ok", None)
        assert row.exports == ["Thing", "odict", "sqrt"]
    assert "Thing" not in vars(snt)
    with pytest.raises(AttributeError):
        snt.Thing  # noqa: B018


def test_resolved_names_are_cached_as_plain_attributes():
    with isolated_registry(plugins=[Plugin(Export("Thing", Thing))]):
        assert "Thing" not in vars(snt)
        snt.Thing  # noqa: B018
        assert vars(snt)["Thing"] is Thing


def test_lazy_target_imported_only_on_first_use(tmp_path, monkeypatch):
    (tmp_path / "snt_lazy_probe.py").write_text(
        textwrap.dedent(
            """
            import sonnet as snt

            class Probe(snt.AbstractModule):
                def _build(self, x):
                    return x
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with isolated_registry(plugins=[Plugin(Export("Probe", "snt_lazy_probe:Probe"))]):
        assert "Probe" in dir(snt)
        assert "snt_lazy_probe" not in sys.modules
        assert snt.Probe.__module__ == "snt_lazy_probe"
    sys.modules.pop("snt_lazy_probe", None)


def test_sub_namespace_and_dir():
    plugin = Plugin(
        Export("Deep", Thing, namespace="extra"),
        Export("Top", Thing),
    )
    with isolated_registry(plugins=[plugin]):
        assert snt.extra.Deep is Thing
        assert "Deep" in dir(snt.extra) and "extra" in dir(snt) and "Top" in dir(snt)
        assert "AbstractModule" in dir(snt)
        assert "nets" in dir(snt)  # reserved first-party namespace always exists
        assert repr(snt.extra) == "<sonnet plugin namespace 'sonnet.extra'>"
        with pytest.raises(AttributeError, match="Did you mean: 'Deep'"):
            snt.extra.Deap  # noqa: B018


def test_register_unregister_and_refresh():
    plugin = Plugin(Export("Thing", Thing))
    with isolated_registry() as reg:
        with pytest.raises(AttributeError):
            snt.Thing  # noqa: B018
        name = snt.plugins.register(plugin, name="mine")
        assert name == "mine" and snt.Thing is Thing
        with pytest.raises(ValueError, match="already registered"):
            snt.plugins.register(plugin)
        snt.plugins.unregister("mine")
        assert "Thing" not in vars(snt)
        with pytest.raises(AttributeError):
            snt.Thing  # noqa: B018
        with pytest.raises(ValueError, match="No plugin 'nope'"):
            reg.unregister("nope")
        reg.register(plugin)
        calls = plugin.calls
        snt.plugins.refresh()
        assert plugin.calls == calls + 1 and snt.Thing is Thing


def test_exports_listing_and_conformance_cases():
    case = snt.plugins.ConformanceCase("Thing", create=Thing, inputs=lambda: (1,))

    class WithCases(Plugin):
        @snt.hookimpl
        def snt_conformance_cases(self):
            return [case]

    with isolated_registry(plugins=[WithCases(Export("Thing", Thing))]):
        [(export, info)] = snt.plugins.exports()
        assert export.name == "Thing" and info.name == "WithCases"
        assert snt.plugins.conformance_cases() == [(case, info)]
        assert snt.plugins.names() == ["Thing", "nets"]


def test_private_names_never_build_the_registry():
    plugin = Plugin(Export("Thing", Thing))
    with isolated_registry(plugins=[plugin]):
        with pytest.raises(AttributeError):
            snt.__wrapped__  # noqa: B018
        assert plugin.calls == 0
