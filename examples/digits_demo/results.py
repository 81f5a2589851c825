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
    """

    images: np.ndarray
    outputs: np.ndarray
    labels: np.ndarray


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
    return np.sort(np.concatenate([wrong, right]))
