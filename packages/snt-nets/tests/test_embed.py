import numpy as np
import pytest
import tensorflow as tf

from snt_nets.embed import Embed, embedding_dim


def test_lookup_and_names(mode, check_trains):
    embed = Embed(vocab_size=10, embed_dim=4)
    ids = tf.constant([[1, 2], [3, 1]])
    out = embed(ids)
    assert [(v.name, v.shape.as_list()) for v in embed.get_variables()] == [
        ("embed/embeddings:0", [10, 4])
    ]
    table, result = mode.evaluate([embed.embeddings, out])
    np.testing.assert_allclose(result, table[[[1, 2], [3, 1]]])
    check_trains(mode, lambda: tf.reduce_mean(tf.square(embed(ids) - 2)), lambda: embed.variables)


def test_existing_vocab_densify_untrainable(mode):
    vocab = np.arange(6, dtype=np.float32).reshape(3, 2)
    embed = Embed(existing_vocab=vocab, densify_gradients=True, trainable=False)
    out = embed(tf.constant([2, 0]))
    np.testing.assert_allclose(mode.evaluate(out), vocab[[2, 0]])
    assert embed.vocab_size == 3 and embed.embed_dim == 2
    assert embed.trainable_variables == ()


def test_default_dim():
    assert Embed(vocab_size=16).embed_dim == embedding_dim(16) == 12


def test_partitioned(graph):
    embed = Embed(10, 3, partitioners={"embeddings": tf.compat.v1.fixed_size_partitioner(2)})
    out = embed(tf.constant([0, 9]))
    assert graph.evaluate(out).shape == (2, 3)


def test_errors(eager):
    with pytest.raises(ValueError, match="embed: give vocab_size or existing_vocab"):
        Embed()
    with pytest.raises(ValueError, match="embed_1: existing_vocab fixes the table"):
        Embed(vocab_size=3, existing_vocab=np.ones([3, 2]))
    with pytest.raises(ValueError, match=r"embed_2: existing_vocab must be a matrix .*\[3\]"):
        Embed(existing_vocab=np.ones([3]))
    with pytest.raises(KeyError, match="embed_3: Invalid initializer keys"):
        Embed(3, 2, initializers={"w": tf.zeros_initializer()})
    with pytest.raises(TypeError, match=r"embed_4: ids must be integers \(ids\); got float32"):
        Embed(3, 2)(tf.ones([2]))
