"""A Sonnet 1 program (tf.compat.v1 graph mode, legacy imports) runs end to end."""

from __future__ import annotations

import json
import pathlib

PROGRAM = pathlib.Path(__file__).with_name("sonnet1_program.py")


def test_sonnet1_style_program_trains_saves_and_restores(run_python, tmp_path):
    proc = run_python("", str(PROGRAM))
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULTS")]
    assert proc.returncode == 0 and lines, f"{proc.stdout}\n{proc.stderr}"
    results = json.loads(lines[-1][len("RESULTS") :])
    assert results["not_connected_error"] is True
    assert results["shared"] is True
    first, last = results["loss"]
    assert last < first * 0.7
    assert "sequence_classifier/lstm/w_gates" in results["variable_names"]
    assert "sequence_classifier/embed/w" in results["variable_names"]
    assert results["format_variables"] is True
    assert results["conv_constants"] == ["SAME", ["NCHW", "NHWC"], "supported"]
    assert results["rnn_paths"] is True
    assert results["image_shape"] == [2, 2]
    assert results["context"] == [True, True]
    assert results["non_trainable"] == [2, 0]
    assert results["bbb_fresh_noise"] is True
    assert results["kl_finite"] is True
    assert results["scaled_grad_finite"] is True
    assert results["restored"] is True
