"""The default initializers: their values' dtype and statistics, and no TensorFlow warnings."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import tensorflow as tf

from snt_nets import initializers


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def tf_log():
    handler = _Records()
    tf.get_logger().addHandler(handler)
    yield handler.messages
    tf.get_logger().removeHandler(handler)


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
def test_called_without_dtype_uses_the_requested_one(mode, dtype, tf_log):
    shape = [200, 50]
    w = initializers.create_linear_initializer(16, dtype)(shape)
    b = initializers.create_bias_initializer((50,), dtype)([50])
    gamma = initializers.create_gamma_initializer(dtype)([50])
    assert w.dtype == b.dtype == gamma.dtype == dtype
    w_value, b_value, gamma_value = mode.evaluate([w, b, gamma])
    np.testing.assert_array_equal(b_value, np.zeros([50]))
    np.testing.assert_array_equal(gamma_value, np.ones([50]))
    # Truncated normal with stddev 1/sqrt(16): within two stddevs, spread near 0.88 * 0.25.
    w64 = w_value.astype(np.float64)
    assert np.abs(w64).max() <= 2 * 0.25 + 1e-3
    assert 0.18 < w64.std() < 0.26
    assert tf_log == []


def test_a_given_dtype_wins_over_the_default(mode):
    init = initializers.create_weight_initializer((3, 3, 2), tf.float32)
    assert mode.evaluate(init([4, 4], dtype=tf.float64)).dtype == np.float64


def test_integer_dtype_is_refused_like_tensorflow_does():
    with pytest.raises(ValueError, match="floating point"):
        initializers.create_linear_initializer(4, tf.int32)
