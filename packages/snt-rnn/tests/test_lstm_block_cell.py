"""LSTMBlockCell: the fused kernel's values and gradients against NumPy, names, errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

BATCH, INPUT, UNITS = 3, 2, 4


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_step(x, c, h, p, forget_bias=1.0, clip=None, peephole=False):
    """One step of the LSTM the fused kernel computes; gates [i, ci, f, o] along axis 1."""
    gates = np.concatenate([x, h], 1) @ p["kernel"] + p["bias"]
    i, ci, f, o = np.split(gates, 4, axis=1)
    if peephole:
        i = i + p["w_i_diag"] * c
        f = f + p["w_f_diag"] * c
    c_new = sigmoid(f + forget_bias) * c + sigmoid(i) * np.tanh(ci)
    unclipped = c_new
    if clip is not None and clip > 0:
        c_new = np.clip(c_new, -clip, clip)
    if peephole:
        o = o + p["w_o_diag"] * c_new
    h_new = np.tanh(c_new) * sigmoid(o)
    return c_new, h_new, unclipped


def np_unroll(x_seq, c, h, p, **kwargs):
    outputs, cells = [], []
    for x in x_seq:
        c, h, unclipped = np_step(x, c, h, p, **kwargs)
        outputs.append(h)
        cells.append(unclipped)
    return outputs, (c, h), cells


def variables_by_name(cell):
    return {v.name.split("/")[-1][:-2]: v for v in cell.get_variables()}


def assign(mode, cell, values):
    """Gives the cell's variables the given NumPy values (in either mode)."""
    by_name = variables_by_name(cell)
    if mode.eager:
        for name, value in values.items():
            by_name[name].assign(value)
    else:
        mode.initialize()
        mode.session().run([by_name[n].assign(v) for n, v in values.items()])


def connect_with_values(mode, cell, connect, values):
    """Runs ``connect()`` with the cell's variables holding ``values``.

    Eagerly the values must be in place before the computation runs: a first
    call creates the variables, which are then assigned, then ``connect()``
    runs again. In graph mode the ops read the variables when the session runs.
    """
    if mode.eager:
        connect()
        assign(mode, cell, values)
        return connect()
    result = connect()
    assign(mode, cell, values)
    return result


def random_params(rng, peephole, scale=0.6):
    params = {
        "kernel": (rng.randn(INPUT + UNITS, 4 * UNITS) * scale).astype(np.float32),
        "bias": (rng.randn(4 * UNITS) * scale).astype(np.float32),
    }
    if peephole:
        for name in ("w_i_diag", "w_f_diag", "w_o_diag"):
            params[name] = rng.randn(UNITS).astype(np.float32)
    return params


def inputs(rng, steps=2, state_scale=1.0):
    x = [rng.randn(BATCH, INPUT).astype(np.float32) for _ in range(steps)]
    c = (rng.randn(BATCH, UNITS) * state_scale).astype(np.float32)
    h = rng.randn(BATCH, UNITS).astype(np.float32)
    return x, c, h


CONFIGS = [
    {},
    {"forget_bias": 0.3},
    {"use_peephole": True},
    {"use_peephole": True, "cell_clip": 0.5},
    {"cell_clip": 0.5},
    {"cell_clip": -1.0},  # tf.contrib's "no clipping"
]


def np_kwargs(config):
    return {
        "forget_bias": config.get("forget_bias", 1.0),
        "clip": config.get("cell_clip"),
        "peephole": config.get("use_peephole", False),
    }


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(map(str, c.items())) or "-")
def test_two_steps_match_numpy(mode, config):
    rng = np.random.RandomState(0)
    x, c, h = inputs(rng, state_scale=2.0)
    cell = snt.LSTMBlockCell(UNITS, **config)
    params = random_params(rng, config.get("use_peephole", False))

    def connect():
        out1, state1 = cell(tf.constant(x[0]), (tf.constant(c), tf.constant(h)))
        out2, state2 = cell(tf.constant(x[1]), state1)
        return out1, out2, state2

    got = mode.evaluate(connect_with_values(mode, cell, connect, params))
    outputs, (c_end, h_end), cells = np_unroll(x, c, h, params, **np_kwargs(config))
    for got_out, want in zip(got[:2], outputs, strict=True):
        np.testing.assert_allclose(got_out, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[2].c, c_end, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[2].h, h_end, rtol=1e-5, atol=1e-6)
    clip = config.get("cell_clip")
    if clip is not None and clip > 0:
        assert (np.abs(np.concatenate(cells)) > clip).any()  # the clip mattered


