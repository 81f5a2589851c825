"""Every hook of the spec is called by the registry; malformed hooks fail the plugin."""

import pathlib

import pytest

import sonnet as snt
from sonnet._hooks import HOOKS
from sonnet.plugins import ConformanceCase, Export, LegacyPath, PluginWarning, Retired
from sonnet.testing import isolated_registry


class Everything:
    """Implements every hook and counts the calls."""

    def __init__(self):
        self.calls = []

    @snt.hookimpl
    def snt_exports(self):
        self.calls.append("snt_exports")
        return [Export("answer", 42, kind="constant")]

    @snt.hookimpl
    def snt_legacy_paths(self):
        self.calls.append("snt_legacy_paths")
        return [LegacyPath("sonnet.python.modules.answers", "answer")]

    @snt.hookimpl
    def snt_retired_names(self):
        self.calls.append("snt_retired_names")
        return [Retired("question", "never had one")]

    @snt.hookimpl
    def snt_conformance_cases(self):
        self.calls.append("snt_conformance_cases")
        return [ConformanceCase("answer", create=object, inputs=tuple)]


def _use_snt_exports():
    assert snt.answer == 42


def _use_snt_legacy_paths():
    from sonnet.python.modules.answers import answer

    assert answer == 42


def _use_snt_retired_names():
    with pytest.raises(AttributeError, match=r"snt.question was retired by .*: never had one"):
        snt.question  # noqa: B018


def _use_snt_conformance_cases():
    [(case, info)] = snt.plugins.conformance_cases()
    assert case.name == "answer" and info.name == "Everything"


#: How a user reaches each hook's records; a hookspec missing here fails the test.
USES = {name[len("_use_") :]: fn for name, fn in globals().items() if name.startswith("_use_")}


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_is_called_and_its_records_used(hook):
    assert hook in USES, f"hook {hook} has no test here: add a _use_{hook} function"
    plugin = Everything()
    with isolated_registry(plugins=[plugin], strict=True):
        USES[hook]()
    assert hook in plugin.calls


def test_a_plugin_implementing_no_optional_hook_is_fine():
    class Minimal:
        @snt.hookimpl
        def snt_exports(self):
            return None  # no records

        def snt_not_a_hook(self):  # not marked: never called
            raise AssertionError

    with isolated_registry(plugins=[Minimal()], strict=True) as reg:
        assert reg.status()[0].status == "ok"
        assert snt.plugins.conformance_cases() == []


def test_an_optional_unknown_hook_is_ignored():
    class Newer:
        @snt.hookimpl(optionalhook=True)
        def snt_from_a_newer_core(self):
            raise AssertionError

    with isolated_registry(plugins=[Newer()], strict=True) as reg:
        assert reg.status()[0].status == "ok"


class TakesArguments:
    @snt.hookimpl
    def snt_exports(self, x):
        return []


class Wrapper:
    @snt.hookimpl(hookwrapper=True)
    def snt_exports(self):
        yield


@pytest.mark.parametrize(
    "plugin, match",
    [
        (TakesArguments(), r"snt_exports\(x\): snt_\* hooks take no arguments"),
        (Wrapper(), "wrappers are not supported"),
    ],
)
def test_malformed_hook_marks_the_plugin_failed(plugin, match):
    with pytest.warns(PluginWarning, match=match):
        with isolated_registry(plugins=[plugin]) as reg:
            assert reg.status()[0].status == "failed"


@pytest.mark.parametrize(
    "hook, record",
    [("snt_legacy_paths", Export("x", 1)), ("snt_retired_names", "x")],
)
def test_records_of_the_wrong_type_fail_the_plugin(hook, record):
    plugin = type("Wrong", (), {hook: staticmethod(snt.hookimpl(lambda: [record]))})
    with pytest.warns(PluginWarning, match=f"failed in {hook}"):
        with isolated_registry(plugins=[plugin]) as reg:
            assert reg.status()[0].status == "failed"


PLUGINS_GUIDE = pathlib.Path(__file__).resolve().parents[3] / "docs" / "plugins.md"


@pytest.mark.skipif(not PLUGINS_GUIDE.exists(), reason="needs the repository's docs/")
@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_is_documented(hook):
    assert f"def {hook}" in PLUGINS_GUIDE.read_text(), f"docs/plugins.md does not show {hook}"
    assert HOOKS[hook].__doc__ and "Example::" in HOOKS[hook].__doc__
