"""VanillaRNN: numerics, Linear submodules and their variable names."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def test_vanilla_rnn_matches_numpy(mode):
    rng = np.random.RandomState(0)
    x = rng.randn(2, 3).astype(np.float32)
    h0 = rng.randn(2, 4).astype(np.float32)
    rnn = snt.VanillaRNN(4, activation=tf.nn.relu)
    out, state = rnn(tf.constant(x), tf.constant(h0))
    out2, _ = rnn(tf.constant(x), state)
    values = mode.evaluate({"out": (out, out2), "v": {v.name: v for v in rnn.get_all_variables()}})
    v = values["v"]
    h = h0
    for step in range(2):
        h = np.maximum(
            x @ v["vanilla_rnn/in_to_hidden/w:0"]
            + v["vanilla_rnn/in_to_hidden/b:0"]
            + h @ v["vanilla_rnn/hidden_to_hidden/w:0"]
            + v["vanilla_rnn/hidden_to_hidden/b:0"],
            0,
        )
        np.testing.assert_allclose(values["out"][step], h, rtol=1e-5, atol=1e-5)
    assert sorted(v) == [
        "vanilla_rnn/hidden_to_hidden/b:0",
        "vanilla_rnn/hidden_to_hidden/w:0",
        "vanilla_rnn/in_to_hidden/b:0",
        "vanilla_rnn/in_to_hidden/w:0",
    ]
    assert rnn.in_to_hidden_variables[0].name == "vanilla_rnn/in_to_hidden/w:0"
    assert rnn.hidden_to_hidden_linear.output_size == 4


def test_vanilla_rnn_initializers(mode):
    rnn = snt.VanillaRNN(2, initializers={"in_to_hidden": {"w": tf.compat.v1.ones_initializer()}})
    rnn(tf.ones([1, 3]), rnn.initial_state(1))
    np.testing.assert_array_equal(mode.evaluate(rnn.in_to_hidden_variables[0]), np.ones([3, 2]))


def test_vanilla_rnn_errors(mode):
    with pytest.raises(KeyError, match=r"vanilla_rnn: Invalid initializer keys \['w'\]"):
        snt.VanillaRNN(2, initializers={"w": tf.zeros_initializer()})
    rnn = snt.VanillaRNN(2, name="v")
    with pytest.raises(snt.NotConnectedError, match=r"v: VanillaRNN not connected yet"):
        _ = rnn.in_to_hidden_variables


@pytest.mark.parametrize("what", ["initializers", "partitioners", "regularizers"])
def test_linear_dict_given_as_a_callable_fails_when_connected(mode, what):
    # Sonnet 1 built the Linears when connected, so this mistake only failed then.
    value = (
        tf.compat.v1.fixed_size_partitioner(2)
        if what == "partitioners"
        else tf.compat.v1.truncated_normal_initializer()
    )
    rnn = snt.VanillaRNN(3, name="m_dicts", **{what: {"hidden_to_hidden": value}})
    with pytest.raises(
        TypeError,
        match=rf"m_dicts: Expected a dict .* {what}\['hidden_to_hidden'\] is ",
    ):
        rnn(tf.ones([2, 4]), rnn.initial_state(2))
    # Other mistakes are still found when constructing.
    with pytest.raises(TypeError, match=r"Initializer for 'w' is not a callable function"):
        snt.VanillaRNN(3, initializers={"hidden_to_hidden": {"w": 1.0}})
