"""A minimal diagonal Gaussian for Bayes by Backprop (no TensorFlow Probability needed).

Sonnet 1's builders returned ``tfp.distributions.Normal``. This class offers
the part of that interface the Bayes-by-Backprop getter and the KL builders
use: ``loc``, ``scale``, ``sample()``, ``mean()``, ``log_prob(x)``,
``kl_divergence(other)`` and ``reparameterization_type``. A builder may return
a ``tfp`` distribution instead when TensorFlow Probability is installed.
"""

from __future__ import annotations

import math
from typing import Any

import tensorflow as tf

__all__ = ["FULLY_REPARAMETERIZED", "Normal", "inverse_softplus", "scale_variable_initializer"]

#: The ``reparameterization_type`` of distributions Bayes by Backprop accepts.
FULLY_REPARAMETERIZED = "FULLY_REPARAMETERIZED"


def inverse_softplus(y: float) -> float:
    """The ``x`` with ``softplus(x) == y`` (``y`` must be positive).

    Raises:
      ValueError: ``y`` is not positive.
    """
    if not y > 0:
        raise ValueError(f"inverse_softplus: expected a positive number, got {y!r}.")
    # log(exp(y) - 1) = y + log(1 - exp(-y)), stable for large y.
    return float(y + math.log(-math.expm1(-y)))


def scale_variable_initializer(desired_scale: float) -> Any:
    """A constant initializer making ``softplus(variable) == desired_scale``."""
    return tf.compat.v1.constant_initializer(inverse_softplus(desired_scale))


class Normal:
    """Independent Gaussians with mean ``loc`` and standard deviation ``scale``.

    ``loc`` and ``scale`` broadcast against each other (a scalar prior
    broadcasts over a variable of any shape).

    Args:
      loc: Mean (tensor or variable).
      scale: Positive standard deviation (tensor or variable).
      name: Name used for the ops' name scope.
    """

    reparameterization_type = FULLY_REPARAMETERIZED

    def __init__(self, loc: Any, scale: Any, name: str = "Normal") -> None:
        self.loc = tf.convert_to_tensor(loc)
        self.scale = tf.convert_to_tensor(scale, dtype=self.loc.dtype)
        self.name = name

    @property
    def dtype(self) -> tf.DType:
        return self.loc.dtype

    def _shape(self) -> tf.Tensor:
        return tf.broadcast_dynamic_shape(tf.shape(self.loc), tf.shape(self.scale))

    def mean(self) -> tf.Tensor:
        """The mean, broadcast to the distribution's shape."""
        return tf.broadcast_to(self.loc, self._shape())

    def sample(self, seed: int | None = None) -> tf.Tensor:
        """One reparameterized sample ``loc + scale * eps``, ``eps ~ N(0, 1)``."""
        noise = tf.random.normal(self._shape(), dtype=self.dtype, seed=seed)
        return self.loc + self.scale * noise

    def log_prob(self, x: Any) -> tf.Tensor:
        """Element-wise log density at ``x``."""
        z = (tf.convert_to_tensor(x, dtype=self.dtype) - self.loc) / self.scale
        return -0.5 * tf.square(z) - tf.math.log(self.scale) - 0.5 * math.log(2.0 * math.pi)

    def kl_divergence(self, other: Normal) -> tf.Tensor:
        """Element-wise ``KL(self || other)`` between two Gaussians.

        Raises:
          TypeError: ``other`` has no ``loc`` and ``scale``.
        """
        if not (hasattr(other, "loc") and hasattr(other, "scale")):
            raise TypeError(
                f"Normal.kl_divergence: expected a Gaussian with loc and scale, got "
                f"{type(other).__name__}."
            )
        other_scale = tf.convert_to_tensor(other.scale, dtype=self.dtype)
        other_loc = tf.convert_to_tensor(other.loc, dtype=self.dtype)
        ratio = tf.square(self.scale / other_scale)
        diff = tf.square((self.loc - other_loc) / other_scale)
        return 0.5 * (ratio + diff - 1.0 - tf.math.log(ratio))
