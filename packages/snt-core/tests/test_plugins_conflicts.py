"""Conflict rules: core wins, reserved names, two providers of one name."""

import pytest

import sonnet as snt
from sonnet.plugins import Export, PluginWarning, Retired
from sonnet.testing import isolated_registry


class Plugin:
    def __init__(self, *records):
        self.records = list(records)

    @snt.hookimpl
    def snt_exports(self):
        return self.records


def test_core_names_always_win():
    plugin = Plugin(Export("AbstractModule", 1, kind="constant"), Export("ok", 2, kind="constant"))
    with pytest.warns(PluginWarning, match="snt-core's snt.AbstractModule wins"):
        with isolated_registry(plugins=[plugin]) as reg:
            assert snt.ok == 2
            assert snt.AbstractModule is not 1  # noqa: F632
            [row] = reg.status()
            assert row.exports == ["ok"] and "AbstractModule" in row.conflicts[0]


def test_third_party_cannot_take_a_reserved_name():
    squatter = Plugin(Export("Linear", 1, kind="constant"))
    with pytest.warns(PluginWarning, match="reserved for snt-nets"):
        with isolated_registry(plugins=[(squatter, "snt-squatter")]):
            with pytest.raises(
                AttributeError, match="provided by snt-nets, which is not installed"
            ):
                snt.Linear  # noqa: B018


def test_owner_may_export_its_reserved_name():
    owner = Plugin(Export("LSTMState", "collections:namedtuple", kind="function"))
    with isolated_registry(plugins=[(owner, "snt-rnn")]):
        assert callable(snt.LSTMState)


def test_same_name_from_two_plugins_neither_wins():
    a = Plugin(Export("Shared", 1, kind="constant"), Export("OnlyA", 1, kind="constant"))
    b = Plugin(Export("Shared", 2, kind="constant"))
    with pytest.warns(PluginWarning, match="neither is used"):
        with isolated_registry(plugins=[(a, "snt-a"), (b, "snt-b")]):
            with pytest.raises(snt.PluginConflictError) as info:
                snt.Shared  # noqa: B018
            message = str(info.value)
            assert "snt-a" in message and "snt-b" in message and "neither is used" in message
            assert "SNT_DISABLE_PLUGINS=snt-b" in message
            assert snt.OnlyA == 1
            assert isinstance(info.value, snt.PluginError)


def test_flat_name_cannot_shadow_a_namespace():
    plugin = Plugin(Export("nets", 1, kind="constant"), Export("ok", 1, kind="constant"))
    with pytest.warns(PluginWarning, match="sub-namespace snt.nets"):
        with isolated_registry(plugins=[plugin]):
            assert snt.ok == 1
            assert snt.nets != 1


def test_identical_duplicates_from_one_plugin_are_merged():
    plugin = Plugin(Export("x", 1, kind="constant"), Export("x", 1, kind="constant"))
    with isolated_registry(plugins=[plugin], strict=True):
        assert snt.x == 1


def test_first_party_distribution_protects_names_core_never_heard_of():
    # "BrandNew" is in no table of snt-core: snt-nets declaring it is enough.
    owner = Plugin(Export("BrandNew", 1, kind="constant"))
    squatter = Plugin(Export("BrandNew", 2, kind="constant"))
    with pytest.warns(PluginWarning, match="BrandNew, a name reserved for snt-nets"):
        with isolated_registry(plugins=[(squatter, "snt-squatter"), (owner, "snt-nets")]):
            assert snt.BrandNew == 1


def test_a_retired_first_party_name_stays_protected():
    class Retiring:
        @snt.hookimpl
        def snt_retired_names(self):
            return [Retired("OldCell", "wrapped tf.contrib; use snt.LSTM")]

    squatter = Plugin(Export("OldCell", 2, kind="constant"))
    with pytest.warns(PluginWarning, match="OldCell, a name reserved for snt-rnn"):
        with isolated_registry(plugins=[(Retiring(), "snt-rnn"), (squatter, "snt-squatter")]):
            with pytest.raises(AttributeError, match="retired by snt-rnn .*: wrapped tf.contrib"):
                snt.OldCell  # noqa: B018
            assert "OldCell" not in dir(snt) and "OldCell" not in snt.plugins.names()


def test_hint_table_name_the_installed_owner_does_not_provide():
    owner = Plugin(Export("LSTM", 1, kind="constant"))
    with isolated_registry(plugins=[(owner, "snt-rnn")]):
        with pytest.raises(AttributeError) as info:
            snt.LSTMBlockCell  # noqa: B018
    message = str(info.value)
    assert "snt.LSTMBlockCell is reserved for snt-rnn, but the installed snt-rnn" in message
    assert "newer" not in message  # no promise a release will bring it
