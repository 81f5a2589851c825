"""The targets of the full-length run (from the demo issue)."""

from __future__ import annotations

from digits_demo.results import ModelResult

MIN_ACCURACY = {"mlp": 0.95, "rnn": 0.90}
#: "Well below" the mean-image baseline: at most this fraction of it.
MAX_MSE_FRACTION_OF_BASELINE = 0.5


def check(results: list[ModelResult]) -> list[str]:
    """Descriptions of the targets ``results`` miss (empty when all are met)."""
    failures = []
    for r in results:
        if r.model in MIN_ACCURACY and r.value < MIN_ACCURACY[r.model]:
            failures.append(f"{r.model} accuracy {r.value:.3f} < {MIN_ACCURACY[r.model]}")
        if r.model == "autoencoder" and r.baseline is not None:
            limit = MAX_MSE_FRACTION_OF_BASELINE * r.baseline
            if r.value > limit:
                failures.append(f"autoencoder MSE {r.value:.4f} > {limit:.4f} (half the baseline)")
    return failures
