"""HighwayCore: numerics against NumPy and variable names."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_highway_matches_numpy(mode):
    rng = np.random.RandomState(0)
    x = rng.randn(2, 3).astype(np.float32)
    s0 = rng.randn(2, 4).astype(np.float32)
    core = snt.HighwayCore(4, num_layers=2)
    out, _ = core(tf.constant(x), tf.constant(s0))
    values = mode.evaluate({"out": out, "v": {v.name: v for v in core.get_variables()}})
    v = {k.split("/")[1][:-2]: a for k, a in values["v"].items()}
    assert sorted(v) == ["bh0", "bh1", "bt0", "bt1", "wh", "wh0", "wh1", "wt", "wt0", "wt1"]
    s = s0
    for layer in range(2):
        pre_t = s @ v[f"wt{layer}"] + v[f"bt{layer}"]
        pre_h = s @ v[f"wh{layer}"] + v[f"bh{layer}"]
        if layer == 0:
            pre_t, pre_h = pre_t + x @ v["wt"], pre_h + x @ v["wh"]
        t = sigmoid(pre_t)
        s = s * (1 - t) + np.tanh(pre_h) * t
    np.testing.assert_allclose(values["out"], s, rtol=1e-5, atol=1e-5)


def test_highway_keys_and_errors(eager):
    assert snt.HighwayCore.get_possible_initializer_keys(1) == {
        "wt",
        "wh",
        "wt0",
        "bt0",
        "wh0",
        "bh0",
    }
    with pytest.raises(KeyError, match=r"highwaycore: Invalid initializer keys \['wt1'\]"):
        snt.HighwayCore(2, 1, initializers={"wt1": tf.zeros_initializer()})