# -- gradients -----------------------------------------------------------------

STEPS = 2


def np_loss(flat, shapes, x_fixed_weights, kwargs):
    """The test's scalar loss, as a function of every input and parameter (float64)."""
    parts, start = {}, 0
    for name, shape in shapes.items():
        size = int(np.prod(shape))
        parts[name] = flat[start : start + size].reshape(shape)
        start += size
    x_seq = [parts[f"x{t}"] for t in range(STEPS)]
    outputs, (c, h), _ = np_unroll(x_seq, parts["c"], parts["h"], parts, **kwargs)
    r_out, r_c, r_h = x_fixed_weights
    return (
        sum((o * r).sum() for o, r in zip(outputs, r_out, strict=True))
        + (c * r_c).sum()
        + (h * r_h).sum()
    )


def numeric_grads(values, weights, kwargs, eps=1e-5):
    shapes = {k: v.shape for k, v in values.items()}
    flat = np.concatenate([v.astype(np.float64).ravel() for v in values.values()])
    grad = np.zeros_like(flat)
    for k in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[k] += eps
        down[k] -= eps
        grad[k] = (
            np_loss(up, shapes, weights, kwargs) - np_loss(down, shapes, weights, kwargs)
        ) / (2 * eps)
    out, start = {}, 0
    for name, shape in shapes.items():
        size = int(np.prod(shape))
        out[name] = grad[start : start + size].reshape(shape)
        start += size
    return out


def grad_problem(config, seed=1):
    rng = np.random.RandomState(seed)
    x, c, h = inputs(rng, STEPS, state_scale=1.5)
    params = random_params(rng, config.get("use_peephole", False))
    weights = (
        [rng.randn(BATCH, UNITS) for _ in range(STEPS)],
        rng.randn(BATCH, UNITS),
        rng.randn(BATCH, UNITS),
    )
    values = {**{f"x{t}": x[t] for t in range(STEPS)}, "c": c, "h": h, **params}
    return values, weights


def tf_loss(cell, tensors, weights):
    state = (tensors["c"], tensors["h"])
    loss = 0.0
    for t in range(STEPS):
        out, state = cell(tensors[f"x{t}"], state)
        loss += tf.reduce_sum(out * weights[0][t].astype(np.float32))
    loss += tf.reduce_sum(state.c * weights[1].astype(np.float32))
    return loss + tf.reduce_sum(state.h * weights[2].astype(np.float32))


def check_clip_margin(values, config):
    """The finite differences are meaningful only away from the clip's kinks."""
    clip = config.get("cell_clip")
    if clip is None:
        return
    x_seq = [values[f"x{t}"] for t in range(STEPS)]
    _, _, cells = np_unroll(x_seq, values["c"], values["h"], values, **np_kwargs(config))
    distance = np.abs(np.abs(np.concatenate(cells)) - clip)
    assert distance.min() > 1e-3
    assert (np.abs(np.concatenate(cells)) > clip).any()  # some units are clipped
    assert (np.abs(np.concatenate(cells)) < clip).any()  # and some are not


GRAD_CONFIGS = [
    {},
    {"use_peephole": True, "forget_bias": 0.5},
    {"cell_clip": 0.8},
    {"use_peephole": True, "cell_clip": 0.8},
]


