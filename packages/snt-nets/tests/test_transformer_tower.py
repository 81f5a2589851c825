"""snt.nets.TransformerTower: names, a NumPy reference, causality, memory, errors."""

import nets_numpy_reference as ref
import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.nets.transformer import MultiheadAttention, TransformerTower

RNG = np.random.RandomState(5)
B, N, H, V = 2, 4, 2, 2
D = H * V
X = RNG.randn(B, N, D).astype(np.float32)


def relative_values(module, mode):
    prefix = module.scope_name + "/"
    values = mode.evaluate({v.name[len(prefix) : -2]: v for v in module.variables})
    return {k: v.astype(np.float64) for k, v in values.items()}


@pytest.mark.parametrize("layer_norm", ["input", "none"])
def test_one_layer_matches_numpy(mode, layer_norm):
    tower = TransformerTower(
        value_size=V,
        num_heads=H,
        num_layers=1,
        output_size=3,
        mlp_hidden_sizes=[5],
        use_relative_positions=False,
        layer_norm=layer_norm,
    )
    out, states = tower(tf.constant(X), is_training=False)
    p = relative_values(tower, mode)
    normed = {"input": ref.layer_norm, "none": lambda h, *_: h}[layer_norm]

    def norm(h, wrapper):
        if layer_norm == "none":
            return h
        ln = f"layer_0/{wrapper}/layer_norm/"
        return normed(h, p[ln + "gamma"], p[ln + "beta"])

    mha = {k[len("layer_0/multihead_attention/") :]: v for k, v in p.items() if "multihead" in k}
    pos = ref.position_encodings(N, D)
    x = X.astype(np.float64)
    attended, weights, _ = ref.attention(
        norm(x, "residual_dropout_wrapper"), mha, H, V, mask=ref.future_mask(N), absolute=(pos, pos)
    )
    y = x + attended
    h = norm(y, "residual_dropout_wrapper_1")
    mlp = np.maximum(h @ p["layer_0/mlp/linear_0/w"] + p["layer_0/mlp/linear_0/b"], 0)
    z = y + mlp @ p["layer_0/mlp/linear_1/w"] + p["layer_0/mlp/linear_1/b"]
    got_out, got_weights = mode.evaluate([out, states[0].weights])
    np.testing.assert_allclose(got_weights, weights, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(got_out, z @ p["linear/w"], rtol=1e-4, atol=1e-4)


def test_variable_names_are_sonnet_1s(graph):
    tower = TransformerTower(
        value_size=V, num_heads=H, num_layers=2, output_size=3, mlp_hidden_sizes=[5]
    )
    tower(tf.constant(X))
    layer = [
        ("mlp/linear_0/b", [5]),
        ("mlp/linear_0/w", [D, 5]),
        ("mlp/linear_1/b", [D]),
        ("mlp/linear_1/w", [5, D]),
        ("multihead_attention/key/linear/w", [D, H * V]),
        ("multihead_attention/linear/b", [H * V]),
        ("multihead_attention/linear/w", [H * V, H * V]),
        ("multihead_attention/query/linear/w", [D, H * V]),
        ("multihead_attention/r_r_bias", [1, H, 1, V]),
        ("multihead_attention/r_w_bias", [1, H, 1, V]),
        ("multihead_attention/relative_keys/linear/w", [D, H * V]),
        ("multihead_attention/value/linear/w", [D, H * V]),
        ("residual_dropout_wrapper/layer_norm/beta", [D]),
        ("residual_dropout_wrapper/layer_norm/gamma", [D]),
        ("residual_dropout_wrapper_1/layer_norm/beta", [D]),
        ("residual_dropout_wrapper_1/layer_norm/gamma", [D]),
    ]
    want = [
        (f"transformer_tower/layer_{i}/{name}:0", shape) for i in range(2) for name, shape in layer
    ] + [("transformer_tower/linear/w:0", [D, 3])]
    got = [(v.name, v.shape.as_list()) for v in tower.get_variables()]
    assert got == sorted(want)
    assert len(tf.compat.v1.global_variables()) == len(want)
    tower(tf.constant(X), is_training=False)  # reconnection: no new variables
    assert len(tf.compat.v1.global_variables()) == len(want)


def test_causal_outputs_ignore_later_inputs(mode):
    tower = TransformerTower(value_size=V, num_heads=H, num_layers=2, mlp_hidden_sizes=[8])
    x = tf.constant(X)
    if mode.eager:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            out = tower(x, is_training=False)[0]
            rows = [tf.reduce_sum(out[:, t]) for t in range(N)]
        grads = [tape.gradient(r, x) for r in rows]
    else:
        out = tower(x, is_training=False)[0]
        grads = [tf.gradients(tf.reduce_sum(out[:, t]), x)[0] for t in range(N)]
    grads = mode.evaluate(grads)
    for t in range(N):
        assert np.all(grads[t][:, t + 1 :] == 0), t
        assert np.all(np.abs(grads[t][:, : t + 1]).sum(axis=-1) > 0), t


def test_non_causal_sees_everything(mode):
    tower = TransformerTower(value_size=V, num_heads=H, num_layers=1, causal=False)
    out, states = tower(tf.constant(X), is_training=False)
    assert np.all(mode.evaluate(states[0].weights) > 0)


def test_memory_state_and_condition(mode):
    tower = TransformerTower(value_size=V, num_heads=H, num_layers=2, mlp_hidden_sizes=[8])
    memory = [tf.constant(RNG.randn(B, 3, D).astype(np.float32)) for _ in range(2)]
    out, states = tower(tf.constant(X), state=memory, is_training=False)
    assert states[0].weights.shape.as_list() == [B, H, N, 3 + N]
    weights = mode.evaluate(states[1].weights)
    for i in range(N):  # the whole memory and the sequence up to i
        assert np.all(weights[:, :, i, : 3 + i + 1] > 0) and np.all(weights[:, :, i, 4 + i :] == 0)
    conditioned = TransformerTower(value_size=V, num_heads=H, num_layers=1, output_size=3)
    out = conditioned(tf.constant(X[..., :2]), condition=tf.ones([B, 2]), is_training=False)[0]
    assert out.shape.as_list() == [B, N, 3]
    # The condition is concatenated to every position: the layer sees D inputs.
    query_w = [v for v in conditioned.get_variables() if "query/linear/w" in v.name]
    assert query_w[0].shape.as_list() == [2 + 2, H * V]


def test_shared_attention_uses_layer_0s_module(mode):
    tower = TransformerTower(
        value_size=V, num_heads=H, num_layers=3, shared_attention=True, mlp_hidden_sizes=[8]
    )
    tower(tf.constant(X), is_training=False)
    names = [v.name for v in tower.get_variables() if "multihead_attention" in v.name]
    assert names and all(n.startswith("transformer_tower/layer_0/") for n in names)
    assert tower.attention_module(0) is tower.attention_module(2)
    assert any("layer_2/mlp" in v.name for v in tower.get_variables())


def test_dropout_only_in_training_and_tf_function(mode):
    tower = TransformerTower(value_size=V, num_heads=H, num_layers=1, dropout_rate=0.5)
    evaluation, training = tower(tf.constant(X), is_training=False)[0], tower(tf.constant(X))[0]
    first, second = mode.evaluate([evaluation, training])
    assert not np.allclose(first, second)
    np.testing.assert_allclose(mode.evaluate(evaluation), first)
    if mode.eager:
        traced = tf.function(lambda x: tower(x, is_training=False)[0])(tf.constant(X))
        np.testing.assert_allclose(traced.numpy(), first, rtol=1e-5, atol=1e-6)
        assert isinstance(tower.attention_module(0), MultiheadAttention)


def test_trains(mode, check_trains):
    tower = TransformerTower(value_size=V, num_heads=H, num_layers=1, mlp_hidden_sizes=[8])
    target = tf.constant(RNG.randn(B, N, D).astype(np.float32))

    def loss():
        return tf.reduce_mean(tf.square(tower(tf.constant(X), is_training=False)[0] - target))

    check_trains(mode, loss, lambda: tower.variables, learning_rate=0.02)


def test_errors(graph):
    with pytest.raises(ValueError, match="t: num_layers must be >= 1"):
        TransformerTower(value_size=V, num_heads=H, num_layers=0, name="t")
    with pytest.raises(TypeError, match="t_1: value_size must be an int"):
        TransformerTower(value_size="2", num_heads=H, num_layers=1, name="t_1")
    with pytest.raises(ValueError, match=r"t_2: dropout_rate must be in \[0, 1\)"):
        TransformerTower(value_size=V, num_heads=H, num_layers=1, dropout_rate=1.0, name="t_2")
    with pytest.raises(ValueError, match="t_3: layer_norm must be one of"):
        TransformerTower(value_size=V, num_heads=H, num_layers=1, layer_norm="pre", name="t_3")
    tower = TransformerTower(value_size=V, num_heads=H, num_layers=2, name="tt")
    with pytest.raises(snt.NotConnectedError, match="tt: module not connected"):
        tower.attention_module(0)
    with pytest.raises(ValueError, match=r"tt: position embedding dimension \(6\) does not match"):
        tower(tf.ones([B, N, 5]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"tt: inputs must be \[batch, num_steps"):
        tower(tf.ones([B, D]))
    with pytest.raises(snt.IncompatibleShapeError, match="tt: state must hold one memory per"):
        tower(tf.constant(X), state=[tf.ones([B, 2, D])])


def test_tf_function_retraces_share_the_variables(eager):
    tower = TransformerTower(value_size=V, num_heads=H, num_layers=2, mlp_hidden_sizes=[8])
    run = tf.function(lambda x: tower(x, is_training=False)[0])
    first = run(tf.constant(X))
    count = len(tower.variables)
    run(tf.constant(X[:1, :2]))  # another batch and length: a new trace, new submodules
    assert len(tower.variables) == count
    np.testing.assert_allclose(
        tower(tf.constant(X), is_training=False)[0].numpy(), first.numpy(), rtol=1e-5, atol=1e-6
    )
