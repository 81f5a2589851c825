"""AttentiveRead: softmax-weighted reads, masks, errors; graph and eager, NumPy references."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.attention import AttentionOutput, AttentiveRead
from snt_nets.linear import Linear

RNG = np.random.RandomState(7)
MEMORY = RNG.randn(3, 4, 5).astype(np.float32)
QUERY = RNG.randn(3, 2).astype(np.float32)
MASK = np.array([[1, 1, 1, 1], [1, 0, 1, 0], [0, 0, 1, 0]], dtype=bool)


def np_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_attentive_read(memory, query, w, b, mask=None):
    """Scores every (slot, query) pair with a linear layer, then reads the softmax mix."""
    tiled = np.repeat(query[:, None, :], memory.shape[1], axis=1)
    logits = (np.concatenate([memory, tiled], axis=2) @ w + b)[..., 0]
    scores = logits if mask is None else np.where(mask, logits, -np.inf)
    weights = np_softmax(scores)
    return (weights[..., None] * memory).sum(axis=1), weights, logits


def _linear_logits():
    init = {
        "w": tf.compat.v1.random_normal_initializer(seed=3),
        "b": tf.compat.v1.constant_initializer(0.3),
    }
    return Linear(1, initializers=init)


@pytest.mark.parametrize("masked", [False, True])
def test_read_matches_numpy(mode, masked):
    logit_mod = _linear_logits()
    read = AttentiveRead(logit_mod)
    mask = tf.constant(MASK) if masked else None
    out = read(tf.constant(MEMORY), tf.constant(QUERY), memory_mask=mask)
    assert isinstance(out, AttentionOutput)
    assert out.read.shape.as_list() == [3, 5] and out.weights.shape.as_list() == [3, 4]
    assert [v.name for v in read.get_all_variables()] == ["linear/b:0", "linear/w:0"]
    got, w, b = mode.evaluate([out, logit_mod.w, logit_mod.b])
    want_read, want_weights, want_logits = np_attentive_read(
        MEMORY, QUERY, w, b, MASK if masked else None
    )
    np.testing.assert_allclose(got.read, want_read, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got.weights, want_weights, rtol=1e-5, atol=1e-7)
    if masked:
        # Masked slots get exactly zero weight and the lowest float32 logit.
        assert np.all(got.weights[~MASK] == 0.0)
        np.testing.assert_array_equal(got.weight_logits[~MASK], np.finfo(np.float32).min)
        np.testing.assert_allclose(got.weight_logits[MASK], want_logits[MASK], rtol=1e-5)
    else:
        np.testing.assert_allclose(got.weight_logits, want_logits, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got.weights.sum(axis=1), np.ones(3), rtol=1e-6)


def test_uniform_logits_average_the_unmasked_slots(mode):
    memory = np.arange(12, dtype=np.float32).reshape(3, 4, 1)
    read = AttentiveRead(lambda x: tf.zeros([tf.shape(x)[0], 1]))
    out = read(tf.constant(memory), tf.zeros([3, 2]), memory_mask=tf.constant(MASK))
    expected = [memory[i, MASK[i], 0].mean() for i in range(3)]
    np.testing.assert_allclose(mode.evaluate(out.read)[:, 0], expected, rtol=1e-6)


def test_shared_by_two_parents_and_in_tf_function(mode):
    read = AttentiveRead(_linear_logits())

    class Parent(snt.AbstractModule):
        def _build(self, memory, query):
            return read(memory, query).read

    a, b = Parent(name="a"), Parent(name="b")
    ya, yb = a(tf.constant(MEMORY), tf.constant(QUERY)), b(tf.constant(MEMORY), tf.constant(QUERY))
    assert [v.name for v in a.variables] == [v.name for v in b.variables]
    assert len(read.get_all_variables()) == 2
    va, vb = mode.evaluate([ya, yb])
    np.testing.assert_allclose(va, vb)
    if mode.eager:
        traced = tf.function(lambda m, q: read(m, q).read)(tf.constant(MEMORY), tf.constant(QUERY))
        np.testing.assert_allclose(traced.numpy(), va, rtol=1e-6)
        assert len(read.get_all_variables()) == 2


def test_gradients_reach_the_logit_module(mode, check_trains):
    logit_mod = _linear_logits()
    read = AttentiveRead(logit_mod)
    target = tf.constant(MEMORY[:, 0])

    def loss():
        return tf.reduce_sum(tf.square(read(tf.constant(MEMORY), tf.constant(QUERY)).read - target))

    check_trains(mode, loss, lambda: logit_mod.variables, learning_rate=0.02)


def test_shape_errors(graph):
    read = AttentiveRead(_linear_logits(), name="att")
    memory, query = tf.constant(MEMORY), tf.constant(QUERY)
    with pytest.raises(snt.IncompatibleShapeError, match=r"att: memory must have shape .*\[3, 4\]"):
        read(memory[:, :, 0], query)
    with pytest.raises(snt.IncompatibleShapeError, match="att: query must have shape"):
        read(memory, query[:, :, None])
    with pytest.raises(snt.IncompatibleShapeError, match="att: memory_mask must have shape"):
        read(memory, query, memory_mask=tf.constant(MASK)[:, :, None])
    unknown = tf.compat.v1.placeholder(tf.float32, [3, 4, None])
    with pytest.raises(snt.UnderspecifiedError, match="att: memory_word_size and query_word"):
        read(unknown, query)
    with pytest.raises(snt.UnderspecifiedError, match="att: memory_word_size"):
        read(memory, tf.compat.v1.placeholder(tf.float32, [3, None]))
    with pytest.raises(TypeError, match="bad: attention_logit_mod must be a module or callable"):
        AttentiveRead(3, name="bad")


@pytest.mark.parametrize("logit_shape", [lambda n: [n], lambda n: [n, 1, 1], lambda n: [n, 2]])
def test_logit_module_must_give_one_logit_per_slot(mode, logit_shape):
    read = AttentiveRead(lambda x: tf.zeros(logit_shape(12)), name="att")
    with pytest.raises(snt.IncompatibleShapeError, match="att: attention_logit_mod must return"):
        read(tf.constant(MEMORY), tf.constant(QUERY))


def test_runtime_checks(mode):
    read = AttentiveRead(_linear_logits(), name="att")
    empty_row = MASK.copy()
    empty_row[2] = False
    with pytest.raises(tf.errors.InvalidArgumentError, match="att: every example needs"):
        mode.evaluate(
            read(tf.constant(MEMORY), tf.constant(QUERY), memory_mask=tf.constant(empty_row)).read
        )
    if mode.eager:
        memory, query = tf.constant(MEMORY[:1]), tf.constant(QUERY)
        feed = None
    else:
        memory = tf.compat.v1.placeholder(tf.float32, [None, 4, 5])
        query = tf.compat.v1.placeholder(tf.float32, [None, 2])
        feed = {memory: MEMORY[:1], query: QUERY}
    with pytest.raises(tf.errors.InvalidArgumentError, match="att: memory and query must have"):
        mode.evaluate(read(memory, query).read, feed_dict=feed)