@pytest.mark.parametrize("config", GRAD_CONFIGS, ids=lambda c: ",".join(map(str, c)) or "-")
def test_gradients_match_numpy(mode, config):
    values, weights = grad_problem(config)
    check_clip_margin(values, config)
    cell = snt.LSTMBlockCell(UNITS, **config)
    tensors = {k: tf.constant(v) for k, v in values.items() if k in ("c", "h", "x0", "x1")}
    if mode.eager:
        cell(tensors["x0"], (tensors["c"], tensors["h"]))  # create the variables
        assign(mode, cell, {k: v for k, v in values.items() if k not in tensors})
        with tf.GradientTape() as tape:
            tape.watch(list(tensors.values()))
            loss = tf_loss(cell, tensors, weights)
        sources = {**tensors, **variables_by_name(cell)}
        grads = dict(zip(sources, tape.gradient(loss, list(sources.values())), strict=True))
    else:
        loss = tf_loss(cell, tensors, weights)
        sources = {**tensors, **variables_by_name(cell)}
        grads = dict(zip(sources, tf.gradients(loss, list(sources.values())), strict=True))
        assign(mode, cell, {k: v for k, v in values.items() if k not in tensors})
    got = mode.evaluate(grads)
    want = numeric_grads(values, weights, np_kwargs(config))
    assert set(got) == set(want)
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=2e-3, atol=2e-4, err_msg=name)


def test_gradients_inside_tf_function_match_numpy(eager):
    config = {"use_peephole": True, "cell_clip": 0.8}
    values, weights = grad_problem(config)
    check_clip_margin(values, config)
    cell = snt.LSTMBlockCell(UNITS, **config)
    tensors = {k: tf.constant(v) for k, v in values.items() if k in ("c", "h", "x0", "x1")}

    @tf.function
    def grads_of(tensors):
        with tf.GradientTape() as tape:
            tape.watch(list(tensors.values()))
            loss = tf_loss(cell, tensors, weights)
        sources = {**tensors, **variables_by_name(cell)}
        return dict(zip(sources, tape.gradient(loss, list(sources.values())), strict=True))

    grads_of(tensors)  # the first trace creates the variables
    assign(eager, cell, {k: v for k, v in values.items() if k not in tensors})
    got = eager.evaluate(grads_of(tensors))
    want = numeric_grads(values, weights, np_kwargs(config))
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=2e-3, atol=2e-4, err_msg=name)


def test_clipped_units_pass_no_gradient(mode):
    # A huge cell state saturates the clip: nothing reaches the previous cell state
    # through the clipped path, while the hidden path still carries gradient.
    cell = snt.LSTMBlockCell(UNITS, cell_clip=0.1)
    c = tf.constant(np.full([BATCH, UNITS], 50.0, np.float32))
    h = tf.zeros([BATCH, UNITS])
    x = tf.ones([BATCH, INPUT])
    if mode.eager:
        with tf.GradientTape() as tape:
            tape.watch([c, h, x])
            out, state = cell(x, (c, h))
            loss = tf.reduce_sum(state.c) + tf.reduce_sum(out)
        grads = tape.gradient(loss, [c, h, x])
    else:
        out, state = cell(x, (c, h))
        grads = tf.gradients(tf.reduce_sum(state.c) + tf.reduce_sum(out), [c, h, x])
    grad_c, grad_h, grad_x = mode.evaluate(grads)
    np.testing.assert_array_equal(grad_c, np.zeros_like(grad_c))
    assert np.abs(grad_h).sum() > 0 and np.abs(grad_x).sum() > 0


# -- structure, names, modes ------------------------------------------------------


def test_variable_names_and_shapes(mode):
    cell = snt.LSTMBlockCell(5)
    assert cell.scope_name == "lstm_block_cell"
    cell(tf.ones([2, 3]), cell.initial_state(2))
    shapes = {v.name: v.shape.as_list() for v in cell.get_variables()}
    assert shapes == {
        "lstm_block_cell/lstm_cell/kernel:0": [8, 20],
        "lstm_block_cell/lstm_cell/bias:0": [20],
    }
    named = snt.LSTMBlockCell(2, use_peephole=True, name="lstm_block")
    named(tf.ones([1, 1]), named.initial_state(1))
    assert sorted(v.name for v in named.get_variables()) == [
        f"lstm_block/lstm_block/{n}:0"
        for n in ("bias", "kernel", "w_f_diag", "w_i_diag", "w_o_diag")
    ]
    assert named.use_peephole and not cell.use_peephole


def test_default_initializers(mode):
    cell = snt.LSTMBlockCell(3)
    cell(tf.ones([2, 2]), cell.initial_state(2))
    values = mode.evaluate(variables_by_name(cell))
    np.testing.assert_array_equal(values["bias"], np.zeros(12))
    limit = np.sqrt(6.0 / (5 + 12))  # Glorot uniform, fan_in 5, fan_out 12
    assert np.abs(values["kernel"]).max() <= limit and values["kernel"].std() > 0


