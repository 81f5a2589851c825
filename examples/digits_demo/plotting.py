"""The one PNG figure: training curves, then a few test examples per model."""

from __future__ import annotations

import pathlib

import matplotlib

matplotlib.use("Agg")  # files only, no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from digits_demo.results import ModelResult  # noqa: E402


def _smooth(values: list[float], weight: float = 0.95) -> np.ndarray:
    """Exponential moving average (what the progress bar shows)."""
    out, running = [], values[0] if values else 0.0
    for v in values:
        running = weight * running + (1 - weight) * v
        out.append(running)
    return np.asarray(out)


def _curves(subfig: plt.Figure, results: list[ModelResult]) -> None:
    axes = np.atleast_1d(subfig.subplots(1, len(results)))
    for ax, r in zip(axes, results, strict=True):
        steps = np.arange(len(r.losses))
        ax.plot(steps, r.losses, alpha=0.3, linewidth=0.8, label="per step")
        ax.plot(steps, _smooth(r.losses), linewidth=1.5, label="running")
        ax.set_yscale("log")
        ax.set_title(f"{r.model}: training loss", fontsize=9)
        ax.set_xlabel("step", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7)


def _examples(subfig: plt.Figure, result: ModelResult) -> None:
    samples = result.samples
    reconstructions = samples.outputs.ndim == 3
    rows = 2 if reconstructions else 1
    axes = np.asarray(subfig.subplots(rows, len(samples.images))).reshape(rows, -1)
    for i, image in enumerate(samples.images):
        axes[0, i].imshow(image, cmap="gray_r", vmin=0, vmax=1)
        if reconstructions:
            axes[1, i].imshow(np.clip(samples.outputs[i], 0, 1), cmap="gray_r", vmin=0, vmax=1)
        else:
            ok = samples.outputs[i] == samples.labels[i]
            axes[0, i].set_title(
                f"{samples.outputs[i]} ({samples.labels[i]})",
                fontsize=8,
                color="green" if ok else "red",
            )
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    what = "" if reconstructions else "; titles: predicted (true), red when wrong"
    subfig.suptitle(f"{result.model}: {samples.caption}{what}", fontsize=9)


def save_figure(results: list[ModelResult], path: pathlib.Path) -> pathlib.Path:
    """Draws curves and examples of ``results`` into the PNG ``path``."""
    heights = [2.4] + [2.2 if r.samples.outputs.ndim == 3 else 1.4 for r in results]
    fig = plt.figure(figsize=(10, sum(heights)), layout="constrained")
    subfigs = fig.subfigures(len(heights), 1, height_ratios=heights)
    subfigs = np.atleast_1d(subfigs)
    _curves(subfigs[0], results)
    for subfig, result in zip(subfigs[1:], results, strict=True):
        _examples(subfig, result)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
