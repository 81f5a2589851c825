"""Smoke test of the digits demo (examples/run_digits_demo.py) in fresh interpreters.

Each model runs two steps (the smallest run that still draws curves: the time
goes to importing TensorFlow and tracing, not training); the test checks the run
completes and writes its outputs: TensorBoard event files with the logged
scalars, the PNG figure, the autoencoder checkpoint and the results table.
``--help`` and bad options are answered before TensorFlow is imported. The
accuracy targets belong to the full-length run (examples/README.md), not to this
test. ``nox -s integration`` installs the examples' requirements
(examples/requirements.txt).
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "run_digits_demo.py"
MODELS = ("mlp", "autoencoder", "rnn")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _demo(*args: str) -> subprocess.CompletedProcess:
    """Runs the demo script in a fresh interpreter with the first-party plugins only.

    (The integration environment also has the misbehaving fixture plugins installed;
    a user's has not.)
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNT_")}
    env["SNT_PLUGINS"] = "snt-nets,snt-rnn,snt-transpose"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return subprocess.run(
        [sys.executable, str(DEMO), *args], env=env, capture_output=True, text=True, timeout=600
    )


def _run_demo(out: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    proc = _demo("--out", str(out), *args)
    assert proc.returncode == 0, f"demo failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    return proc


def _scalar_tags(logdir: pathlib.Path) -> set[str]:
    """Tags of every summary value in the event files under ``logdir``."""
    import tensorflow as tf

    tags = set()
    for path in logdir.glob("events.out.tfevents.*"):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            tags.update(value.tag for value in event.summary.value)
    return tags


@pytest.fixture(scope="module")
def all_models_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "run"
    proc = _run_demo(out, "--model", "all", "--steps", "2")
    return out, proc


def test_prints_the_table(all_models_run):
    out, proc = all_models_run
    for model in MODELS:
        assert f"| {model} " in proc.stdout, proc.stdout
    assert "| model" in proc.stdout and "test metric" in proc.stdout
    assert "all targets met" not in proc.stdout  # targets only for the full-length run
    assert "targets not checked" in proc.stdout and "--steps 2" in proc.stdout
    assert (out / "results.md").read_text().count("\n| ") >= 4


@pytest.mark.parametrize("model", MODELS)
def test_writes_event_files(all_models_run, model):
    out, _ = all_models_run
    logdir = out / "tensorboard" / model
    assert list(logdir.glob("events.out.tfevents.*")), f"no event file in {logdir}"
    test_metric = {"mlp": "test/accuracy", "autoencoder": "test/mse", "rnn": "test/accuracy"}
    assert {"loss", test_metric[model]} <= _scalar_tags(logdir)


def test_prints_no_warnings(all_models_run):
    """Neither the library nor the demo makes TensorFlow or Python warn (stderr has the bars)."""
    _, proc = all_models_run
    noise = [
        line
        for line in proc.stderr.splitlines()
        if "WARNING:tensorflow" in line or "Warning:" in line or "deprecat" in line.lower()
    ]
    assert noise == [], "\n".join(noise)


def test_writes_the_figure(all_models_run):
    out, _ = all_models_run
    png = out / "digits_demo.png"
    assert png.read_bytes()[:8] == PNG_MAGIC
    assert png.stat().st_size > 10_000


def test_writes_the_autoencoder_checkpoint(all_models_run):
    out, proc = all_models_run
    checkpoints = out / "checkpoints" / "autoencoder"
    assert (checkpoints / "checkpoint").is_file()
    assert list(checkpoints.glob("ckpt-1.index"))
    assert list(checkpoints.glob("ckpt-1.data-*"))
    assert "restored into new modules: same test MSE" in proc.stdout
    assert "mean-image baseline" in proc.stdout


def test_one_model_with_mirrored_strategy(tmp_path):
    out = tmp_path / "mirrored"
    proc = _run_demo(out, "--model", "autoencoder", "--steps", "2", "--strategy", "mirrored")
    assert "MirroredStrategy x2" in proc.stdout
    assert "2 replicas, mirrored variables" in proc.stdout
    assert list((out / "tensorboard" / "autoencoder").glob("events.out.tfevents.*"))
    assert not (out / "tensorboard" / "mlp").exists()  # only the chosen model ran
    assert (out / "digits_demo.png").is_file()


def test_help_explains_every_option():
    proc = _demo("--help")
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    for phrase in (
        "which model to train",
        "default: 1500 for mlp, 1500 for autoencoder, 1000 for rnn",
        "run folder for TensorBoard event files",
        "default: runs/digits_demo",
        "MirroredStrategy",
    ):
        assert phrase in text, proc.stdout
    assert "{'mlp'" not in text  # the default steps are not shown as a dict


def test_rejects_bad_options(tmp_path):
    proc = _demo("--out", str(tmp_path), "--steps", "0")
    assert proc.returncode == 2 and "--steps must be at least 1" in proc.stderr
    proc = _demo("--out", str(tmp_path), "--model", "gan")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_target_check_reports_misses(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    from digits_demo import targets
    from digits_demo.results import ModelResult, Samples

    samples = Samples(np.zeros([1, 8, 8]), np.zeros([1]), np.zeros([1]))

    def result(model: str, value: float, baseline: float | None = None) -> ModelResult:
        metric = "MSE" if model == "autoencoder" else "accuracy"
        return ModelResult(model, "m", 1, metric, value, 0.0, [1.0], samples, baseline=baseline)

    good = [result("mlp", 0.96), result("autoencoder", 0.01, 0.07), result("rnn", 0.91)]
    assert targets.check(good) == []
    bad = [result("mlp", 0.94), result("autoencoder", 0.05, 0.07), result("rnn", 0.89)]
    assert [m.split()[0] for m in targets.check(bad)] == ["mlp", "autoencoder", "rnn"]


def _digits_demo(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    from digits_demo import results

    return results


def test_figure_shows_mistakes_first_and_says_how_many(monkeypatch):
    results = _digits_demo(monkeypatch)
    labels = np.arange(20) % 10
    predictions = labels.copy()
    wrong = [3, 7, 11, 12, 15, 18]  # 6 mistakes, the figure has room for 4
    predictions[wrong] = (labels[wrong] + 1) % 10
    images = np.arange(20)[:, None, None] * np.ones([20, 8, 8])
    samples = results.classification_samples(images, predictions, labels)
    np.testing.assert_array_equal(samples.images[:, 0, 0], [3, 7, 11, 12, 0, 1, 2, 4])
    assert list(samples.outputs != samples.labels) == [True] * 4 + [False] * 4
    assert samples.mistakes == 6
    assert samples.caption == "4 of the 6 test mistakes, then 4 correct"


@pytest.mark.parametrize(
    ("wrong", "caption"),
    [
        ([], "no test mistakes; 8 correct test images"),
        ([5], "all 1 test mistake, then 7 correct"),
        ([1, 2, 3, 4], "all 4 test mistakes, then 4 correct"),
    ],
)
def test_figure_caption_with_few_mistakes(monkeypatch, wrong, caption):
    results = _digits_demo(monkeypatch)
    labels = np.arange(12) % 10
    predictions = labels.copy()
    predictions[wrong] = (labels[wrong] + 1) % 10
    samples = results.classification_samples(np.zeros([12, 8, 8]), predictions, labels)
    assert samples.caption == caption
    assert list(samples.outputs != samples.labels) == sorted(
        samples.outputs != samples.labels, reverse=True
    )


def test_reconstructions_caption(monkeypatch):
    results = _digits_demo(monkeypatch)
    samples = results.Samples(np.zeros([8, 8, 8]), np.zeros([8, 8, 8]), np.zeros([8]))
    assert samples.caption == "8 test images (top) and their reconstructions (bottom)"
