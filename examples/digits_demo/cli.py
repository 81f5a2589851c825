"""Command line of the digits demo: parse options, run the models, report.

Outputs, under the run folder (``--out``, default ``runs/digits_demo``):
``tensorboard/<model>/`` event files, ``checkpoints/autoencoder/``,
``digits_demo.png`` and ``results.md`` (the printed table).
"""

from __future__ import annotations

import argparse
import datetime
import pathlib
import shutil
import sys
import time

MODELS = ("mlp", "autoencoder", "rnn")
#: ``--strategy`` values (digits_demo/strategy.py; imported late: it imports TensorFlow,
#: which ``--help`` does not need).
STRATEGIES = ("none", "mirrored")
#: Steps of the full-length run, per model (``--steps`` overrides all three).
DEFAULT_STEPS = {"mlp": 1500, "autoencoder": 1500, "rnn": 1000}
SEED = 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parses the options (see ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="run_digits_demo.py",
        description="Trains three Sonnet models on scikit-learn's bundled 8x8 digits.",
    )
    parser.add_argument(
        "--model",
        choices=(*MODELS, "all"),
        default="all",
        help="which model to train: mlp (graph mode + Session), autoencoder (eager, "
        "checkpoint round trip) or rnn (eager LSTMs); default: all three",
    )
    defaults = ", ".join(f"{steps} for {model}" for model, steps in DEFAULT_STEPS.items())
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        metavar="N",
        help=f"training steps for every chosen model (default: {defaults}); the "
        "accuracy/MSE targets are checked only with the default",
    )
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        default=pathlib.Path("runs/digits_demo"),
        metavar="DIR",
        help="run folder for TensorBoard event files, checkpoints, digits_demo.png and "
        "results.md (default: %(default)s)",
    )
    parser.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="none",
        help="mirrored: tf.distribute.MirroredStrategy over 2 logical CPUs for the TF2 models",
    )
    args = parser.parse_args(argv)
    if args.steps is not None and args.steps < 1:
        parser.error("--steps must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Runs the demo; returns the exit code (1 when a full-length target is missed)."""
    args = parse_args(argv)
    from digits_demo import strategy as strategies  # imports TensorFlow

    strategy = strategies.make(args.strategy)  # before TensorFlow initializes its devices

    from digits_demo import data as data_lib
    from digits_demo import plotting, targets
    from digits_demo.results import format_table

    models = MODELS if args.model == "all" else (args.model,)
    out: pathlib.Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for model in models:  # this run's folders only
        shutil.rmtree(out / "tensorboard" / model, ignore_errors=True)
        shutil.rmtree(out / "checkpoints" / model, ignore_errors=True)

    start = time.perf_counter()
    data = data_lib.load(seed=SEED)
    print(
        f"digits: {len(data.y_train)} train / {len(data.y_test)} test images (8x8), "
        f"run folder {out}",
        flush=True,
    )
    results = [_run(model, data, args, strategy) for model in models]
    figure = plotting.save_figure(results, out / "digits_demo.png")
    table = format_table(results)
    total = time.perf_counter() - start
    print()
    print(table)
    print(f"\ntotal {total:.1f} s; TensorBoard: tensorboard --logdir {out / 'tensorboard'}")
    print(f"figure: {figure}")
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    command = " ".join(["python examples/run_digits_demo.py", *(argv or sys.argv[1:])])
    (out / "results.md").write_text(f"`{command}` ({stamp}, {total:.0f} s)\n\n{table}\n")
    if args.steps is None:
        failures = targets.check(results)
        for failure in failures:
            print(f"TARGET MISSED: {failure}", file=sys.stderr)
        if failures:
            return 1
        print("all targets met")
    else:
        steps = f"--steps {args.steps}"
        print(f"targets not checked: they apply to the default number of steps, not {steps}")
    return 0


def _run(model: str, data, args: argparse.Namespace, strategy):  # noqa: ANN001 - lazy imports
    """Trains one model with its default or the requested number of steps."""
    steps = args.steps or DEFAULT_STEPS[model]
    logdir = args.out / "tensorboard" / model
    if model == "mlp":
        from digits_demo import mlp_graph

        return mlp_graph.train(data, steps, logdir, SEED)
    if model == "autoencoder":
        from digits_demo import autoencoder

        checkpoints = args.out / "checkpoints" / model
        return autoencoder.train(data, steps, logdir, checkpoints, SEED, strategy)
    from digits_demo import rnn

    return rnn.train(data, steps, logdir, SEED, strategy)