def test_sizes_and_initial_state(mode):
    cell = snt.LSTMBlockCell(4)
    assert cell.state_size == (4, 4) and cell.output_size == 4
    assert cell.state_size._fields == ("c", "h")
    state = cell.initial_state(3)
    trainable = cell.initial_state(3, trainable=True)
    out, next_state = cell(tf.ones([3, 2]), trainable)
    values = mode.evaluate((state, trainable, out, next_state))
    assert [v.shape for v in values[0]] == [(3, 4), (3, 4)]
    assert not values[0].c.any() and not values[1].h.any()
    assert values[2].shape == (3, 4)
    np.testing.assert_array_equal(values[2], values[3].h)


def test_connections_share_variables_and_unroll(mode):
    cell = snt.LSTMBlockCell(3, name="shared")
    seq = tf.constant(np.random.RandomState(2).randn(4, 2, 5).astype(np.float32))
    outs, final = tf.compat.v1.nn.dynamic_rnn(cell, seq, dtype=tf.float32, time_major=True)
    state = cell.zero_state(2, tf.float32)
    steps = []
    for t in range(4):
        out, state = cell(seq[t], state)
        steps.append(out)
    assert len(cell.get_variables()) == 2
    got = mode.evaluate((outs, final, steps, state))
    np.testing.assert_allclose(got[0], np.stack(got[2]), rtol=1e-6)
    np.testing.assert_allclose(got[1].c, got[3].c, rtol=1e-6)


def test_inside_deep_rnn_and_snt_unroll(mode):
    cell = snt.LSTMBlockCell(3)
    deep = snt.DeepRNN([cell, snt.LSTMBlockCell(2, name="second")], skip_connections=False)
    seq = tf.ones([3, 2, 4])
    out, final = snt.dynamic_unroll(deep, seq, deep.initial_state(2))
    grads = None
    if not mode.eager:
        grads = tf.gradients(tf.reduce_sum(out), list(deep.trainable_variables))
    values = mode.evaluate((out, final) if grads is None else (out, final, grads))
    assert values[0].shape == (3, 2, 2)
    assert sorted(v.name for v in deep.trainable_variables) == [
        "lstm_block_cell/lstm_cell/bias:0",
        "lstm_block_cell/lstm_cell/kernel:0",
        "second/second/bias:0",
        "second/second/kernel:0",
    ]
    if grads is not None:
        assert all(np.abs(g).sum() > 0 for g in values[2])


def test_tf_function_creates_variables_on_first_trace(eager):
    cell = snt.LSTMBlockCell(3)
    step = tf.function(lambda x, s: cell(x, s))
    x = tf.constant(np.random.RandomState(3).randn(2, 2).astype(np.float32))
    out, state = step(x, cell.initial_state(2))
    params = {k: v.numpy() for k, v in variables_by_name(cell).items()}
    zeros = np.zeros([2, 3], np.float32)
    c_want, h_want, _ = np_step(x.numpy(), zeros, zeros, params)
    np.testing.assert_allclose(out.numpy(), h_want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state.c.numpy(), c_want, rtol=1e-5, atol=1e-6)


def test_float16(mode):
    cell = snt.LSTMBlockCell(3, dtype=tf.float16)
    x = np.random.RandomState(4).randn(2, 2).astype(np.float16)
    out, state = cell(tf.constant(x), cell.initial_state(2, dtype=tf.float16))
    got, params = mode.evaluate((out, variables_by_name(cell)))
    assert got.dtype == np.float16 and params["kernel"].dtype == np.float16
    zeros = np.zeros([2, 3], np.float32)
    params = {k: v.astype(np.float32) for k, v in params.items()}
    _, h_want, _ = np_step(x.astype(np.float32), zeros, zeros, params)
    np.testing.assert_allclose(got.astype(np.float32), h_want, rtol=1e-2, atol=2e-3)


# -- errors ---------------------------------------------------------------------


