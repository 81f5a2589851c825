"""``python -m sonnet``: the report from an isolated registry, and subcommand dispatch."""

import json
import sys
import types

import sonnet as snt
from sonnet import __main__ as cli
from sonnet.plugins import Export, LegacyPath, Retired
from sonnet.testing import isolated_registry


class Reported:
    @snt.hookimpl
    def snt_exports(self):
        return [Export("Shown", 1, kind="constant"), Export("AbstractModule", 2, kind="constant")]

    @snt.hookimpl
    def snt_legacy_paths(self):
        return [LegacyPath("sonnet.python.modules.shown", "Shown")]

    @snt.hookimpl
    def snt_retired_names(self):
        return [Retired("Hidden", "use snt.Shown")]


def test_json_and_text_report(capsys, monkeypatch):
    for var in ("SNT_PLUGINS", "SNT_DISABLE_PLUGINS", "SNT_STRICT_PLUGINS"):
        monkeypatch.delenv(var, raising=False)
    with isolated_registry(plugins=[(Reported(), "snt-reported")]):
        assert cli.main(["--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        [row] = report["plugins"]
        assert (row["exports"], row["retired"]) == (["Shown"], ["Hidden"])
        assert row["legacy"] == ["sonnet.python.modules.shown"]
        assert "AbstractModule" in row["conflicts"][0]
        assert any("snt-core's snt.AbstractModule wins" in p for p in report["problems"])
        assert report["tensorflow_problem"] is None and report["tensorflow"]
        assert cli.main(["plugins"]) == 0
        text = capsys.readouterr().out
    assert "Reported  [snt-reported (unknown version)]  ok" in text
    assert "exports (1): Shown" in text and "retired (1): Hidden" in text
    assert "legacy (1): sonnet.python.modules.shown" in text
    assert "Problems (warnings at the first lookup):" in text


def test_checkpoint_subcommand_is_dispatched_lazily(monkeypatch):
    seen = []
    fake = types.ModuleType("sonnet._checkpoint_cli")
    fake.main = lambda argv: seen.append(argv) or 3
    monkeypatch.setitem(sys.modules, "sonnet._checkpoint_cli", fake)
    assert cli.main(["checkpoint", "/tmp/ckpt", "--json"]) == 3
    assert seen == [["/tmp/ckpt", "--json"]]
