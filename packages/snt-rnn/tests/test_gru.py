"""GRU: numerics against NumPy, variable names, errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_gru_two_steps_match_numpy(mode):
    rng = np.random.RandomState(0)
    x = rng.randn(3, 2).astype(np.float32)
    h0 = rng.randn(3, 4).astype(np.float32)
    gru = snt.GRU(4)
    out1, s1 = gru(tf.constant(x), tf.constant(h0))
    out2, s2 = gru(tf.constant(x), s1)
    values = mode.evaluate({"out": (out1, out2), "v": {v.name: v for v in gru.get_variables()}})
    v = {k.split("/")[1][:-2]: a for k, a in values["v"].items()}
    h = h0
    for step in range(2):
        z = sigmoid(x @ v["wz"] + h @ v["uz"] + v["bz"])
        r = sigmoid(x @ v["wr"] + h @ v["ur"] + v["br"])
        h_tilde = np.tanh(x @ v["wh"] + (r * h) @ v["uh"] + v["bh"])
        h = (1 - z) * h + z * h_tilde
        np.testing.assert_allclose(values["out"][step], h, rtol=1e-5, atol=1e-5)


def test_gru_variables(mode):
    gru = snt.GRU(4)
    gru(tf.ones([2, 3]), gru.initial_state(2))
    shapes = {v.name: v.shape.as_list() for v in gru.get_variables()}
    expected = {}
    for gate in "zrh":
        expected[f"gru/w{gate}:0"] = [3, 4]
        expected[f"gru/u{gate}:0"] = [4, 4]
        expected[f"gru/b{gate}:0"] = [4]
    assert shapes == expected
    assert gru.state_size == tf.TensorShape([4]) == gru.output_size
    assert snt.GRU.get_possible_initializer_keys() == set(k[:-2].split("/")[1] for k in expected)


def test_gru_initializers(mode):
    gru = snt.GRU(2, initializers={"bz": tf.compat.v1.ones_initializer()})
    gru(tf.ones([1, 1]), gru.initial_state(1))
    bz = [v for v in gru.get_variables() if v.name == "gru/bz:0"][0]
    np.testing.assert_array_equal(mode.evaluate(bz), [1.0, 1.0])


def test_gru_errors(mode):
    with pytest.raises(KeyError, match=r"gru: Invalid initializer keys \['w'\]"):
        snt.GRU(2, initializers={"w": tf.zeros_initializer()})
    gru = snt.GRU(2, name="g")
    with pytest.raises(snt.IncompatibleShapeError, match=r"g: GRU expects inputs of rank 2"):
        gru(tf.ones([1]), gru.initial_state(1))


def test_gru_gradients(mode):
    gru = snt.GRU(2)
    out, _ = gru(tf.ones([2, 3]), gru.initial_state(2, trainable=True))
    if mode.eager:
        return  # eager gradients are covered by test_lstm/test_unroll
    grads = tf.gradients(tf.reduce_sum(out), gru.trainable_variables)
    assert len(grads) == 10 and all(g is not None for g in grads)
