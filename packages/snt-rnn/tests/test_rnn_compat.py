"""Cores drive tf.compat.v1.nn.dynamic_rnn, static_rnn and bidirectional_dynamic_rnn."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

CORES = {
    "lstm": lambda: snt.LSTM(3),
    "gru": lambda: snt.GRU(3),
    "vanilla": lambda: snt.VanillaRNN(3),
    "deep": lambda: snt.DeepRNN([snt.LSTM(3), snt.GRU(2)]),
}


@pytest.mark.parametrize("core_name", sorted(CORES))
@pytest.mark.parametrize("time_major", [True, False])
def test_dynamic_rnn_matches_unroll(mode, core_name, time_major):
    core = CORES[core_name]()
    rng = np.random.RandomState(1)
    x = tf.constant(rng.randn(4, 2, 5).astype(np.float32))  # [time, batch, features]
    seq = tf.constant([4, 2])
    inputs = x if time_major else tf.transpose(x, [1, 0, 2])
    state = core.initial_state(2)
    out, final = tf.compat.v1.nn.dynamic_rnn(
        core, inputs, sequence_length=seq, initial_state=state, time_major=time_major
    )
    out2, final2 = snt.dynamic_unroll(
        core, inputs, state, sequence_length=seq, time_major=time_major
    )
    out3, final3 = snt.static_unroll(
        core, inputs, state, sequence_length=seq, time_major=time_major
    )
    values = mode.evaluate((out, final, out2, final2, out3, final3))
    for other in (2, 4):
        np.testing.assert_allclose(values[0], values[other], rtol=1e-5, atol=1e-6)
        tf.nest.map_structure(
            lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6),
            values[1],
            values[other + 1],
        )
    batch_axis_out = values[0][2:, 1] if time_major else values[0][1, 2:]
    assert not batch_axis_out.any()  # past sequence_length: zeros
    assert len({v.name for v in core.trainable_variables}) == len(core.trainable_variables)


def test_static_rnn_shares_variables(mode):
    lstm = snt.LSTM(3)
    steps = [tf.ones([2, 4])] * 3
    outputs, final = tf.compat.v1.nn.static_rnn(lstm, steps, initial_state=lstm.initial_state(2))
    outputs2, _ = tf.compat.v1.nn.static_rnn(lstm, steps, dtype=tf.float32)
    assert len(outputs) == 3
    assert [v.name for v in lstm.get_variables()] == ["lstm/b_gates:0", "lstm/w_gates:0"]
    values = mode.evaluate((outputs, outputs2))
    np.testing.assert_allclose(values[0][-1], values[1][-1])


def test_bidirectional_dynamic_rnn(mode):
    fw, bw = snt.LSTM(3, name="fw"), snt.GRU(2, name="bw")
    x = tf.ones([2, 4, 5])
    (out_fw, out_bw), _ = tf.compat.v1.nn.bidirectional_dynamic_rnn(
        fw, bw, x, sequence_length=[4, 3], dtype=tf.float32
    )
    values = mode.evaluate((out_fw, out_bw))
    assert values[0].shape == (2, 4, 3) and values[1].shape == (2, 4, 2)
    names = sorted(v.name for v in fw.get_variables() + bw.get_variables())
    assert names[:2] == ["bw/bh:0", "bw/br:0"] and "fw/w_gates:0" in names


def test_dynamic_rnn_twice_shares_variables(mode):
    lstm = snt.LSTM(3)
    tf.compat.v1.nn.dynamic_rnn(lstm, tf.ones([2, 4, 5]), dtype=tf.float32)
    tf.compat.v1.nn.dynamic_rnn(lstm, tf.ones([3, 6, 5]), dtype=tf.float32)
    assert [v.name for v in lstm.get_variables()] == ["lstm/b_gates:0", "lstm/w_gates:0"]
