"""Sequential, BatchApply and copies track modules connected before they were handed over.

Modules are often connected on their own first (to inspect them) and then
passed to a container. The container must still track them: variables,
training and checkpoints. Also: ``clone()`` and ``transpose()`` of a module built
with a dict of custom getters keep the user's getters.
"""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

X = np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3)


def _call(mode, in_function, module, *args):
    if in_function and mode.eager:
        return tf.function(lambda *a: module(*a))(*args)
    return module(*args)


def _names(variables):
    return sorted(v.name for v in variables)


@pytest.mark.parametrize("in_function", [False, True], ids=["direct", "function"])
def test_sequential_tracks_a_layer_connected_before(mode, in_function, check_trains):
    enc = snt.Linear(4, name="enc")
    _call(mode, in_function, enc, tf.constant(X))
    seq = snt.Sequential([enc, tf.nn.relu, snt.Linear(2, name="head")])
    out = _call(mode, in_function, seq, tf.constant(X))
    expected = ["enc/b:0", "enc/w:0", "head/b:0", "head/w:0"]
    assert _names(seq.trainable_variables) == expected
    assert _names(seq.get_all_variables()) == expected
    w0, b0, w1, b1 = mode.evaluate([enc.w, enc.b, seq.layers[2].w, seq.layers[2].b])
    reference = np.maximum(X @ w0 + b0, 0.0) @ w1 + b1
    np.testing.assert_allclose(mode.evaluate(out), reference, rtol=1e-5, atol=1e-6)
    check_trains(
        mode, lambda: tf.reduce_sum(seq(tf.constant(X)) ** 2), lambda: seq.trainable_variables
    )


def test_batch_apply_tracks_a_module_connected_before(mode):
    lin = snt.Linear(2, name="inner")
    lin(tf.constant(X))
    apply = snt.BatchApply(lin)
    x = np.linspace(-1.0, 1.0, 24, dtype=np.float32).reshape(2, 4, 3)
    out = apply(tf.constant(x))
    assert _names(apply.trainable_variables) == ["inner/b:0", "inner/w:0"]
    assert _names(apply.get_all_variables()) == ["inner/b:0", "inner/w:0"]
    w, b = mode.evaluate([lin.w, lin.b])
    np.testing.assert_allclose(mode.evaluate(out), x @ w + b, rtol=1e-5, atol=1e-6)


def test_checkpoint_of_sequential_holds_a_layer_connected_before(eager, tmp_path):
    enc = snt.Linear(4, name="enc")
    enc(tf.constant(X))
    seq = snt.Sequential([enc, snt.Linear(2, name="head")])
    expected = seq(tf.constant(X)).numpy()
    path = tf.train.Checkpoint(model=seq).save(str(tmp_path / "ckpt"))
    for v in seq.trainable_variables:
        v.assign(tf.zeros_like(v))
    tf.train.Checkpoint(model=seq).restore(path).assert_consumed()
    np.testing.assert_array_equal(seq(tf.constant(X)).numpy(), expected)


def _doubling_getter(getter, *args, **kwargs):
    return 2.0 * getter(*args, **kwargs)


@pytest.mark.parametrize("copy", ["clone", "transpose"])
def test_copies_keep_a_dict_of_custom_getters(mode, copy):
    getters = {"w": _doubling_getter}
    lin = snt.Linear(3, custom_getter=getters, name="lin")
    lin(tf.constant(X))
    other = lin.clone() if copy == "clone" else lin.transpose()
    assert other.custom_getter is getters
    inputs = X if copy == "clone" else X @ np.ones([3, 3], np.float32)
    out = other(tf.constant(inputs))
    (w,) = [v for v in other.get_variables() if v.name.endswith("/w:0")]
    (b,) = [v for v in other.get_variables() if v.name.endswith("/b:0")]
    w_value, b_value = mode.evaluate([w, b])
    # The getter doubles w (matched by its name inside the copy's own scope), not b.
    np.testing.assert_allclose(mode.evaluate(out), inputs @ (2 * w_value) + b_value, rtol=1e-5)
