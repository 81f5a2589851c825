"""``python -m sonnet checkpoint``: listing a checkpoint, lining it up with a module."""

import json

import numpy as np
import pytest
from checkpoint_helpers import write_net_checkpoint, write_variables

from sonnet import __main__ as sonnet_main
from sonnet._checkpoint_cli import main


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_net_checkpoint(tmp_path_factory.mktemp("net"))


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_variables_shapes_and_optimizer_state(eager, capsys, written):
    code, out, _ = _run(capsys, written.path)
    assert code == 0
    lines = out.splitlines()
    # 4 variables, 4 Momentum slots, global_step; 4*5 + 5 + 5*3 + 3 = 43 model values.
    assert (
        lines[0] == f"checkpoint {written.path}: 9 variables (5 optimizer state); 43 model values"
    )
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert rows["net/dense_0/w"] == ["[4,", "5]", "float32"]
    assert rows["net/dense_0/w/Momentum"] == ["[4,", "5]", "float32", "optimizer"]
    assert rows["global_step"] == ["[]", "int64", "optimizer"]


def test_lists_as_json(eager, capsys, written):
    code, out, _ = _run(capsys, written.path, "--json")
    report = json.loads(out)
    assert code == 0 and report["checkpoint"] == written.path
    by_key = {v["key"]: v for v in report["variables"]}
    assert by_key["net/dense_1/b"] == {
        "key": "net/dense_1/b",
        "shape": [3],
        "dtype": "float32",
        "optimizer_state": False,
    }
    assert by_key["global_step"]["optimizer_state"] is True


def test_lines_up_a_module(eager, capsys, written):
    code, out, _ = _run(capsys, written.path, "--module", "checkpoint_helpers:net_and_inputs")
    assert code == 0
    assert "module scope 'net', 6 variables; checkpoint prefix 'net/' (inferred)" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("  ")}
    assert rows["dense_0/w"] == ["dense_0/w", "[4,", "5]", "net/dense_0/w", "[4,", "5]", "ok"]
    assert rows["extra/b"] == ["extra/b", "[3]", "net/extra/b", "-", "MISSING"]
    assert "optimizer state (never restored): 5: global_step, net/dense_0/b/Momentum" in out
    assert "result: 4 would be restored (0 reshaped), 2 missing, 0 skipped, 0 mismatched" in out
    code, _, _ = _run(
        capsys, written.path, "--module", "checkpoint_helpers:net_and_inputs", "--strict"
    )
    assert code == 1


def test_prefix_map_and_graph_factory(eager, capsys, written):
    argv = [written.path, "--module", "checkpoint_helpers:placeholder_net", "--graph"]
    code, out, _ = _run(capsys, *argv, "--prefix", "net", "--map", "dense_1/w=", "--json")
    report = json.loads(out)
    assert code == 0 and report["prefix"] == "net/"
    status = {v["name"]: (v["key"], v["status"]) for v in report["variables"]}
    assert status == {
        "dense_0/b": ("net/dense_0/b", "restore"),
        "dense_0/w": ("net/dense_0/w", "restore"),
        "dense_1/b": ("net/dense_1/b", "restore"),
        "dense_1/w": (None, "skip"),
    }
    assert report["unexpected"] == ["net/dense_1/w"]


def test_reshape_and_mismatch_rows(eager, capsys, tmp_path):
    stats = {
        "norm/moving_mean": np.zeros([3], np.float32),
        "norm/moving_variance": np.ones([1, 3], np.float32),
        "norm/beta": np.zeros([2, 3], np.float32),
    }
    path = write_variables(tmp_path, stats)
    code, out, _ = _run(capsys, path, "--module", "checkpoint_helpers:video_norm")
    assert code == 1  # the restore would refuse beta
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert rows["moving_mean"].split()[-1] == "reshape" and "[3]" in rows["moving_mean"]
    assert rows["beta"].endswith("[2, 3]            SHAPE MISMATCH")
    assert "result: 2 would be restored (2 reshaped), 0 missing, 0 skipped, 1 mismatched" in out


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["--module", "checkpoint_helpers"], 2, "expected package.module:function"),
        (["--module", "no_such_pkg:f"], 2, "cannot load it (ModuleNotFoundError"),
        (["--module", "checkpoint_helpers:nope"], 2, "cannot load it (AttributeError"),
        (["--module", "checkpoint_helpers:INPUTS"], 2, "INPUTS is not callable"),
        (["--module", "checkpoint_helpers:not_a_module"], 2, "expected a Sonnet module"),
        (["--module", "checkpoint_helpers:unconnected_net"], 2, "'net' is not connected"),
    ],
)
def test_errors(eager, capsys, written, argv, code, message):
    got, out, err = _run(capsys, written.path, *argv)
    assert got == code and message in err and out == ""


def test_nothing_found(eager, capsys, written):
    argv = [written.path, "--module", "checkpoint_helpers:connected_net", "--prefix", "x/"]
    code, out, err = _run(capsys, *argv)
    assert code == 1 and "prefix 'x/'; pass --prefix or --map" in err
    assert "result: 0 would be restored (0 reshaped), 4 missing" in out


def test_usage_errors(eager, capsys, tmp_path, written):
    assert _run(capsys, str(tmp_path / "nope"))[0] == 2
    with pytest.raises(SystemExit) as exit_info:
        main([written.path, "--map", "no-equals-sign"])
    assert exit_info.value.code == 2
    assert "--map expects NAME=KEY, got 'no-equals-sign'" in capsys.readouterr().err


def test_python_dash_m_sonnet_dispatches(eager, capsys, written):
    assert sonnet_main.main(["checkpoint", written.path]) == 0
    assert "net/dense_0/w" in capsys.readouterr().out
