import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.nets.mlp import MLP


def _reference(x, params, activation, activate_final):
    for i, (w, b) in enumerate(params):
        x = x @ w + b
        if i < len(params) - 1 or activate_final:
            x = activation(x)
    return x


@pytest.mark.parametrize("activate_final", [False, True])
def test_numerics_and_names(mode, activate_final):
    mlp = MLP([5, 3], activate_final=activate_final)
    x = np.random.RandomState(0).randn(2, 4).astype(np.float32)
    y = mlp(tf.constant(x))
    assert [(v.name, v.shape.as_list()) for v in mlp.get_variables()] == [
        ("mlp/linear_0/b:0", [5]),
        ("mlp/linear_0/w:0", [4, 5]),
        ("mlp/linear_1/b:0", [3]),
        ("mlp/linear_1/w:0", [5, 3]),
    ]
    params = mode.evaluate([(layer.w, layer.b) for layer in mlp.layers])
    ref = _reference(x, params, lambda v: np.maximum(v, 0), activate_final)
    np.testing.assert_allclose(mode.evaluate(y), ref, rtol=1e-5, atol=1e-6)
    assert mlp.output_sizes == (5, 3) and mlp.output_size == 3
    assert mlp.input_shape == (2, 4)


def test_shares_and_trains(mode, check_trains):
    mlp = MLP([4, 2], activation=tf.tanh)
    x = tf.constant(np.random.RandomState(1).randn(3, 2).astype(np.float32))
    mlp(x)
    mlp(x)
    assert len(mlp.variables) == 4
    check_trains(mode, lambda: tf.reduce_mean(tf.square(mlp(x) - 1)), lambda: mlp.variables)


def test_no_bias(mode):
    mlp = MLP([2, 2], use_bias=False)
    mlp(tf.ones([1, 3]))
    assert [v.name for v in mlp.variables] == ["mlp/linear_0/w:0", "mlp/linear_1/w:0"]


def test_dropout(mode):
    mlp = MLP(
        [50],
        activate_final=True,
        use_dropout=True,
        initializers={"w": tf.compat.v1.ones_initializer()},
    )
    x = tf.ones([4, 10])
    train = mlp(x, is_training=True, dropout_keep_prob=0.5)
    test = mlp(x, is_training=False)
    out_train, out_test = mode.evaluate([train, test])
    np.testing.assert_allclose(out_test, 10.0)
    assert set(np.unique(out_train)) <= {0.0, 20.0} and (out_train == 0).any()
    if not mode.eager:
        flag = tf.compat.v1.placeholder(tf.bool, [])
        out = mlp(x, is_training=flag)
        np.testing.assert_allclose(mode.evaluate(out, {flag: False}), 10.0)


def test_dropout_comes_before_the_activation(mode):
    # With an affine activation the order shows: 1 + dropout(10) is 1 or 21,
    # dropout(1 + 10) would be 0 or 22.
    mlp = MLP(
        [64],
        activation=lambda v: v + 1.0,
        activate_final=True,
        use_dropout=True,
        initializers={"w": tf.compat.v1.ones_initializer()},
    )
    out = mode.evaluate(mlp(tf.ones([8, 10]), is_training=True, dropout_keep_prob=0.5))
    assert set(np.unique(out)) <= {1.0, 21.0} and (out == 1.0).any() and (out == 21.0).any()


@pytest.mark.parametrize("use_bias", [False, True])
@pytest.mark.parametrize("activate_final", [False, True])
def test_output_op_is_the_last_step(graph, activate_final, use_bias):
    # Dropout is applied only where an activation follows, so the output op is the
    # activation (activate_final) or the last layer's matmul / bias add.
    mlp = MLP([3, 2], activate_final=activate_final, use_bias=use_bias, use_dropout=True)
    out = mlp(tf.ones([2, 4]))
    expected = {"Relu"} if activate_final else {"AddV2", "Add"} if use_bias else {"MatMul"}
    assert out.op.type in expected


def test_transpose_and_clone(mode):
    mlp = MLP([5, 3], activate_final=True)
    back = mlp.transpose()
    assert back.module_name == "mlp_transpose" and back.activate_final
    y = back(mlp(tf.ones([2, 4])))
    assert y.shape.as_list() == [2, 4]
    assert back.output_sizes == (5, 4)
    assert mlp.transpose(activate_final=False).activate_final is False
    clone = mlp.clone()
    clone(tf.ones([1, 4]))
    assert clone.module_name == "mlp_clone" and len(clone.variables) == 4


def test_tf_function_parity(eager):
    mlp = MLP([3, 2])
    x = tf.ones([2, 4])
    np.testing.assert_allclose(tf.function(mlp)(x).numpy(), mlp(x).numpy(), rtol=1e-6)
    assert len(mlp.variables) == 4


def test_errors(eager):
    with pytest.raises(ValueError, match="mlp: output_sizes must not be empty"):
        MLP([])
    with pytest.raises(TypeError, match="mlp_1: output_sizes must be iterable"):
        MLP(3)
    with pytest.raises(TypeError, match="mlp_2: Input 'activation' must be callable"):
        MLP([2], activation=3)
    with pytest.raises(KeyError, match="mlp_3: Invalid initializer keys"):
        MLP([2], use_bias=False, initializers={"b": tf.zeros_initializer()})
    with pytest.raises(snt.NotConnectedError, match="mlp_4 not instantiated yet"):
        _ = MLP([2]).input_shape
    mlp = MLP([2])
    mlp(tf.ones([1, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match="mlp_5/linear_0: input size must stay 3"):
        mlp(tf.ones([1, 4]))


def test_checkpoint_round_trip(eager, tmp_path):
    mlp = MLP([3, 2])
    x = tf.ones([1, 4])
    expected = mlp(x).numpy()
    path = tf.train.Checkpoint(model=mlp).save(str(tmp_path / "ckpt"))
    other = MLP([3, 2], name="other")
    other(x)
    tf.train.Checkpoint(model=other).restore(path).assert_existing_objects_matched()
    np.testing.assert_allclose(other(x).numpy(), expected)


def test_saver_uses_sonnet_names(graph, tmp_path):
    mlp = MLP([3])
    mlp(tf.ones([1, 2]))
    saver = tf.compat.v1.train.Saver()
    graph.initialize()
    saver.save(graph.session(), str(tmp_path / "model"))
    names = {name for name, _ in tf.train.list_variables(str(tmp_path / "model"))}
    assert names == {"mlp/linear_0/w", "mlp/linear_0/b"}
