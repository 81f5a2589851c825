"""ACTCore: the halting computation against a NumPy reference, in every mode; errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

BATCH, INPUT, HIDDEN, OUTPUT = 4, 2, 3, 2
THRESHOLD = 0.9


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# -- NumPy reference -------------------------------------------------------------


def np_vanilla(p):
    """A VanillaRNN step (tanh) with the given weights; state is a list with one array."""

    def step(inputs, state):
        (h,) = state
        new = np.tanh(inputs @ p["wx"] + p["bx"] + h @ p["wh"] + p["bh"])
        return new, [new]

    return step


def np_lstm(p):
    """An snt.LSTM step (gates i, j, f, o; forget bias 1); state is [hidden, cell]."""

    def step(inputs, state):
        h, c = state
        i, j, f, o = np.split(np.concatenate([inputs, h], 1) @ p["w_gates"] + p["b_gates"], 4, 1)
        c = sigmoid(f + 1.0) * c + sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * sigmoid(o)
        return h, [h, c]

    return step


def np_act(x, state, core_step, halting_leaf, act, threshold=THRESHOLD, max_steps=0):
    """ACT written per batch entry, straight from its definition.

    Entry b runs the core on [x_b, 0], then on [x_b, 1], ...; step n gets weight
    h_n while the running sum of h stays <= threshold, and 1 - (sum before) on
    the step where it exceeds it (or on step max_steps). Returns the output,
    iterations, remainders, the weighted state, and how close each halting
    decision came to the threshold.
    """
    outputs, iterations, remainders, states, margins = [], [], [], [], []
    for b in range(x.shape[0]):
        s = [leaf[b : b + 1] for leaf in state]
        total, n, remainder = 0.0, 0, 0.0
        acc_out, acc_state = 0.0, [0.0] * len(s)
        while True:
            n += 1
            flag = np.array([[0.0 if n == 1 else 1.0]])
            out, s = core_step(np.concatenate([x[b : b + 1], flag], 1), s)
            h = sigmoid(s[halting_leaf] @ act["halt_w"] + act["halt_b"])[0, 0]
            margins.append(abs(total + h - threshold))
            halted = total + h > threshold or (max_steps > 0 and n >= max_steps)
            p = 1.0 - total if halted else h
            acc_out = acc_out + p * out
            acc_state = [a + p * leaf for a, leaf in zip(acc_state, s, strict=True)]
            if halted:
                remainder = 1.0 - total if n > 1 else 0.0
                break
            total += h
        outputs.append(acc_out[0])
        iterations.append([n])
        remainders.append([remainder])
        states.append(acc_state)
    output = np.stack(outputs) @ act["out_w"] + act["out_b"]
    state = [np.concatenate([st[k] for st in states]) for k in range(len(state))]
    return output, np.array(iterations, float), np.array(remainders), state, min(margins)


# -- helpers -----------------------------------------------------------------------


def act_variables(act):
    names = {
        "halt_w": "halting_linear/w",
        "halt_b": "halting_linear/b",
        "out_w": "act_output_linear/w",
        "out_b": "act_output_linear/b",
    }
    by_name = {v.name[len(act.scope_name) + 1 : -2]: v for v in act.get_variables()}
    return {k: by_name[n] for k, n in names.items()}


def random_act_values(rng, halting_in, core_out, halt_bias=-1.0):
    return {
        "halt_w": (rng.randn(halting_in, 1) * 1.5).astype(np.float32),
        "halt_b": np.array([halt_bias], np.float32),
        "out_w": rng.randn(core_out, OUTPUT).astype(np.float32),
        "out_b": rng.randn(OUTPUT).astype(np.float32),
    }


def connect_with_values(mode, act, connect, values):
    """Runs ``connect()`` with the ACT's own variables holding ``values`` (both modes).

    Eagerly the first call creates the variables and computes with their initial
    values, so ``connect()`` runs again once they are assigned.
    """
    result = connect()
    variables = act_variables(act)
    if mode.eager:
        for k, v in values.items():
            variables[k].assign(v)
        return connect()
    mode.initialize()
    mode.session().run([variables[k].assign(v) for k, v in values.items()])
    return result


def vanilla_core(rng, input_size=INPUT + 1):
    p = {
        "wx": rng.randn(input_size, HIDDEN).astype(np.float32),
        "bx": rng.randn(HIDDEN).astype(np.float32) * 0.5,
        "wh": rng.randn(HIDDEN, HIDDEN).astype(np.float32),
        "bh": rng.randn(HIDDEN).astype(np.float32) * 0.5,
    }
    init = tf.compat.v1.constant_initializer
    core = snt.VanillaRNN(
        HIDDEN,
        initializers={
            "in_to_hidden": {"w": init(p["wx"]), "b": init(p["bx"])},
            "hidden_to_hidden": {"w": init(p["wh"]), "b": init(p["bh"])},
        },
    )
    return core, p


# -- numerics ----------------------------------------------------------------------


@pytest.mark.parametrize("max_steps, seed", [(0, 0), (3, 3)])
def test_one_step_matches_numpy_with_vanilla_core(mode, max_steps, seed):
    rng = np.random.RandomState(seed)
    core, p = vanilla_core(rng)
    act = snt.ACTCore(core, OUTPUT, THRESHOLD, lambda state: state, max_steps=max_steps)
    x = rng.randn(BATCH, INPUT).astype(np.float32)
    h0 = rng.randn(BATCH, HIDDEN).astype(np.float32)
    values = random_act_values(rng, HIDDEN, HIDDEN)

    def connect():
        (out, (iteration, remainder)), state = act(tf.constant(x), tf.constant(h0))
        return out, iteration, remainder, state

    got = mode.evaluate(connect_with_values(mode, act, connect, values))
    want = np_act(x, [h0], np_vanilla(p), 0, values, max_steps=max_steps)
    assert want[4] > 1e-4  # no halting decision sits on the threshold
    np.testing.assert_allclose(got[0], want[0], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_allclose(got[2], want[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[3], want[3][0], rtol=1e-5, atol=1e-6)
    if max_steps:
        assert got[1].max() == max_steps and got[1].min() < max_steps
    else:
        assert len(np.unique(got[1])) > 1 and got[1].max() > 2  # entries ponder differently
    assert (got[2] >= 0).all() and (got[2] < 1).all()


def test_lstm_core_nested_state_matches_numpy(mode):
    rng = np.random.RandomState(1)
    p = {
        "w_gates": (rng.randn(INPUT + 1 + HIDDEN, 4 * HIDDEN) * 0.8).astype(np.float32),
        "b_gates": (rng.randn(4 * HIDDEN) * 0.5).astype(np.float32),
    }
    init = tf.compat.v1.constant_initializer
    lstm = snt.LSTM(HIDDEN, initializers={k: init(v) for k, v in p.items()})
    act = snt.ACTCore(lstm, OUTPUT, THRESHOLD, lambda state: state.hidden)
    x = rng.randn(BATCH, INPUT).astype(np.float32)
    h0, c0 = (rng.randn(BATCH, HIDDEN).astype(np.float32) for _ in range(2))
    values = random_act_values(rng, HIDDEN, HIDDEN, halt_bias=-1.5)

    def connect():
        (out, (iteration, remainder)), state = act(tf.constant(x), snt.LSTMState(h0, c0))
        return out, iteration, remainder, state

    got = mode.evaluate(connect_with_values(mode, act, connect, values))
    want = np_act(x, [h0, c0], np_lstm(p), 0, values)
    assert want[4] > 1e-4
    np.testing.assert_allclose(got[0], want[0], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_allclose(got[2], want[2], rtol=1e-5, atol=1e-6)
    assert isinstance(got[3], snt.LSTMState)
    np.testing.assert_allclose(got[3].hidden, want[3][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[3].cell, want[3][1], rtol=1e-5, atol=1e-6)
    assert len(np.unique(got[1])) > 1


def test_dynamic_rnn_over_a_sequence_matches_numpy(mode):
    rng = np.random.RandomState(2)
    core, p = vanilla_core(rng)
    act = snt.ACTCore(core, OUTPUT, THRESHOLD, lambda state: state)
    seq = rng.rand(3, BATCH, INPUT).astype(np.float32)
    h0 = rng.randn(BATCH, HIDDEN).astype(np.float32)
    values = random_act_values(rng, HIDDEN, HIDDEN)

    def connect():
        return tf.compat.v1.nn.dynamic_rnn(
            act, tf.constant(seq), initial_state=tf.constant(h0), time_major=True
        )

    (out, (iteration, remainder)), final = mode.evaluate(
        connect_with_values(mode, act, connect, values)
    )
    assert out.shape == (3, BATCH, OUTPUT) and iteration.shape == (3, BATCH, 1)
    assert out.dtype == iteration.dtype == remainder.dtype == final.dtype == np.float32
    state = [h0]
    for t in range(3):
        want = np_act(seq[t], state, np_vanilla(p), 0, values)
        assert want[4] > 1e-4
        np.testing.assert_allclose(out[t], want[0], rtol=1e-4, atol=1e-5)
        np.testing.assert_array_equal(iteration[t], want[1])
        np.testing.assert_allclose(remainder[t], want[2], rtol=1e-4, atol=1e-5)
        state = want[3]
    np.testing.assert_allclose(final, state[0], rtol=1e-4, atol=1e-5)


def test_inside_tf_function_matches_numpy(eager):
    rng = np.random.RandomState(3)
    core, p = vanilla_core(rng)
    act = snt.ACTCore(core, OUTPUT, THRESHOLD, lambda state: state)
    x = rng.randn(BATCH, INPUT).astype(np.float32)
    h0 = rng.randn(BATCH, HIDDEN).astype(np.float32)
    values = random_act_values(rng, HIDDEN, HIDDEN)
    step = tf.function(lambda x, h: act(x, h))
    step(tf.constant(x), tf.constant(h0))  # the first trace creates every variable
    for k, v in act_variables(act).items():
        v.assign(values[k])
    (out, (iteration, remainder)), state = step(tf.constant(x), tf.constant(h0))
    want = np_act(x, [h0], np_vanilla(p), 0, values)
    np.testing.assert_allclose(out.numpy(), want[0], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(iteration.numpy(), want[1])
    np.testing.assert_allclose(remainder.numpy(), want[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state.numpy(), want[3][0], rtol=1e-5, atol=1e-6)
    # A batch of unknown size traces too.
    spec = tf.TensorSpec([None, INPUT]), tf.TensorSpec([None, HIDDEN])
    dynamic = tf.function(lambda x, h: act(x, h), input_signature=spec)
    np.testing.assert_allclose(dynamic(x, h0)[0][0].numpy(), want[0], rtol=1e-5, atol=1e-5)


# -- gradients ---------------------------------------------------------------------


def loss_weights(rng):
    return rng.randn(BATCH, OUTPUT), rng.randn(BATCH, HIDDEN)


def np_loss(x, halt_b, out_w, p, values, weights):
    act = dict(values, halt_b=halt_b, out_w=out_w)
    out, _, remainder, state, _ = np_act(x, [p["h0"]], np_vanilla(p), 0, act)
    return (out * weights[0]).sum() + remainder.sum() + (state[0] * weights[1]).sum()


def numeric_grads(x, p, values, weights, eps=1e-5):
    params = {"x": x.astype(np.float64), "halt_b": values["halt_b"], "out_w": values["out_w"]}
    grads = {}
    for name, value in params.items():
        grad = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            shifted = []
            for sign in (1, -1):
                args = {k: np.array(v, np.float64) for k, v in params.items()}
                args[name][index] += sign * eps
                shifted.append(
                    np_loss(args["x"], args["halt_b"], args["out_w"], p, values, weights)
                )
            grad[index] = (shifted[0] - shifted[1]) / (2 * eps)
        grads[name] = grad
    return grads


def test_gradients_match_numpy(mode):
    rng = np.random.RandomState(4)
    core, p = vanilla_core(rng)
    act = snt.ACTCore(core, OUTPUT, THRESHOLD, lambda state: state)
    x = rng.randn(BATCH, INPUT).astype(np.float32)
    p["h0"] = rng.randn(BATCH, HIDDEN).astype(np.float32)
    values = random_act_values(rng, HIDDEN, HIDDEN)
    weights = loss_weights(rng)
    x_t = tf.constant(x)

    def loss_of():
        (out, (_, remainder)), state = act(x_t, tf.constant(p["h0"]))
        return (
            tf.reduce_sum(out * weights[0].astype(np.float32))
            + tf.reduce_sum(remainder)
            + tf.reduce_sum(state * weights[1].astype(np.float32))
        )

    def connect():
        with tf.GradientTape() as tape:  # (ignored in graph mode)
            tape.watch(x_t)
            loss = loss_of()
        variables = act_variables(act)
        sources = [x_t, variables["halt_b"], variables["out_w"]]
        if mode.eager:
            return tape.gradient(loss, sources)
        return tf.gradients(loss, sources)

    got = mode.evaluate(connect_with_values(mode, act, connect, values))
    want = numeric_grads(x, p, values, weights)
    assert np_act(x, [p["h0"]], np_vanilla(p), 0, values)[4] > 1e-3
    for got_grad, name in zip(got, ("x", "halt_b", "out_w"), strict=True):
        np.testing.assert_allclose(got_grad, want[name], rtol=2e-3, atol=2e-4, err_msg=name)
    assert np.abs(want["halt_b"]).sum() > 0  # the halting unit is trained


# -- structure, names, errors ------------------------------------------------------


def test_variables_sizes_and_properties(mode):
    lstm = snt.LSTM(5)
    act = snt.ACTCore(lstm, 4, 0.99, lambda state: state.hidden)
    assert act.output_size == (tf.TensorShape([4]), (tf.TensorShape([1]), tf.TensorShape([1])))
    assert act.state_size == lstm.state_size
    with pytest.raises(snt.NotConnectedError, match="act_core"):
        _ = act.batch_size
    state = act.initial_state(2)
    assert isinstance(state, snt.LSTMState)
    act(tf.ones([2, 3]), state)
    assert act.batch_size == 2 and act.dtype == tf.float32
    shapes = {v.name: v.shape.as_list() for v in act.get_variables()}
    assert shapes == {
        "act_core/halting_linear/w:0": [5, 1],
        "act_core/halting_linear/b:0": [1],
        "act_core/act_output_linear/w:0": [5, 4],
        "act_core/act_output_linear/b:0": [4],
    }
    assert {v.name for v in lstm.get_variables()} == {"lstm/w_gates:0", "lstm/b_gates:0"}
    assert lstm.get_variables()[1].shape.as_list() == [3 + 1 + 5, 20]  # the flag input
    assert len(act.trainable_variables) == 6  # the core's are tracked too
    act(tf.ones([2, 3]), state)  # a second connection shares every variable
    assert len(act.get_variables()) == 4 and len(act.trainable_variables) == 6


def test_nested_helpers():
    from snt_rnn.act_core import _nested_add, _nested_unary_mul, _nested_zeros_like

    a = (tf.constant(1.0), (tf.constant([2.0, 3.5]), tf.constant([[-1.0, -1.0], [0.0, 2.0]])))
    b = (tf.constant(-0.5), (tf.constant([2.25, 3.0]), tf.constant([[1.0, -1.0], [1.0, -2.0]])))
    total = _nested_add(a, b)
    np.testing.assert_allclose(total[0].numpy(), 0.5)
    np.testing.assert_allclose(total[1][1].numpy(), [[0.0, -2.0], [1.0, 0.0]])
    scaled = _nested_unary_mul(a, tf.constant(0.5))
    np.testing.assert_allclose(scaled[1][0].numpy(), [1.0, 1.75])
    per_entry = _nested_unary_mul(
        (tf.ones([2, 3, 4]), tf.ones([2, 5])), tf.constant([[2.0], [3.0]])
    )
    np.testing.assert_allclose(
        per_entry[0].numpy(), np.array([2.0, 3.0])[:, None, None] * np.ones([2, 3, 4])
    )
    np.testing.assert_allclose(per_entry[1].numpy(), np.array([[2.0] * 5, [3.0] * 5]))
    zeros = _nested_zeros_like(a)
    assert [z.numpy().tolist() for z in tf.nest.flatten(zeros)] == [
        0.0,
        [0.0, 0.0],
        [[0.0, 0.0]] * 2,
    ]


class TupleOutputCore(snt.RNNCore):
    @property
    def output_size(self):
        return tf.TensorShape([1]), tf.TensorShape([1])

    @property
    def state_size(self):
        return tf.TensorShape([1])

    def _build(self, inputs, state):
        raise NotImplementedError


class MatrixOutputCore(TupleOutputCore):
    @property
    def output_size(self):
        return tf.TensorShape([1, 1])


def test_errors(mode):
    with pytest.raises(ValueError, match=r"act_core: Output of core should be single Tensor\."):
        snt.ACTCore(TupleOutputCore(name="tuple_core"), 1, 0.99, lambda s: s)
    with pytest.raises(ValueError, match=r"act_core(_\d+)?: Output of core should be 1D\."):
        snt.ACTCore(MatrixOutputCore(name="matrix_core"), 1, 0.99, lambda s: s)
    core = snt.VanillaRNN(2)
    with pytest.raises(ValueError, match=r"a: Threshold should be between 0 and 1, but found 1.5"):
        snt.ACTCore(core, 1, 1.5, lambda s: s, name="a")
    with pytest.raises(TypeError, match=r"a(_\d+)?: get_state_for_halting must be callable"):
        snt.ACTCore(core, 1, 0.5, None, name="a")
    with pytest.raises(ValueError, match=r"a(_\d+)?: max_steps must be >= 0"):
        snt.ACTCore(core, 1, 0.5, lambda s: s, max_steps=-1, name="a")
    with pytest.raises(ValueError, match=r"a(_\d+)?: output_size must be a positive int"):
        snt.ACTCore(core, 0, 0.5, lambda s: s, name="a")
    act = snt.ACTCore(core, 1, 0.5, lambda s: s, name="b")
    with pytest.raises(ValueError, match=r"b: ACTCore inputs must have rank 2"):
        act(tf.ones([2, 2, 2]), act.initial_state(2))
