"""snt.Module wraps a function into a module with shared variables."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

v1 = tf.compat.v1


def scaled_sum(x, offset=0.0):
    w = v1.get_variable("w", [x.shape[-1], 1], initializer=tf.constant_initializer(2.0))
    return tf.matmul(x, w) + offset


def test_module_shares_variables_and_passes_kwargs(mode):
    mod = snt.Module(scaled_sum)
    assert mod.module_name == "scaled_sum"
    y1 = mod(tf.ones([2, 3]))
    y2 = mod(tf.ones([1, 3]), offset=1.0)
    np.testing.assert_allclose(mode.evaluate(y1), [[6.0], [6.0]])
    np.testing.assert_allclose(mode.evaluate(y2), [[7.0]])
    assert [v.name for v in mod.get_variables()] == ["scaled_sum/w:0"]


def test_module_names(mode):
    assert snt.Module(lambda x: x).module_name == "module"
    assert snt.Module(scaled_sum, name="custom").module_name == "custom"


def test_module_requires_callable():
    # Sonnet 1's exact message; what was given goes in a note (Python 3.11+).
    with pytest.raises(TypeError) as info:
        snt.Module(3)
    assert str(info.value) == "Input 'build' must be callable."
    if hasattr(info.value, "__notes__"):
        assert info.value.__notes__ == ["snt.Module got int: 3."]
