"""snt.restore_initializer and custom_getters.restore_initializer (graph and eager)."""

import numpy as np
import pytest
import tensorflow as tf
from getter_helpers import FastAffine, input_batch

import sonnet as snt

W = np.arange(6, dtype=np.float32).reshape(3, 2) * 7.0
B = np.array([-1.0, 5.0], np.float32)


@pytest.fixture
def checkpoint(tmp_path):
    """A name-based checkpoint holding ``old/w`` and ``old/b``, written by a v1 Saver."""
    with tf.Graph().as_default():
        w = tf.compat.v1.get_variable("old/w", initializer=W)
        b = tf.compat.v1.get_variable("old/b", initializer=B)
        saver = tf.compat.v1.train.Saver([w, b])
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.global_variables_initializer())
            return saver.save(session, str(tmp_path / "model.ckpt"))


def test_restore_initializer_reads_scope_and_name(mode, checkpoint):
    with tf.compat.v1.variable_scope("old"):
        w = tf.compat.v1.get_variable(
            "w", [3, 2], initializer=snt.restore_initializer(checkpoint, "w")
        )
    with tf.compat.v1.variable_scope("new"):
        b = tf.compat.v1.get_variable(
            "b", [2], initializer=snt.restore_initializer(checkpoint, "b", scope="old")
        )
        b2 = tf.compat.v1.get_variable(
            "b2",
            [2],
            initializer=snt.restore_initializer(
                checkpoint, "b", scope=lambda current: current.replace("new", "old")
            ),
        )
    w, b, b2 = mode.evaluate([w, b, b2])
    np.testing.assert_array_equal(w, W)
    np.testing.assert_array_equal(b, B)
    np.testing.assert_array_equal(b2, B)


def test_restore_getter_restores_every_variable_with_name_fn(mode, checkpoint):
    getter = snt.custom_getters.restore_initializer(
        checkpoint, name_fn=lambda name: name.replace("fast_affine", "old")
    )
    module = FastAffine(custom_getter=getter)
    y = module(input_batch())
    x = mode.evaluate(input_batch())
    np.testing.assert_allclose(mode.evaluate(y), x @ W + B, rtol=1e-6)


def test_restore_getter_respects_collection(mode, checkpoint):
    getter = snt.custom_getters.restore_initializer(
        checkpoint, collection=tf.compat.v1.GraphKeys.LOCAL_VARIABLES
    )
    module = FastAffine(custom_getter=getter)  # trainable globals: nothing restored
    y = module(tf.ones([1, 3]))
    np.testing.assert_allclose(mode.evaluate(y), [[1.6, 1.9]], rtol=1e-6)


def test_restore_initializer_missing_key_fails(mode, checkpoint):
    with pytest.raises(tf.errors.NotFoundError, match="nope"):
        v = tf.compat.v1.get_variable(
            "nope", [2], initializer=snt.restore_initializer(checkpoint, "nope")
        )
        mode.evaluate(v)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"var_name": ""}, r"restore_initializer: var_name must be a non-empty string, got ''"),
        ({"var_name": "w", "scope": 3}, r"scope must be None, a string or a callable, got int"),
    ],
)
def test_restore_initializer_rejects_bad_arguments(kwargs, message):
    with pytest.raises(TypeError, match=message):
        snt.restore_initializer("ckpt", **kwargs)


def test_restore_getter_rejects_bad_name_fn():
    with pytest.raises(TypeError, match=r"restore_initializer: name_fn must be callable or None"):
        snt.custom_getters.restore_initializer("ckpt", name_fn="x")


def test_legacy_ops_initializers_path():
    from sonnet.python.ops import initializers

    assert initializers.restore_initializer is snt.restore_initializer


def test_restore_initializer_fills_partitioned_variables(mode, checkpoint):
    with tf.compat.v1.variable_scope("old", partitioner=tf.compat.v1.fixed_size_partitioner(3)):
        w = tf.compat.v1.get_variable(
            "w", [3, 2], initializer=snt.restore_initializer(checkpoint, "w")
        )
    np.testing.assert_array_equal(mode.evaluate(tf.convert_to_tensor(w)), W)
