"""snt.nets.CompressiveTransformer: memories, compression (NumPy), losses; graph and eager."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_rnn.compressive_transformer import CompressiveTransformer, average_attention
from snt_rnn.rnn_core import RNNCore

RNG = np.random.RandomState(29)
B, N, D_IN, EM, CM = 2, 4, 5, 4, 2
CONFIG = {"value_size": 2, "num_heads": 2, "num_layers": 2, "mlp_hidden_sizes": [8]}
E = 4
X = RNG.randn(B, N, D_IN).astype(np.float32)
State = snt.nets.transformer.CompressedMemoryState


def random_state(index=0.0):
    return tuple(
        State(
            episodic_memory=tf.constant(RNG.randn(B, EM, E).astype(np.float32)),
            compressed_memory=tf.constant(RNG.randn(B, CM, E).astype(np.float32)),
            index=tf.fill([B, 1], index),
        )
        for _ in range(2)
    )


def np_conv(x, w, stride):
    k = w.shape[0]
    starts = range(0, x.shape[1] - k + 1, stride)
    return np.stack([np.einsum("btc,tcd->bd", x[:, s : s + k], w) for s in starts], axis=1)


def test_sizes():
    core = CompressiveTransformer(CONFIG, N, EM, CM)
    assert isinstance(core, RNNCore) and snt.nets.CompressiveTransformer is CompressiveTransformer
    assert (
        core.state_size
        == (State(tf.TensorShape([EM, E]), tf.TensorShape([CM, E]), tf.TensorShape([1])),) * 2
    )
    assert core.output_size == tf.TensorShape([N, E])
    state = core.initial_state(B)
    assert [s.shape.as_list() for s in tf.nest.flatten(state)] == [
        [B, EM, E],
        [B, CM, E],
        [B, 1],
    ] * 2


def test_memories_and_compression_match_numpy(mode):
    # The "ae" loss transposes its convolution (snt-transpose): tests/integration.
    core = CompressiveTransformer(CONFIG, N, EM, CM, compression_config={"loss": "mha"})
    prev = random_state()
    output, state = core(tf.constant(X), prev, is_training=False)
    assert output.shape.as_list() == [B, N, E]
    names = sorted(v.name for v in core.get_variables() if "compressor" in v.name)
    assert names == [
        "compressive_transformer/conv_compressor/conv_1d/w:0",
        "compressive_transformer/conv_compressor_1/conv_1d/w:0",
    ]
    conv_w = [v for v in core.get_variables() if v.name.endswith("conv_1d/w:0")]
    got_prev, got, ws = mode.evaluate([prev, state, conv_w])
    for layer in range(2):
        new = got[layer].episodic_memory[:, EM - N :]  # this chunk's layer inputs
        joined = np.concatenate([got_prev[layer].episodic_memory, new], axis=1)
        np.testing.assert_allclose(got[layer].episodic_memory, joined[:, -EM:])
        # min(max(rate, N), N + EM - 1) = 4 oldest slots -> 2 compressed slots.
        want = np_conv(joined[:, :4], ws[layer], 2)
        compressed = np.concatenate([got_prev[layer].compressed_memory, want], axis=1)[:, -CM:]
        np.testing.assert_allclose(got[layer].compressed_memory, compressed, rtol=1e-4, atol=1e-5)
        np.testing.assert_array_equal(got[layer].index, np.ones([B, 1]))


def test_auxiliary_loss_collection():
    with tf.Graph().as_default():
        core = CompressiveTransformer(dict(CONFIG, output_size=6), N, EM, CM)
        state = core.initial_state(B)
        output, state = core(tf.constant(X), state)
        output2, _ = core(tf.constant(X), state)
        core(tf.constant(X), state, is_training=False)  # no loss for evaluation
        losses = tf.compat.v1.get_collection("auxiliary_losses")
        assert len(losses) == 2 and output2.shape.as_list() == [B, N, 6]
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            first, second = sess.run(losses)
        assert first == 0  # an all-zero memory compresses without loss
        assert second > 0
        assert tf.compat.v1.get_collection("stats_export") == []


def test_export_stats():
    with tf.Graph().as_default():
        core = CompressiveTransformer(CONFIG, N, EM, CM, export_stats=True)
        core(tf.constant(X), core.initial_state(B), is_training=False)  # no attention dropout
        (stats,) = tf.compat.v1.get_collection("stats_export")
        assert {
            "compression_loss_l00",
            "compression_loss_l01",
            "cm_p0_l00",
            "seq_p5_l01",
            "em_p3",
        } <= set(stats)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            values = sess.run(stats)
        total = sum(values[f"{part}_p{i}"] for part in ("cm", "em", "seq") for i in range(6))
        np.testing.assert_allclose(total, 1.0, rtol=1e-5)  # the shares of all attention


def test_average_attention_buckets(mode):
    weights = RNG.rand(2, 2, 3, 2 + 7 + 3).astype(np.float32)
    names, shares = average_attention(tf.constant(weights), 2, 7, 3, n_buckets=2)
    assert names == ["cm_p0", "cm_p1", "em_p0", "em_p1", "seq_p0", "seq_p1"]
    mean = weights.mean(axis=(0, 1, 2))
    want = [
        mean[0:1].sum(),
        mean[1:2].sum(),
        mean[2:5].sum(),
        mean[5:9].sum(),
        mean[9:10].sum(),
        mean[10:12].sum(),
    ]
    np.testing.assert_allclose(mode.evaluate(shares), want, rtol=1e-5)


def test_single_steps_compress_every_rate_steps(mode):
    core = CompressiveTransformer(
        CONFIG, 0, EM, CM, compression_rate=2, compression_ctor=snt.nets.transformer.PoolCompressor
    )
    step = tf.constant(RNG.randn(B, D_IN).astype(np.float32))
    state0 = random_state(index=0.0)
    out1, state1 = core(step, state0, is_training=False)
    out2, state2 = core(step, state1, is_training=False)
    assert out1.shape.as_list() == [B, E]
    s0, s1, s2 = mode.evaluate([state0, state1, state2])
    for layer in range(2):
        # index 0: no compression; index 1 (= rate - 1): the two oldest slots are averaged.
        np.testing.assert_array_equal(s1[layer].compressed_memory, s0[layer].compressed_memory)
        pooled = s1[layer].episodic_memory[:, :2].mean(axis=1, keepdims=True)
        want = np.concatenate([s1[layer].compressed_memory, pooled], axis=1)[:, -CM:]
        np.testing.assert_allclose(s2[layer].compressed_memory, want, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(s2[layer].index, np.full([B, 1], 2.0))


def test_unrolls_step_by_step(mode):
    core = CompressiveTransformer(CONFIG, 0, EM, CM)
    steps = tf.constant(RNG.randn(5, B, D_IN).astype(np.float32))
    if mode.eager:
        output, final = snt.dynamic_unroll(core, steps, core.initial_state(B))
    else:
        output, final = tf.compat.v1.nn.dynamic_rnn(
            core, steps, time_major=True, initial_state=core.initial_state(B)
        )
    output, final = mode.evaluate([output, final])
    assert output.shape == (5, B, E) and np.all(np.isfinite(output))
    np.testing.assert_array_equal(final[0].index, np.full([B, 1], 5.0))
    assert np.any(final[0].compressed_memory != 0)


def test_tf_function_and_sharing(eager):
    core = CompressiveTransformer(CONFIG, N, EM, CM)
    run = tf.function(lambda x, s: core(x, s))
    out, state = run(tf.constant(X), core.initial_state(B))
    count = len(core.variables)
    run(tf.ones([3, N, D_IN]), core.initial_state(3))  # a retrace reuses the variables
    assert len(core.variables) == count
    eager_out, _ = core(tf.constant(X), core.initial_state(B), is_training=False)
    assert len(core.variables) == count and eager_out.shape == (B, N, E)


def test_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="c: compression_rate must be >= 1"):
            CompressiveTransformer(CONFIG, N, EM, CM, compression_rate=0, name="c")
        with pytest.raises(TypeError, match="c_1: compression_ctor must be callable"):
            CompressiveTransformer(CONFIG, N, EM, CM, compression_ctor="conv", name="c_1")
        with pytest.raises(ValueError, match="c_2: episodic_memory_size must be >= 0"):
            CompressiveTransformer(CONFIG, N, -1, CM, name="c_2")
        core = CompressiveTransformer(CONFIG, N, EM, CM, name="ct")
        with pytest.raises(snt.IncompatibleShapeError, match="ct: prev_state must hold one"):
            core(tf.constant(X), core.initial_state(B)[:1])
