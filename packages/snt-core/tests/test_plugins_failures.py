"""Failure isolation, strict mode and kind checks, with in-memory plugins."""

import pytest

import sonnet as snt
from sonnet.plugins import Export, PluginWarning
from sonnet.testing import isolated_registry


class Plugin:
    def __init__(self, *records):
        self.records = list(records)

    @snt.hookimpl
    def snt_exports(self):
        return self.records


class Exploding:
    @snt.hookimpl
    def snt_exports(self):
        raise RuntimeError("boom")


def test_failing_plugin_is_isolated_and_named():
    good = Plugin(Export("fine", 1, kind="constant"))
    with pytest.warns(PluginWarning, match=r"plugin 'Exploding'.*RuntimeError: boom"):
        with isolated_registry(plugins=[Exploding(), good]) as reg:
            assert snt.fine == 1
            bad_row, good_row = reg.status()
            assert (bad_row.status, good_row.status) == ("failed", "ok")
            assert isinstance(bad_row.error, RuntimeError)


def test_unknown_name_mentions_failed_plugins_and_chains():
    with pytest.warns(PluginWarning):
        with isolated_registry(plugins=[Exploding()]):
            with pytest.raises(AttributeError, match="failed to load and might provide") as info:
                snt.SomethingElse  # noqa: B018
            assert isinstance(info.value.__cause__, RuntimeError)


def test_reserved_name_of_failed_owner_raises_plugin_error_chained():
    with pytest.warns(PluginWarning):
        with isolated_registry(plugins=[(Exploding(), "snt-rnn")]):
            with pytest.raises(snt.PluginError, match="provided by snt-rnn") as info:
                snt.LSTM  # noqa: B018
            assert isinstance(info.value.__cause__, RuntimeError)
            assert isinstance(info.value, ImportError)


def test_lazy_target_that_fails_raises_plugin_error_chained():
    plugin = Plugin(Export("Gone", "snt_no_such_module_xyz:Gone"))
    with isolated_registry(plugins=[(plugin, "snt-gone")]):
        with pytest.raises(snt.PluginError, match=r"snt.Gone could not be loaded.*snt-gone") as e:
            snt.Gone  # noqa: B018
        assert isinstance(e.value.__cause__, ModuleNotFoundError)


@pytest.mark.parametrize(
    "export, match",
    [
        (Export("Bad", "collections:OrderedDict"), "does not derive from snt.AbstractModule"),
        (Export("Bad", 3), "is not a class"),
        (Export("Bad", 3, kind="function"), "is not callable"),
    ],
)
def test_kind_is_checked_on_resolution(export, match):
    with isolated_registry(plugins=[Plugin(export)]):
        with pytest.raises(snt.PluginError, match=match):
            snt.Bad  # noqa: B018


def test_records_must_be_exports():
    with pytest.warns(PluginWarning, match="not a sonnet.plugins.Export"):
        with isolated_registry(plugins=[Plugin(("Linear", "x"))]) as reg:
            assert reg.status()[0].status == "failed"


def test_unknown_hook_marks_plugin_failed():
    class FromTheFuture:
        @snt.hookimpl
        def snt_exports(self):
            return []

        @snt.hookimpl
        def snt_future_hook(self):
            return []

    with pytest.warns(PluginWarning, match="snt_future_hook unknown to snt-core"):
        with isolated_registry(plugins=[FromTheFuture()]) as reg:
            assert reg.status()[0].status == "failed"


def test_strict_mode_turns_warnings_into_errors():
    with isolated_registry(plugins=[Exploding()], strict=True):
        with pytest.raises(snt.PluginError, match="SNT_STRICT_PLUGINS") as info:
            snt.anything  # noqa: B018
        assert isinstance(info.value.__cause__, RuntimeError)
