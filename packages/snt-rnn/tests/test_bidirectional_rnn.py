"""BidirectionalRNN: outputs, time order, variable sharing."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def test_bidirectional_matches_manual_unroll(mode):
    fw, bw = snt.GRU(3, name="fw"), snt.GRU(2, name="bw")
    bidir = snt.BidirectionalRNN(fw, bw)
    x = tf.constant(np.random.RandomState(0).randn(4, 2, 5).astype(np.float32))
    state = bidir.initial_state(2)
    result = bidir(x, state)
    _, bw_final = snt.static_unroll(bw, tf.reverse(x, [0]), state[1])
    fw_out, _ = snt.static_unroll(fw, x, state[0])
    values = mode.evaluate((result, bw_final, fw_out))
    np.testing.assert_allclose(values[0]["outputs"]["forward"], values[2], rtol=1e-5)
    # Backward entry 0 has read the whole reversed sequence.
    np.testing.assert_allclose(values[0]["outputs"]["backward"][0], values[1], rtol=1e-5)
    assert values[0]["state"]["forward"].shape == (4, 2, 3)
    assert bidir.state_size == (fw.state_size, bw.state_size)
    assert sorted(v.name for v in bidir.trainable_variables)[0] == "bw/bh:0"


def test_bidirectional_errors(mode):
    bidir = snt.BidirectionalRNN(snt.GRU(2), snt.GRU(2))
    with pytest.raises(
        ValueError, match=r"bidir_rnn: state must be \(forward_state, backward_state\)"
    ):
        bidir(tf.ones([3, 1, 2]), tf.zeros([1, 2]))
    if not mode.eager:
        x = tf.compat.v1.placeholder(tf.float32, [None, 1, 2])
        with pytest.raises(ValueError, match=r"bidir_rnn: the time dimension .* statically known"):
            bidir(x, bidir.initial_state(1))
