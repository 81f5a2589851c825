"""Smoke test of examples/run_rmc_digits.py: a tiny RelationalMemory trained for 3 steps.

Runs in this interpreter (TensorFlow is imported already, which keeps the test
to a few seconds); the 95% accuracy target belongs to the default-length run
(examples/README.md), not to this test. ``nox -s integration`` installs the
examples' requirements (scikit-learn, tqdm).
"""

from __future__ import annotations

import importlib.util
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "run_rmc_digits.py"
SMALL = ["--steps", "3", "--mem-slots", "2", "--head-size", "4", "--num-heads", "1"]


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("run_rmc_digits", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_small_run_prints_the_results_line(example, capsys):
    assert example.main([*SMALL, "--num-blocks", "1"]) == 0
    out, err = capsys.readouterr()
    line = re.search(
        r"rmc: test accuracy (\d+\.\d)% on 360 images after 3 steps \(final loss [\d.]+\); "
        r"([\d,]+) parameters, (\d+) variables",
        out,
    )
    assert line, out
    accuracy, parameters, variables = float(line[1]), line[2], int(line[3])
    assert 0.0 <= accuracy <= 100.0
    # readout 2 + RMC: input projection 2, MLP 4, one block 2 + 6, gates 4.
    assert variables == 20
    assert "target" not in out  # the target is checked only with the default options
    assert "rmc (tf.function)" in err  # the progress bar
    assert int(parameters.replace(",", "")) > 0


def test_rejects_bad_options(example, capsys):
    with pytest.raises(SystemExit) as info:
        example.main(["--steps", "0"])
    assert info.value.code == 2
    assert "--steps must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        example.main(["--num-heads", "-2"])
    assert "--num-heads must be at least 1" in capsys.readouterr().err
