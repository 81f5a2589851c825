"""What each model's run returns, and the final table."""

from __future__ import annotations

import dataclasses

import numpy as np


@dataclasses.dataclass
class Samples:
    """A few test examples for the figure.

    Attributes:
      images: ``[K, 8, 8]`` inputs.
      outputs: ``[K, 8, 8]`` reconstructions, or ``[K]`` predicted labels.
      labels: ``[K]`` true labels.
      mistakes: for a classifier, how many test images it got wrong in all (the
        figure shows up to half of ``K`` of them first, then correct ones).
    """

    images: np.ndarray
    outputs: np.ndarray
    labels: np.ndarray
    mistakes: int | None = None

    @property
    def caption(self) -> str:
        """What the figure's row shows, e.g. "4 of the 10 test mistakes, then 4 correct"."""
        if self.mistakes is None:
            return f"{len(self.images)} test images (top) and their reconstructions (bottom)"
        wrong = int(np.sum(self.outputs != self.labels))
        right = len(self.outputs) - wrong
        if self.mistakes == 0:
            return f"no test mistakes; {right} correct test images"
        shown = f"{wrong} of the {self.mistakes}" if wrong < self.mistakes else f"all {wrong}"
        noun = "mistake" if self.mistakes == 1 else "mistakes"
        return f"{shown} test {noun}, then {right} correct"


@dataclasses.dataclass
class ModelResult:
    """The outcome of training one model.

    Attributes:
      model: short model name (``mlp``, ``autoencoder``, ``rnn``).
      mode: how it ran (e.g. ``graph + Session``).
      parameters: number of trainable scalars.
      metric: name of the test metric (``accuracy``, ``MSE``).
      value: the test metric.
      seconds: wall time of building, training and evaluating.
      losses: training loss per step.
      samples: test examples with the model's outputs, for the figure.
      notes: extra lines printed under the table (baselines, checks).
      baseline: the metric of a trivial predictor, when there is one.
    """

    model: str
    mode: str
    parameters: int
    metric: str
    value: float
    seconds: float
    losses: list[float]
    samples: Samples
    notes: list[str] = dataclasses.field(default_factory=list)
    baseline: float | None = None

    @property
    def metric_text(self) -> str:
        """The metric formatted for the table (``accuracy 97.2%``, ``MSE 0.0123``)."""
        if self.metric == "accuracy":
            return f"accuracy {100 * self.value:.1f}%"
        return f"{self.metric} {self.value:.4f}"


HEADERS = ("model", "mode", "parameters", "test metric", "seconds")


def format_table(results: list[ModelResult]) -> str:
    """A plain-text (Markdown-compatible) table of ``results``, then their notes."""
    rows = [HEADERS] + [
        (r.model, r.mode, f"{r.parameters:,}", r.metric_text, f"{r.seconds:.1f}") for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(rows[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows[1:]]
    notes = [f"{r.model}: {note}" for r in results for note in r.notes]
    return "\n".join(out + ([""] + notes if notes else []))


def count_parameters(variables: list) -> int:
    """Number of scalars in ``variables`` (anything with a static ``shape``)."""
    return int(sum(np.prod(v.shape.as_list(), dtype=np.int64) for v in variables))


def pick_examples(predictions: np.ndarray, labels: np.ndarray, k: int = 8) -> np.ndarray:
    """Indices of ``k`` test examples to show: up to ``k // 2`` mistakes, then correct ones."""
    wrong = np.flatnonzero(predictions != labels)[: k // 2]
    right = np.flatnonzero(predictions == labels)[: k - len(wrong)]
    return np.concatenate([wrong, right])


def classification_samples(
    images: np.ndarray, predictions: np.ndarray, labels: np.ndarray, k: int = 8
) -> Samples:
    """The figure's row for a classifier: mistakes first (see :func:`pick_examples`)."""
    shown = pick_examples(predictions, labels, k)
    mistakes = int(np.sum(predictions != labels))
    return Samples(images[shown], predictions[shown], labels[shown], mistakes=mistakes)