def test_errors(mode):
    cell = snt.LSTMBlockCell(3, name="cell")
    with pytest.raises(snt.NotConnectedError, match="cell: module not connected yet"):
        cell.get_variables()
    with pytest.raises(ValueError, match=r"cell: Expecting state to be a tuple with length 2"):
        cell(tf.ones([2, 2]), tf.zeros([2, 3]))
    # A fresh cell: the input policy keeps the dtype of a module's first call.
    fresh = snt.LSTMBlockCell(3, name="fresh")
    with pytest.raises(
        TypeError, match=r"fresh: .*float16 and float32; the inputs' dtype is float64"
    ):
        fresh(tf.ones([2, 2], tf.float64), fresh.initial_state(2, tf.float64))
    with pytest.raises(
        snt.IncompatibleShapeError, match=r"cell: LSTMBlockCell expects inputs of rank 2"
    ):
        cell(tf.ones([2, 2, 2]), cell.initial_state(2))
    with pytest.raises(
        snt.IncompatibleShapeError, match=r"cell: prev_state entry 1 must have shape"
    ):
        cell(tf.ones([2, 2]), (tf.zeros([2, 3]), tf.zeros([2, 4])))
    # Refused by the input policy (a state leaf of another dtype than the first call's).
    with pytest.raises(TypeError, match=r"cell: prev_state must keep the dtype .* got float16"):
        cell(tf.ones([2, 2]), (tf.zeros([2, 3]), tf.zeros([2, 3], tf.float16)))
    half = snt.LSTMBlockCell(3, dtype="float16", name="half")
    with pytest.raises(TypeError, match=r"half: inputs must have the cell's dtype float16"):
        half(tf.ones([2, 2]), half.initial_state(2))
    with pytest.raises(TypeError, match=r"lstm_block_cell(_\d+)?: .*; dtype is float64"):
        snt.LSTMBlockCell(3, dtype=tf.float64)
    with pytest.raises(
        ValueError, match=r"lstm_block_cell(_\d+)?: num_units must be a positive int"
    ):
        snt.LSTMBlockCell(0)
    with pytest.raises(TypeError, match=r"lstm_block_cell(_\d+)?: cell_clip must be a number"):
        snt.LSTMBlockCell(2, cell_clip="1")


V1_SCRIPT = """
import sys
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()  # TF1 semantics: ref variables, TF1 while loops
import sonnet as snt

values = dict(np.load(sys.argv[1]))
weights = dict(np.load(sys.argv[2]))
cell = snt.LSTMBlockCell(4, use_peephole=True, cell_clip=0.8)
inputs = {k: tf.constant(values[k]) for k in ("x0", "x1", "c", "h")}
seq = tf.stack([inputs["x0"], inputs["x1"]])
state = type(cell.state_size)(inputs["c"], inputs["h"])  # LSTMStateTuple, as the loop needs
outputs, final = tf.nn.dynamic_rnn(cell, seq, initial_state=state, time_major=True)
loss = (
    tf.reduce_sum(outputs * weights["out"])
    + tf.reduce_sum(final[0] * weights["c"])
    + tf.reduce_sum(final[1] * weights["h"])
)
variables = {v.name.split("/")[-1][:-2]: v for v in cell.get_variables()}
sources = {**inputs, **variables}
grads = dict(zip(sources, tf.gradients(loss, list(sources.values()))))
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    session.run([variables[k].assign(values[k]) for k in variables])
    np.savez(sys.argv[3], **session.run(grads))
"""


def test_gradients_in_tf1_graph_mode_through_dynamic_rnn(tmp_path):
    # TF1 behaviour (what Sonnet 1 programs run with) is process-wide: a subprocess.
    import subprocess
    import sys

    config = {"use_peephole": True, "cell_clip": 0.8}
    values, weights = grad_problem(config)
    check_clip_margin(values, config)
    np.savez(tmp_path / "values.npz", **values)
    np.savez(
        tmp_path / "weights.npz",
        out=np.stack(weights[0]).astype(np.float32),
        c=weights[1].astype(np.float32),
        h=weights[2].astype(np.float32),
    )
    subprocess.run(
        [sys.executable, "-c", V1_SCRIPT]
        + [str(tmp_path / n) for n in ("values.npz", "weights.npz", "grads.npz")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    got = dict(np.load(tmp_path / "grads.npz"))
    want = numeric_grads(values, weights, np_kwargs(config))
    assert set(got) == set(want)
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=2e-3, atol=2e-4, err_msg=name)
