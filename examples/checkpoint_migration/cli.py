"""Command line: stage 1 in a child process (TF1), stage 2 here (TF2), the results line."""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import time

STAGE1 = pathlib.Path(__file__).with_name("sonnet1_train.py")
SEED = 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="run_checkpoint_migration.py",
        description="Train a Sonnet 1 model in TF1 graph mode, save it with a Saver, then "
        "restore it eagerly with snt.restore_from_checkpoint and fine-tune it with tf.function.",
    )
    parser.add_argument("--steps", type=int, default=400, help="TF1 training steps")
    parser.add_argument("--finetune-steps", type=int, default=200, help="TF2 fine-tuning steps")
    parser.add_argument(
        "--out", type=pathlib.Path, default=pathlib.Path("runs/checkpoint_migration")
    )
    args = parser.parse_args(argv)
    if args.steps < 1 or args.finetune_steps < 0:
        parser.error("--steps must be at least 1 and --finetune-steps at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """Runs both stages; returns 1 if the restored outputs differ from the writer's."""
    args = parse_args(argv)
    out: pathlib.Path = args.out
    shutil.rmtree(out / "sonnet1", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    print(f"stage 1: {STAGE1.name} in a TF1 process (tf.disable_v2_behavior)", flush=True)
    stage1 = [sys.executable, str(STAGE1), "--out", str(out), "--steps", str(args.steps)]
    if subprocess.run(stage1, env=dict(os.environ), check=False).returncode:
        print("stage 1 failed", file=sys.stderr)
        return 1

    import numpy as np
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    from digits_demo.data import load

    from checkpoint_migration import finetune

    checkpoint = tf.train.latest_checkpoint(str(out / "sonnet1"))
    print(f"stage 2: TF2 eager process restores {checkpoint}", flush=True)
    writer_logits = np.load(out / "writer_logits.npy")
    outcome = finetune.run(checkpoint, writer_logits, load(seed=SEED), args.finetune_steps, SEED)
    report = outcome.report
    print(report)
    print(f"  optimizer state left in the checkpoint: {', '.join(report.optimizer_state[:4])}, ...")
    print(
        f"  also restored into a second instance, scope {outcome.frozen_scope!r} "
        "(uniquified eagerly), from the same keys"
    )
    same = "identical" if outcome.identical else f"DIFFERENT (max |diff| {outcome.max_difference})"
    total = time.perf_counter() - start
    print(
        f"results: restored {len(report.restored)} variables (prefix {report.prefix!r}, "
        f"{len(report.optimizer_state)} optimizer entries left), outputs {same} on "
        f"{len(writer_logits)} test images (eager and tf.function), test accuracy "
        f"{outcome.accuracy_before:.1%} -> {outcome.accuracy_after:.1%} after "
        f"{args.finetune_steps} fine-tuning steps; {total:.0f} s in all"
    )
    return 0 if outcome.identical else 1
