"""snt.nets.transformer.MultiheadAttention against a NumPy reference, graph and eager."""

import nets_numpy_reference as ref
import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.nets.transformer import (
    AttentionState,
    CompressedMemoryState,
    MultiheadAttention,
    future_mask,
    get_position_encodings,
)

RNG = np.random.RandomState(3)
B, N, M, D, H, K, V = 2, 4, 3, 6, 2, 3, 5
X = RNG.randn(B, N, D).astype(np.float32)
MEMORY = RNG.randn(B, M, D).astype(np.float32)


def params(module, mode):
    """The module's variables by name relative to its scope, as NumPy values."""
    prefix = module.scope_name + "/"
    values = mode.evaluate({v.name[len(prefix) : -2]: v for v in module.variables})
    return {k: v.astype(np.float64) for k, v in values.items()}


def test_plain_attention_and_names(mode):
    attend = MultiheadAttention(value_size=V, key_size=K, num_heads=H)
    output, state = attend(tf.constant(X))
    assert isinstance(state, AttentionState)
    assert [(v.name, v.shape.as_list()) for v in attend.variables] == [
        ("multihead_attention/key/linear/w:0", [D, H * K]),
        ("multihead_attention/linear/b:0", [H * V]),
        ("multihead_attention/linear/w:0", [H * V, H * V]),
        ("multihead_attention/query/linear/w:0", [D, H * K]),
        ("multihead_attention/value/linear/w:0", [D, H * V]),
    ]
    assert output.shape.as_list() == [B, N, H * V]
    assert state.weights.shape.as_list() == [B, H, N, N]
    p = params(attend, mode)
    got, got_state = mode.evaluate([output, state])
    want, weights, logits = ref.attention(X.astype(np.float64), p, H, K)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_state.weights, weights, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(got_state.logits, logits, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_state.embeddings, X)
    np.testing.assert_allclose(got_state.read_words, got)


def test_memory_and_causal_mask(mode):
    mask = np.concatenate([np.zeros([1, 1, N, M]), ref.future_mask(N)], axis=3)
    # A mask wider than the window is cut to its last M + N columns.
    wide = np.concatenate([np.full([1, 1, N, 2], -1e6), mask], axis=3)
    attend = MultiheadAttention(V, K, H, mask=tf.constant(wide, tf.float32))
    output, state = attend(tf.constant(X), state=tf.constant(MEMORY))
    assert state.keys.shape.as_list() == [B, H, M + N, K]
    p = params(attend, mode)
    got, weights = mode.evaluate([output, state.weights])
    want, want_weights, _ = ref.attention(X.astype(np.float64), p, H, K, memory=MEMORY, mask=mask)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(weights, want_weights, rtol=1e-4, atol=1e-6)
    # Every query sees the whole memory and the sequence up to itself only.
    for i in range(N):
        assert np.all(weights[:, :, i, M + i + 1 :] == 0)
        assert np.all(weights[:, :, i, : M + i + 1] > 0)


