from unittest import mock

import numpy as np
import pytest
import tensorflow as tf

from snt_nets.linear import Linear
from snt_nets.sequential import Sequential


def test_modules_and_ops(mode, check_trains):
    lin1, lin2 = Linear(4, name="inp_to_hidden"), Linear(2, name="hidden_to_out")
    seq = Sequential([lin1, tf.sigmoid, lin2])
    x = tf.constant(np.random.RandomState(0).randn(3, 5).astype(np.float32))
    y = seq(x)
    seq(x)
    assert seq.layers == (lin1, tf.sigmoid, lin2)
    assert [v.name for v in seq.get_all_variables()] == [
        "hidden_to_out/b:0",
        "hidden_to_out/w:0",
        "inp_to_hidden/b:0",
        "inp_to_hidden/w:0",
    ]
    w1, b1, w2, b2, out = mode.evaluate([lin1.w, lin1.b, lin2.w, lin2.b, y])
    x_np = mode.evaluate(x)
    ref = (1 / (1 + np.exp(-(x_np @ w1 + b1)))) @ w2 + b2
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    check_trains(mode, lambda: tf.reduce_mean(tf.square(seq(x))), lambda: seq.get_all_variables())


def test_tuples_are_unpacked(mode):
    seq = Sequential([lambda a, b: (a + b, a - b), lambda a, b: a * b])
    out = seq(tf.constant(3.0), tf.constant(2.0))
    assert mode.evaluate(out) == 5.0
    assert Sequential([])(tf.constant(1.0)) is not None


def test_get_variables_logs_a_warning(mode):
    seq = Sequential([Linear(2)])
    seq(tf.ones([1, 2]))
    with mock.patch.object(tf.compat.v1.logging, "warning") as warning:
        assert seq.get_variables() == ()
    assert warning.call_count == 1
    message = warning.call_args[0][0]
    assert message.startswith("sequential: ")
    assert "will always return an empty tuple" in message


def test_get_all_variables_does_not_warn(mode):
    lin = Linear(2)
    seq = Sequential([lin])
    seq(tf.ones([1, 2]))
    with mock.patch.object(tf.compat.v1.logging, "warning") as warning:
        assert {v.name for v in seq.get_all_variables()} == {v.name for v in lin.get_variables()}
    warning.assert_not_called()


def test_not_callable(eager):
    with pytest.raises(TypeError, match=r"sequential: .*Items 1 not callable with types: int"):
        Sequential([tf.nn.relu, 3])
    with pytest.raises(
        TypeError, match=r"sequential_1: .*Items 1, 2 not callable with types: int, bool"
    ):
        Sequential([tf.nn.relu, 3, True, tf.nn.relu])


def test_none_is_not_iterable(eager):
    with pytest.raises(TypeError, match=r"sequential: .*'NoneType' object is not iterable"):
        Sequential(None)
