"""Export and ConformanceCase records, environment switches, version checks."""

import pytest

from sonnet.plugins import ConformanceCase, Export, LegacyPath, Retired
from sonnet.plugins._discover import PluginEnv, core_requirement_problem


def test_export_defaults_and_qualname():
    e = Export("MLP", "snt_nets.mlp:MLP", namespace="nets")
    assert (e.kind, e.qualname, e.is_lazy) == ("module", "nets.MLP", True)
    assert Export("x", 3, kind="constant").is_lazy is False


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"name": "not an id", "target": 1}, "identifier"),
        ({"name": "_private", "target": 1}, "public"),
        ({"name": "A", "target": 1, "kind": "class"}, "kind must be one of"),
        ({"name": "A", "target": "no colon allowed!"}, "lazy references"),
        ({"name": "A", "target": 1, "namespace": "a.b"}, "identifier"),
        ({"name": "A", "target": "m", "kind": "namespace", "namespace": "x"}, "nested"),
    ],
)
def test_export_rejects_bad_fields(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Export(**kwargs)


def test_export_is_frozen():
    e = Export("A", "m:A")
    with pytest.raises(AttributeError):
        e.name = "B"


def test_conformance_case_checks_callables():
    case = ConformanceCase("Linear", create=object, inputs=tuple)
    assert case.kwargs == {}
    with pytest.raises(TypeError, match="create must be callable"):
        ConformanceCase("Linear", create=1, inputs=tuple)


def test_env_parsing():
    env = PluginEnv.from_environ(
        {"SNT_PLUGINS": "nets, snt_rnn", "SNT_DISABLE_PLUGINS": "x", "SNT_STRICT_PLUGINS": "1"}
    )
    assert env.allow == {"nets", "snt-rnn"} and env.block == {"x"} and env.strict
    assert env.refusal("nets", "snt-nets") is None
    assert env.refusal("rnn", "snt-rnn") is None
    assert "not listed in SNT_PLUGINS" in env.refusal("dummy", "snt-dummy")
    assert "SNT_DISABLE_PLUGINS" in env.refusal("x", "snt-x")
    assert PluginEnv.from_environ({}) == PluginEnv()
    core_only = PluginEnv.from_environ({"SNT_PLUGINS": ""})
    assert "core only" in core_only.refusal("nets", "snt-nets")
    assert not PluginEnv.from_environ({"SNT_STRICT_PLUGINS": "0"}).strict


@pytest.mark.parametrize(
    "requires, problem",
    [
        (["snt-core>=0.1,<0.2"], None),
        (["numpy", "snt_core>=9"], "requires snt-core>=9 but snt-core 0.1.0 is installed"),
        (["snt-core<0.1"], "requires snt-core<0.1 but snt-core 0.1.0 is installed"),
        (['snt-core>=9; python_version < "3"'], None),
        (['snt-core>=9; extra == "foo"'], None),
        ([], None),
    ],
)
def test_core_requirement_problem(requires, problem):
    assert core_requirement_problem(requires, "0.1.0") == problem


def test_legacy_path_names_as_string_or_mapping():
    lp = LegacyPath("sonnet.python.modules.nets", "nets.MLP Linear")
    assert lp.table == {"MLP": "nets.MLP", "Linear": "Linear"}
    lp = LegacyPath("sonnet.python.modules.conv", {"_fill_shape": "snt_nets.conv_utils:fill"})
    assert lp.table == {"_fill_shape": "snt_nets.conv_utils:fill"}
    assert lp == LegacyPath(
        "sonnet.python.modules.conv", {"_fill_shape": "snt_nets.conv_utils:fill"}
    )
    assert len({lp, lp}) == 1


@pytest.mark.parametrize(
    "path, names, match",
    [
        ("snt.basic", "Linear", "must start with 'sonnet.python'"),
        ("sonnet.python.modules.my-file", "Linear", "identifier"),
        ("sonnet.python.modules.basic", {"not id": "Linear"}, "identifier"),
        ("sonnet.python.modules.basic", {"Linear": "snt_nets.linear:"}, "reference"),
        ("sonnet.python.modules.basic", {"Linear": "a b"}, "reference"),
        ("sonnet.python.modules.basic", ["Linear"], "str or a mapping"),
    ],
)
def test_legacy_path_rejects_bad_fields(path, names, match):
    with pytest.raises(ValueError, match=match):
        LegacyPath(path, names)


def test_retired_record():
    r = Retired("OldNet", "use snt.nets.MLP", namespace="nets")
    assert r.qualname == "nets.OldNet"
    with pytest.raises(ValueError, match="reason"):
        Retired("Old", " ")
    with pytest.raises(ValueError, match="public"):
        Retired("_old", "gone")