def test_relative_positions(mode):
    encodings = get_position_encodings(M + N, D, clamp_value=0)
    pair = (encodings, encodings[:, -N:])
    mask = tf.concat([tf.zeros([1, 1, N, M]), future_mask(N, tf.float32)], axis=3)
    attend = MultiheadAttention(
        V, K, H, mask=mask, positional_encodings=[pair], use_relative_positions=True
    )
    output, state = attend(tf.constant(X), state=tf.constant(MEMORY))
    names = sorted(v.name.split("/", 1)[1] for v in attend.variables)
    assert "r_w_bias:0" in names and "r_r_bias:0" in names
    assert "relative_keys/linear/w:0" in names
    p = params(attend, mode)
    got, weights = mode.evaluate([output, state.weights])
    rel = ref.position_encodings(M + N, D)
    np_mask = np.concatenate([np.zeros([1, 1, N, M]), ref.future_mask(N)], axis=3)
    want, want_weights, _ = ref.attention(
        X.astype(np.float64), p, H, K, memory=MEMORY, mask=np_mask, relative=rel
    )
    np.testing.assert_allclose(weights, want_weights, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_absolute_positions(mode):
    encodings = get_position_encodings(N, D, clamp_value=0)
    attend = MultiheadAttention(V, K, H, positional_encodings=(encodings, encodings))
    output = attend(tf.constant(X))[0]
    p = params(attend, mode)
    pos = ref.position_encodings(N, D)
    want = ref.attention(X.astype(np.float64), p, H, K, absolute=(pos, pos))[0]
    np.testing.assert_allclose(mode.evaluate(output), want, rtol=1e-4, atol=1e-5)


def test_two_memory_types_name_their_extra_variables(graph):
    cm, em = 2, 3
    pairs = [
        (get_position_encodings(cm + N, D, 0), None),
        (get_position_encodings(em + N, D, 0), None),
    ]
    attend = MultiheadAttention(V, K, H, positional_encodings=pairs, use_relative_positions=True)
    state = CompressedMemoryState(
        episodic_memory=tf.ones([B, em, D]), compressed_memory=tf.ones([B, cm, D]), index=None
    )
    output, attention = attend(tf.constant(X), state=state)
    assert attention.weights.shape.as_list() == [B, H, N, cm + em + N]
    names = {v.name.split("/", 1)[1] for v in attend.variables}
    assert {"relative_keys_0/linear/w:0", "r_r_bias_0:0", "relative_keys/linear/w:0"} <= names


def test_dropout_and_query_inputs(mode):
    attend = MultiheadAttention(V, K, H)
    queries = tf.constant(X[:, :2])
    eval_out = attend(tf.constant(X), query_inputs=queries)[0]
    train_out = attend(tf.constant(X), query_inputs=queries, is_training=True)[0]
    assert eval_out.shape.as_list() == [B, 2, H * V]
    assert len(attend.variables) == 5  # shared across connections
    a, b = mode.evaluate([eval_out, train_out])
    assert not np.allclose(a, b)


def test_multihead_linear_shares_and_checks(mode):
    attend = MultiheadAttention(V, K, H, name="att")
    attend(tf.constant(X))
    projected = attend.multihead_linear(tf.constant(X), name="key")
    assert projected.shape.as_list() == [B, H, N, K]
    assert len(attend.variables) == 5
    w = mode.evaluate(attend.variables[0])  # att/key/linear/w
    np.testing.assert_allclose(mode.evaluate(projected), ref.project(X, w, H), rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="att: unknown projection 'keys'"):
        attend.multihead_linear(tf.constant(X), name="keys")


def test_errors(graph):
    with pytest.raises(ValueError, match="bad: num_heads must be >= 1"):
        MultiheadAttention(V, K, 0, name="bad")
    with pytest.raises(TypeError, match="bad_1: key_size must be an int"):
        MultiheadAttention(V, 2.5, H, name="bad_1")
    with pytest.raises(ValueError, match="rel: use_relative_positions=True needs"):
        MultiheadAttention(V, K, H, use_relative_positions=True, name="rel")
    attend = MultiheadAttention(V, K, H, name="att")
    with pytest.raises(snt.IncompatibleShapeError, match=r"att: inputs must be \[batch, time"):
        attend(tf.ones([B, D]))
    with pytest.raises(snt.IncompatibleShapeError, match="att: inputs must be"):
        attend(tf.compat.v1.placeholder(tf.float32, [B, None, D]))


def test_built_in_a_parents_build_across_tf_function_retraces(eager):
    class Parent(snt.AbstractModule):
        def _build(self, x):
            return MultiheadAttention(V, K, H)(x)[0]  # a new object on every connection

    parent = Parent()
    run = tf.function(parent)
    first = run(tf.constant(X))
    count = len(parent.variables)
    assert count == 5
    run(tf.constant(X[:1]))  # another trace with another MultiheadAttention object
    assert len(parent.variables) == count
    np.testing.assert_allclose(parent(tf.constant(X)).numpy(), first.numpy(), rtol=1e-5)


def test_projection_asked_for_before_build_is_shared(mode):
    attend = MultiheadAttention(V, K, H)
    early = attend.multihead_linear(tf.constant(X), name="key")
    attend(tf.constant(X))
    assert len(attend.variables) == 5
    later = attend.multihead_linear(tf.constant(X), name="key")
    a, b = mode.evaluate([early, later])
    np.testing.assert_allclose(a, b)
