"""tqdm progress bars that show a running (exponentially averaged) loss."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from tqdm.auto import tqdm


def train_loop(
    steps: int, description: str, step_fn: Callable[[int], float], smoothing: float = 0.95
) -> Iterator[tuple[int, float]]:
    """Runs ``step_fn(step)`` ``steps`` times under a progress bar.

    Yields ``(step, loss)`` after every step so the caller can log it; the bar
    shows the running average of the loss.
    """
    running: float | None = None
    with tqdm(total=steps, desc=description, unit="step", file=sys.stderr, leave=True) as bar:
        for step in range(steps):
            loss = float(step_fn(step))
            running = loss if running is None else smoothing * running + (1 - smoothing) * loss
            if step % 10 == 0 or step == steps - 1:
                bar.set_postfix(loss=f"{running:.4f}", refresh=False)
            bar.update(1)
            yield step, loss
