"""snt.nets.TransformerXL: memory updates (NumPy), masking, unrolling, errors; graph and eager."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_rnn.rnn_core import RNNCore
from snt_rnn.transformer_xl import TransformerXL

RNG = np.random.RandomState(23)
B, N, M, D_IN = 2, 3, 5, 6
CONFIG = {"value_size": 2, "num_heads": 2, "num_layers": 2, "mlp_hidden_sizes": [8]}
E = 4  # num_heads * value_size
X = RNG.randn(B, N, D_IN).astype(np.float32)


def np_layer_norm(x, gamma, beta, eps=1e-5):
    return (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + eps) * gamma + beta


def by_name(module, mode):
    prefix = module.scope_name + "/"
    return mode.evaluate({v.name[len(prefix) : -2]: v for v in module.variables})


def test_is_an_rnn_core_with_sonnet_1s_sizes():
    core = TransformerXL(CONFIG, memory_size=M, chunk_size=N)
    assert isinstance(core, RNNCore) and snt.nets.TransformerXL is TransformerXL
    assert snt.nets.transformer.TransformerXL is TransformerXL
    assert core.state_size == [tf.TensorShape([M, E])] * 2
    assert core.output_size == tf.TensorShape([N, E])
    stepwise = TransformerXL(dict(CONFIG, output_size=7), memory_size=M, chunk_size=0)
    assert stepwise.output_size == tf.TensorShape([7])


def test_memory_keeps_the_layers_latest_inputs(mode):
    core = TransformerXL(CONFIG, memory_size=M, chunk_size=N)
    prev = [tf.constant(RNG.randn(B, M, E).astype(np.float32)) for _ in range(2)]
    output, state = core(tf.constant(X), prev, is_training=False)
    assert output.shape.as_list() == [B, N, E]
    assert [s.shape.as_list() for s in state] == [[B, M, E]] * 2
    p = by_name(core, mode)
    got_prev, got = mode.evaluate([prev, state])
    for i in range(2):  # the oldest N slots are dropped
        np.testing.assert_allclose(got[i][:, : M - N], got_prev[i][:, N:])
    # Layer 0 remembers its normalized input: the embedding MLP's ReLU output.
    embedded = np.maximum(X @ p["mlp/linear_0/w"] + p["mlp/linear_0/b"], 0)
    ln = "transformer_tower/layer_0/residual_dropout_wrapper/layer_norm/"
    want = np_layer_norm(embedded, p[ln + "gamma"], p[ln + "beta"])
    np.testing.assert_allclose(got[0][:, M - N :], want, rtol=1e-4, atol=1e-4)


def test_outputs_depend_on_the_memory(mode):
    core = TransformerXL(CONFIG, memory_size=M, chunk_size=N)
    prev = [tf.constant(RNG.randn(B, M, E).astype(np.float32)) for _ in range(2)]
    if mode.eager:
        with tf.GradientTape() as tape:
            tape.watch(prev)
            output, _ = core(tf.constant(X), prev, is_training=False)
        grads = tape.gradient(output, prev)
    else:
        output, _ = core(tf.constant(X), prev, is_training=False)
        grads = tf.gradients(output, prev)
    for grad in mode.evaluate(grads):  # every memory slot is visible to every position
        assert np.all(np.abs(grad).sum(axis=-1) > 0)
    no_memory = TransformerXL(CONFIG, memory_size=0, chunk_size=N)
    state = no_memory.initial_state(B)
    output, next_state = no_memory(tf.constant(X), state, is_training=False)
    assert [s.shape.as_list() for s in next_state] == [[B, 0, E]] * 2
    assert mode.evaluate(output).shape == (B, N, E)


def test_names_and_sharing(mode):
    core = TransformerXL(CONFIG, memory_size=M, chunk_size=N)
    state = core.initial_state(B)
    out1, state = core(tf.constant(X), state)
    count = len(core.variables)
    out2, _ = core(tf.constant(X), state)
    assert len(core.variables) == count
    names = [v.name for v in core.variables]
    assert "transformer_xl/mlp/linear_0/w:0" in names
    assert "transformer_xl/transformer_tower/layer_1/multihead_attention/r_w_bias:0" in names
    assert all(n.startswith("transformer_xl/") for n in names)
    assert mode.evaluate(out2).shape == (B, N, E)


def test_dropout_only_when_training(mode):
    core = TransformerXL(dict(CONFIG, dropout_rate=0.5), memory_size=M, chunk_size=N)
    state = core.initial_state(B)
    evaluation = core(tf.constant(X), state, is_training=False)[0]
    training = core(tf.constant(X), state, is_training=True)[0]
    a, b = mode.evaluate(evaluation), mode.evaluate(training)
    np.testing.assert_allclose(mode.evaluate(evaluation), a)
    assert not np.allclose(a, b)


def test_single_steps_unroll(mode):
    core = TransformerXL(CONFIG, memory_size=4, chunk_size=0)
    steps = tf.constant(RNG.randn(7, B, D_IN).astype(np.float32))  # time major
    if mode.eager:
        output, final = snt.dynamic_unroll(core, steps, core.initial_state(B))
    else:
        output, final = tf.compat.v1.nn.dynamic_rnn(
            core, steps, time_major=True, initial_state=core.initial_state(B)
        )
    output, final = mode.evaluate([output, final])
    assert output.shape == (7, B, E) and np.all(np.isfinite(output))
    assert [f.shape for f in final] == [(B, 4, E)] * 2
    # 7 steps filled the 4 slots: every slot of layer 1's memory (normalized
    # residual sums, unlike layer 0's normalized ReLUs, which may all be 0) is set.
    assert np.all(np.abs(final[1]).sum(axis=-1) > 0)


def test_dynamic_batch_size_and_tf_function(mode):
    core = TransformerXL(CONFIG, memory_size=M, chunk_size=N)
    if mode.eager:
        run = tf.function(lambda x: core(x, core.initial_state(tf.shape(x)[0]))[0])
        assert run(tf.ones([1, N, D_IN])).shape == (1, N, E)
        assert run(tf.ones([4, N, D_IN])).shape == (4, N, E)
        return
    x = tf.compat.v1.placeholder(tf.float32, [None, N, D_IN])
    output, _ = core(x, core.initial_state(tf.shape(x)[0]))
    for batch in (1, 4):
        assert mode.evaluate(output, feed_dict={x: np.ones([batch, N, D_IN])}).shape[0] == batch


def test_errors():
    with tf.Graph().as_default():
        with pytest.raises(
            KeyError, match=r"x: core_config needs the TransformerTower .*num_heads"
        ):
            TransformerXL({"value_size": 2, "num_layers": 1}, 4, 2, name="x")
        with pytest.raises(TypeError, match="x_1: core_config must be a dict"):
            TransformerXL([("value_size", 2)], 4, 2, name="x_1")
        with pytest.raises(ValueError, match="x_2: memory_size must be >= 0"):
            TransformerXL(CONFIG, -1, 2, name="x_2")
        core = TransformerXL(CONFIG, M, N, name="xl")
        with pytest.raises(snt.IncompatibleShapeError, match="xl: prev_state must hold one"):
            core(tf.constant(X), [tf.zeros([B, M, E])])
        with pytest.raises(snt.IncompatibleShapeError, match=r"xl: inputs must be \[batch_size"):
            core(tf.ones([B, N, 2, D_IN]), core.initial_state(B))
