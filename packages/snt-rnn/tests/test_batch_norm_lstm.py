"""BatchNormLSTM: numerics against NumPy, variables, statistics per step, unrolling, errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

EPS = 1e-3
DECAY = 0.999


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def bn(x, mean=None, var=None):
    if mean is None:
        mean, var = x.mean(0, keepdims=True), x.var(0, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS)


def np_step(x, h, c, v, stats=None, peep=False, bn_h=True, bn_x=False, bn_c=False):
    """``stats``: None (batch statistics) or {"h": (mean, var), ...} moving statistics."""

    def norm(key, t):
        return bn(t) if stats is None else bn(t, *stats[key])

    if bn_h or bn_x:
        gh = h @ v["w_gates_H"]
        gx = x @ v["w_gates_X"]
        if bn_h:
            gh = v["gamma_h"] * norm("h", gh)
        if bn_x:
            gx = v["gamma_x"] * norm("x", gx)
        gates = gh + gx
    else:
        gates = np.concatenate([x, h], 1) @ v["w_gates"]
    i, j, f, o = np.split(gates + v["b_gates"], 4, axis=1)
    if peep:
        f = f + v["w_f_diag"] * c
        i = i + v["w_i_diag"] * c
    c_new = sigmoid(f + 1.0) * c + sigmoid(i) * np.tanh(j)
    out = c_new
    if bn_c:
        out = v["beta_c"] + v["gamma_c"] * norm("c", out)
    if peep:
        out = out * (1 + v["w_o_diag"])
    return np.tanh(out) * sigmoid(o), c_new


def short(var):
    return var.name.split("/", 1)[1].split(":")[0]


def values(mode, core):
    return {
        short(v): val
        for v, val in zip(core.variables, mode.evaluate(list(core.variables)), strict=True)
    }


def randomize(mode, core, seed=0, positive_variance=True):
    """Random values for every variable (moving variances positive)."""
    rng = np.random.default_rng(seed)
    for v in core.variables:
        val = rng.uniform(-0.8, 0.8, v.shape).astype(np.float32)
        if "moving_variance" in v.name and positive_variance:
            val = np.abs(val) + 0.5
        if mode.eager:
            v.assign(val)
        else:
            mode.initialize()
            v.load(val, mode.session())


RNG = np.random.default_rng(42)
X = RNG.normal(size=(5, 3)).astype(np.float32)
H = RNG.normal(size=(5, 4)).astype(np.float32)
C = RNG.normal(size=(5, 4)).astype(np.float32)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"use_peepholes": True, "use_batch_norm_x": True, "use_batch_norm_c": True},
        {"use_batch_norm_h": False, "use_batch_norm_x": True},
        {"use_batch_norm_h": False, "use_peepholes": True},
    ],
)
def test_step_matches_numpy_train_and_test(mode, options):
    core = snt.BatchNormLSTM(4, **options)
    kw = {
        "peep": options.get("use_peepholes", False),
        "bn_h": options.get("use_batch_norm_h", True),
        "bn_x": options.get("use_batch_norm_x", False),
        "bn_c": options.get("use_batch_norm_c", False),
    }
    state = snt.LSTMState(tf.constant(H), tf.constant(C))
    core(tf.constant(X), state, is_training=False)  # creates the variables
    randomize(mode, core)
    v = values(mode, core)
    # Test first: eagerly the training call moves the averages at once.
    test = core(tf.constant(X), state, is_training=False, test_local_stats=False)
    train = core(tf.constant(X), state, is_training=True)
    stats = {
        k: (
            v[f"batch_norm_{k}/batch_norm/moving_mean"],
            v[f"batch_norm_{k}/batch_norm/moving_variance"],
        )
        for k in "hxc"
        if f"batch_norm_{k}/batch_norm/moving_mean" in v
    }
    (out_test, state_test) = mode.evaluate(test)
    h_ref, c_ref = np_step(X, H, C, v, stats=stats, **kw)
    np.testing.assert_allclose(out_test, h_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state_test.cell, c_ref, rtol=1e-4, atol=1e-5)
    out_train, state_train = mode.evaluate(train)
    h_ref, c_ref = np_step(X, H, C, v, stats=None, **kw)
    np.testing.assert_allclose(out_train, h_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state_train.hidden, h_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state_train.cell, c_ref, rtol=1e-4, atol=1e-5)


def test_training_updates_moving_averages(mode):
    core = snt.BatchNormLSTM(4)
    out, _ = core(tf.constant(X), core.initial_state(5), is_training=True)
    mode.evaluate(out)
    if not mode.eager:  # graph mode: the updates are in UPDATE_OPS
        updates = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
        assert len(updates) == 2
        mode.evaluate(updates)
    v = values(mode, core)
    w = v["w_gates_H"]
    gates = np.zeros((5, 4)) @ w  # zero hidden state: batch mean 0, variance 0
    np.testing.assert_allclose(v["batch_norm_h/batch_norm/moving_mean"], gates[:1] * 0)
    np.testing.assert_allclose(
        v["batch_norm_h/batch_norm/moving_variance"], np.full((1, 16), DECAY), rtol=1e-6
    )


def test_variable_names_and_shapes(mode):
    core = snt.BatchNormLSTM(
        4, use_peepholes=True, use_batch_norm_x=True, use_batch_norm_c=True, max_unique_stats=2
    )
    core(tf.constant(X), core.initial_state(5), is_training=True)
    got = {v.name: v.shape.as_list() for v in core.variables}
    expected = {
        "batch_norm_lstm/w_gates_H:0": [4, 16],
        "batch_norm_lstm/w_gates_X:0": [3, 16],
        "batch_norm_lstm/b_gates:0": [16],
        "batch_norm_lstm/w_f_diag:0": [4],
        "batch_norm_lstm/w_i_diag:0": [4],
        "batch_norm_lstm/w_o_diag:0": [4],
        "batch_norm_lstm/gamma_h:0": [16],
        "batch_norm_lstm/gamma_x:0": [16],
        "batch_norm_lstm/gamma_c:0": [4],
        "batch_norm_lstm/beta_c:0": [4],
    }
    for scope, n in (("batch_norm_h", 16), ("batch_norm_x", 16), ("batch_norm_c", 4)):
        for bn_name in ("batch_norm", "batch_norm_1"):
            for stat in ("moving_mean", "moving_variance"):
                expected[f"batch_norm_lstm/{scope}/{bn_name}/{stat}:0"] = [1, n]
    assert got == expected
    trainable = {v.name for v in core.trainable_variables}
    assert not any("moving" in name for name in trainable)
    assert core.get_possible_initializer_keys(use_peepholes=True, use_batch_norm_c=True) == {
        "w_gates", "b_gates", "w_f_diag", "w_i_diag", "w_o_diag", "gamma_h", "gamma_c", "beta_c"
    }  # fmt: skip


def test_single_matrix_without_h_or_x_norm(mode):
    core = snt.BatchNormLSTM(4, use_batch_norm_h=False, use_batch_norm_c=True)
    core(tf.constant(X), core.initial_state(5), is_training=False)
    assert [v.name for v in core.variables] == [
        "batch_norm_lstm/b_gates:0",
        "batch_norm_lstm/batch_norm_c/batch_norm/moving_mean:0",
        "batch_norm_lstm/batch_norm_c/batch_norm/moving_variance:0",
        "batch_norm_lstm/beta_c:0",
        "batch_norm_lstm/gamma_c:0",
        "batch_norm_lstm/w_gates:0",
    ]
    assert core.variables[-1].shape.as_list() == [7, 16]
    v = values(mode, core)
    np.testing.assert_allclose(v["gamma_c"], np.full(4, 0.1), rtol=1e-6)
    np.testing.assert_allclose(v["beta_c"], np.zeros(4))


def test_max_unique_stats_uses_one_set_per_step(mode):
    core = snt.BatchNormLSTM(4, max_unique_stats=3)
    assert core.state_size == (tf.TensorShape([4]), tf.TensorShape([4]), tf.TensorShape([1]))
    state = core.initial_state(5)
    assert len(state) == 3 and state[2].shape.as_list() == [5, 1]
    core(tf.constant(X), state, is_training=False)
    randomize(mode, core)
    v = values(mode, core)
    outs = []
    for t in range(5):
        step = tf.fill([5, 1], float(t))
        out, next_state = core(
            tf.constant(X), (tf.constant(H), tf.constant(C), step), is_training=False,
            test_local_stats=False,
        )  # fmt: skip
        outs.append((out, next_state[2]))
    results = mode.evaluate(outs)
    for t, (out, next_step) in enumerate(results):
        k = min(t, 2)
        name = "batch_norm" if k == 0 else f"batch_norm_{k}"
        stats = {
            "h": (
                v[f"batch_norm_h/{name}/moving_mean"],
                v[f"batch_norm_h/{name}/moving_variance"],
            )
        }
        np.testing.assert_allclose(out, np_step(X, H, C, v, stats)[0], rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(next_step, np.full((5, 1), t + 1.0))
    # Different sets give different outputs.
    assert not np.allclose(results[0][0], results[1][0])


def test_max_unique_stats_updates_only_the_current_set(mode):
    core = snt.BatchNormLSTM(4, max_unique_stats=2)
    h = tf.constant(H)
    out, _ = core(tf.constant(X), (h, tf.constant(C), tf.ones([5, 1])), is_training=True)
    mode.evaluate(out)
    if not mode.eager:
        mode.evaluate(tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS))
    v = values(mode, core)
    gates = H @ v["w_gates_H"]
    np.testing.assert_allclose(v["batch_norm_h/batch_norm/moving_mean"], np.zeros((1, 16)))
    np.testing.assert_allclose(v["batch_norm_h/batch_norm/moving_variance"], np.ones((1, 16)))
    np.testing.assert_allclose(
        v["batch_norm_h/batch_norm_1/moving_mean"],
        (1 - DECAY) * gates.mean(0, keepdims=True),
        rtol=1e-4,
        atol=1e-7,
    )


def test_trainable_initial_state_with_time_step(mode):
    core = snt.BatchNormLSTM(4, max_unique_stats=2)
    hidden, cell, step = core.initial_state(5, trainable=True)
    core(tf.constant(X), (hidden, cell, step), is_training=False)
    names = {v.name for v in core.trainable_variables}
    assert "batch_norm_lstm/initial_state/hidden/w:0" in names
    assert "batch_norm_lstm/initial_state/cell/w:0" in names
    assert not any("initial_state/2" in n or "time" in n for n in names)
    np.testing.assert_allclose(mode.evaluate(step), np.zeros((5, 1)))


@pytest.mark.parametrize("max_unique_stats", [1, 2])
def test_dynamic_rnn_with_batch_norm_control(mode, max_unique_stats):
    core = snt.BatchNormLSTM(4, use_batch_norm_c=True, max_unique_stats=max_unique_stats)
    inputs = tf.constant(RNG.normal(size=(3, 5, 3)).astype(np.float32))  # time major
    controlled = core.with_batch_norm_control(is_training=False, test_local_stats=False)
    assert controlled.state_size == core.state_size
    assert controlled.output_size == core.output_size
    state = controlled.initial_state(5)
    controlled(inputs[0], state)
    randomize(mode, core)
    v = values(mode, core)
    rnn_out, rnn_state = tf.compat.v1.nn.dynamic_rnn(
        controlled, inputs, initial_state=state, time_major=True
    )
    unroll_out, unroll_state = snt.dynamic_unroll(controlled, inputs, state)
    rnn_out, unroll_out, rnn_state = mode.evaluate((rnn_out, unroll_out, rnn_state))
    h, c = np.zeros((5, 4), np.float32), np.zeros((5, 4), np.float32)
    for t in range(3):
        k = min(t, max_unique_stats - 1)
        name = "batch_norm" if k == 0 else f"batch_norm_{k}"
        stats = {
            s: (
                v[f"batch_norm_{s}/{name}/moving_mean"],
                v[f"batch_norm_{s}/{name}/moving_variance"],
            )
            for s in "hc"
        }
        h, c = np_step(mode.evaluate(inputs)[t], h, c, v, stats, bn_c=True)
        np.testing.assert_allclose(rnn_out[t], h, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(unroll_out[t], h, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(rnn_state[1], c, rtol=1e-4, atol=1e-5)
    if max_unique_stats > 1:
        np.testing.assert_allclose(rnn_state[2], np.full((5, 1), 3.0))


def test_training_inside_unroll_updates_stats(mode):
    core = snt.BatchNormLSTM(4)
    inputs = tf.constant(RNG.normal(size=(3, 5, 3)).astype(np.float32))
    controlled = core.with_batch_norm_control(is_training=True)
    out, _ = tf.compat.v1.nn.dynamic_rnn(
        controlled, inputs, initial_state=core.initial_state(5), time_major=True
    )
    mode.evaluate(out)
    var = values(mode, core)["batch_norm_h/batch_norm/moving_variance"]
    assert not np.allclose(var, 1.0)


def test_dynamic_unroll_in_tf_function():
    tf.compat.v1.reset_default_graph()
    core = snt.BatchNormLSTM(4, max_unique_stats=2)
    controlled = core.with_batch_norm_control(is_training=True)
    inputs = tf.constant(RNG.normal(size=(3, 5, 3)).astype(np.float32))

    @tf.function
    def run():
        return snt.dynamic_unroll(controlled, inputs, core.initial_state(5))

    out, state = run()
    assert out.shape == (3, 5, 4) and np.all(np.isfinite(out.numpy()))
    np.testing.assert_allclose(state[2].numpy(), np.full((5, 1), 3.0))
    means = {short(v): v.numpy() for v in core.variables if "moving_mean" in v.name}
    assert not np.allclose(means["batch_norm_h/batch_norm_1/moving_mean"], 0.0)


def test_errors_name_the_module(mode):
    with pytest.raises(ValueError, match=r"my_lstm.*max_unique_stats must be >= 1"):
        snt.BatchNormLSTM(4, max_unique_stats=0, name="my_lstm")
    with pytest.raises(ValueError, match=r"my_lstm.*needs batch normalization"):
        snt.BatchNormLSTM(4, use_batch_norm_h=False, max_unique_stats=2, name="my_lstm")
    with pytest.raises(ValueError, match=r"my_lstm.*cell_clip_value must be nonnegative"):
        snt.BatchNormLSTM(4, cell_clip_value=-1.0, name="my_lstm")
    with pytest.raises(KeyError, match=r"gamma_x"):
        snt.BatchNormLSTM(4, initializers={"gamma_x": tf.zeros_initializer()})
    core = snt.BatchNormLSTM(4, name="my_lstm")
    with pytest.raises(ValueError, match=r"my_lstm.*is_training flag must be explicitly specified"):
        core(tf.constant(X), core.initial_state(5))
    with pytest.raises(ValueError, match=r"my_lstm.*prev_state must be"):
        core(tf.constant(X), (tf.constant(H), tf.constant(C), tf.zeros([5, 1])), is_training=True)


def test_clipping_and_properties(mode):
    core = snt.BatchNormLSTM(4, use_batch_norm_h=False, hidden_clip_value=0.5, cell_clip_value=0.2)
    assert core.use_batch_norm_h is False and core.use_peepholes is False
    assert core.use_batch_norm_x is False and core.use_batch_norm_c is False
    out, state = core(tf.constant(X), (tf.constant(H), tf.constant(C)), is_training=True)
    v = values(mode, core)
    h_ref, c_ref = np_step(X, np.clip(H, -0.5, 0.5), np.clip(C, -0.2, 0.2), v, bn_h=False)
    got = mode.evaluate((out, state))
    np.testing.assert_allclose(got[0], h_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got[1].cell, c_ref, rtol=1e-4, atol=1e-5)
