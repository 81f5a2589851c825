"""Modules accept NumPy arrays as inputs, like TensorFlow ops do."""

import numpy as np
import pytest

import sonnet as snt


def test_conv2d_accepts_numpy(mode):
    x = np.ones([1, 4, 4, 2], np.float32)
    conv = snt.Conv2D(3, 2, initializers={"w": lambda *a, **k: np.ones([2, 2, 2, 3], np.float32)})
    out = mode.evaluate(conv(x))
    assert out.shape == (1, 4, 4, 3)
    np.testing.assert_allclose(out[0, 0, 0], [8.0, 8.0, 8.0])


def test_conv2d_rejects_integer_numpy(mode):
    conv = snt.Conv2D(3, 2, name="int_conv")
    with pytest.raises(
        TypeError, match="int_conv: Input must have dtype tf.float16, .*but dtype was int32"
    ):
        conv(np.ones([1, 4, 4, 2], np.int32))
