"""The data: scikit-learn's bundled 8x8 digits, split once with a fixed seed.

``sklearn.datasets.load_digits`` reads 1,797 real handwritten digits shipped
inside the scikit-learn package, so nothing is downloaded.
"""

from __future__ import annotations

import dataclasses

import numpy as np

IMAGE_SIZE = 8
NUM_CLASSES = 10
TEST_FRACTION = 0.2


@dataclasses.dataclass(frozen=True)
class Digits:
    """A train/test split of the digits.

    Attributes:
      x_train, x_test: float32 images ``[N, 8, 8]`` scaled to ``[0, 1]``.
      y_train, y_test: int32 labels ``[N]`` in ``0..9``.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def flat_train(self) -> np.ndarray:
        """Training images as ``[N, 64]`` vectors."""
        return self.x_train.reshape(len(self.x_train), -1)

    @property
    def flat_test(self) -> np.ndarray:
        """Test images as ``[N, 64]`` vectors."""
        return self.x_test.reshape(len(self.x_test), -1)


def load(seed: int = 0) -> Digits:
    """Loads the digits and makes a stratified split (20% test) with ``seed``."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    images = (bunch.images / 16.0).astype(np.float32)  # pixel values are 0..16
    labels = bunch.target.astype(np.int32)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=TEST_FRACTION, random_state=seed, stratify=labels
    )
    return Digits(x_train, y_train, x_test, y_test)


class BatchSampler:
    """Random minibatches of indices, reproducible from ``seed``."""

    def __init__(self, size: int, batch_size: int, seed: int) -> None:
        self._size = size
        self._batch_size = min(batch_size, size)
        self._rng = np.random.default_rng(seed)
        self._order = np.empty(0, dtype=np.int64)

    def next(self) -> np.ndarray:
        """The next batch of indices (a new permutation after each epoch)."""
        if len(self._order) < self._batch_size:
            self._order = np.concatenate([self._order, self._rng.permutation(self._size)])
        batch, self._order = self._order[: self._batch_size], self._order[self._batch_size :]
        return batch
