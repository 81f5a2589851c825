"""Smoke test of examples/run_checkpoint_migration.py: TF1 writer process, TF2 reader.

A few training and fine-tuning steps only; the test checks that the second
process restored every variable, reproduced the writer's outputs exactly and
fine-tuned, and that the checkpoint is a TF1 name-based one.
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "run_checkpoint_migration.py"


def test_checkpoint_migration_runs_small(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNT_")}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    argv = [sys.executable, str(SCRIPT), "--steps", "20", "--finetune-steps", "5"]
    proc = subprocess.run(
        [*argv, "--out", str(tmp_path)], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr[-4000:]}"
    [results] = [line for line in proc.stdout.splitlines() if line.startswith("results: ")]
    assert "restored 12 variables (prefix 'digits_convnet/', 9 optimizer entries left)" in results
    assert "outputs identical on 360 test images (eager and tf.function)" in results
    assert re.search(r"test accuracy \d+\.\d% -> \d+\.\d% after 5 fine-tuning steps", results)
    assert "scope 'digits_convnet_1' (uniquified eagerly)" in proc.stdout
    assert "sonnet1 (TF1 graph + Session)" in proc.stderr  # the tqdm bars
    assert "fine-tune (eager + tf.function)" in proc.stderr
    keys = tf.train.load_checkpoint(str(tmp_path / "sonnet1" / "model.ckpt-20"))
    shapes = keys.get_variable_to_shape_map()
    assert shapes["digits_convnet/batch_norm_0/moving_mean"] == [1, 1, 1, 16]
    assert "digits_convnet/conv_0/w/Momentum" in shapes and "global_step" in shapes


def test_rejects_bad_options(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--steps", "0", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2 and "--steps must be at least 1" in proc.stderr
