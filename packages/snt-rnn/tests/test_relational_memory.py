"""RelationalMemory: a NumPy RMC step, Sonnet 1's variable names, initial memory, errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

SCOPE = "relational_memory/"


def randomize(mode, core, seed=0):
    """Random values for every variable, so that layer-norm scales and offsets matter too."""
    rng = np.random.default_rng(seed)
    values = {}
    for v in core.variables:
        value = rng.uniform(-0.8, 0.8, v.shape).astype(v.dtype.as_numpy_dtype)
        if mode.eager:
            v.assign(value)
        else:
            mode.initialize()
            v.load(value, mode.session())
        values[v.name[len(SCOPE) : -len(":0")]] = value
    return values


def np_layer_norm(x, p, name):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-5) * p[f"{name}/gamma"] + p[f"{name}/beta"]


def np_linear(x, p, name):
    return x @ p[f"{name}/w"] + p[f"{name}/b"]


def np_softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_rmc_step(p, x, memory, *, heads, head, key, blocks, mlp_layers, gate_style, matrix):
    """One RMC step written from the paper's equations (Sonnet 1's variable layout)."""
    batch, slots, size = memory.shape
    if matrix:
        rows = np_linear(x.reshape(batch, x.shape[1], -1), p, "linear")
    else:
        rows = np_linear(x.reshape(batch, -1), p, "linear")[:, None, :]
    mem = np.concatenate([memory, rows], axis=1)
    n = mem.shape[1]
    for b in range(blocks):
        norms = [f"layer_norm_{3 * b + i}" if 3 * b + i else "layer_norm" for i in range(3)]
        qkv = np_layer_norm(np_linear(mem, p, f"linear_{b + 1}"), p, norms[0])
        qkv = qkv.reshape(batch, n, heads, 2 * key + head).transpose(0, 2, 1, 3)
        q, k, v = qkv[..., :key], qkv[..., key : 2 * key], qkv[..., 2 * key :]
        weights = np_softmax(q @ k.transpose(0, 1, 3, 2) / np.sqrt(key))
        attended = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, n, heads * head)
        mem = np_layer_norm(mem + attended, p, norms[1])
        hidden = mem
        for layer in range(mlp_layers):
            hidden = np_linear(hidden, p, f"mlp/linear_{layer}")
            if layer < mlp_layers - 1:
                hidden = np.maximum(hidden, 0)
        mem = np_layer_norm(hidden + mem, p, norms[2])
    new = mem[:, :slots]
    if gate_style is not None:
        from_inputs = np_linear(rows.reshape(batch, -1), p, f"linear_{blocks + 1}")[:, None]
        gates = np_linear(np.tanh(memory), p, f"linear_{blocks + 2}") + from_inputs
        half = gates.shape[-1] // 2
        input_gate = np_sigmoid(gates[..., :half])  # input_bias 0
        forget_gate = np_sigmoid(gates[..., half:] + 1.0)  # forget_bias 1
        new = input_gate * np.tanh(new) + forget_gate * memory
    return new.reshape(batch, -1), new


@pytest.mark.parametrize(
    "gate_style, matrix, blocks, mlp_layers",
    [("unit", False, 2, 2), ("memory", True, 1, 3), (None, True, 2, 1)],
)
def test_two_steps_match_numpy(mode, gate_style, matrix, blocks, mlp_layers):
    heads, head, key, slots, batch = 2, 3, 4, 3, 2
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(2, batch, 2, 5)).astype(np.float32)
    rmc = snt.RelationalMemory(
        slots,
        head,
        num_heads=heads,
        num_blocks=blocks,
        gate_style=gate_style,
        attention_mlp_layers=mlp_layers,
        key_size=key,
    )
    memory0 = rmc.initial_state(batch)
    rmc(tf.constant(xs[0]), memory0, treat_input_as_matrix=matrix)  # creates the variables
    p = randomize(mode, rmc)  # before the connections below compute (eagerly)
    out1, memory1 = rmc(tf.constant(xs[0]), memory0, treat_input_as_matrix=matrix)
    out2, memory2 = rmc(tf.constant(xs[1]), memory1, treat_input_as_matrix=matrix)
    got = mode.evaluate({"m0": memory0, "o": (out1, out2), "m": (memory1, memory2)})
    config = dict(
        heads=heads,
        head=head,
        key=key,
        blocks=blocks,
        mlp_layers=mlp_layers,
        gate_style=gate_style,
        matrix=matrix,
    )
    memory = got["m0"]
    for step in range(2):
        out, memory = np_rmc_step(p, xs[step], memory, **config)
        np.testing.assert_allclose(got["o"][step], out, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(got["m"][step], memory, rtol=1e-4, atol=1e-5)


def test_variable_names_and_shapes_are_sonnet1s(mode):
    rmc = snt.RelationalMemory(4, 8, num_heads=2, num_blocks=2, key_size=5)
    rmc(tf.ones([3, 7]), rmc.initial_state(3))
    rmc(tf.ones([3, 7]), rmc.initial_state(3))  # reconnection: same variables
    shapes = {v.name: v.shape.as_list() for v in rmc.get_variables()}
    qkv = 2 * (2 * 5 + 8)
    expected = {
        "linear/w": [7, 16],
        "linear/b": [16],
        "mlp/linear_0/w": [16, 16],
        "mlp/linear_0/b": [16],
        "mlp/linear_1/w": [16, 16],
        "mlp/linear_1/b": [16],
        "linear_1/w": [16, qkv],
        "linear_1/b": [qkv],
        "linear_2/w": [16, qkv],
        "linear_2/b": [qkv],
        "linear_3/w": [16, 32],  # gates from the input row
        "linear_3/b": [32],
        "linear_4/w": [16, 32],  # gates from the memory
        "linear_4/b": [32],
    }
    for i, size in enumerate([qkv, 16, 16, qkv, 16, 16]):
        norm = f"layer_norm_{i}" if i else "layer_norm"
        expected[f"{norm}/gamma"] = [size]
        expected[f"{norm}/beta"] = [size]
    assert shapes == {f"{SCOPE}{name}:0": shape for name, shape in expected.items()}
    assert sorted(v.name for v in rmc.trainable_variables) == sorted(shapes)
    if not mode.eager:
        assert len(tf.compat.v1.global_variables()) == len(expected)


@pytest.mark.parametrize("slots, head, heads", [(4, 2, 1), (2, 4, 2), (3, 3, 1)])
def test_initial_state_is_a_padded_or_truncated_identity(mode, slots, head, heads):
    rmc = snt.RelationalMemory(slots, head, num_heads=heads)
    size = head * heads
    state = rmc.initial_state(2)
    assert state.shape.as_list() == [2, slots, size]
    expected = np.zeros([slots, size], np.float32)
    for i in range(min(slots, size)):
        expected[i, i] = 1
    np.testing.assert_array_equal(mode.evaluate(state), np.stack([expected] * 2))


def test_initial_state_dtype_tensor_batch_and_ignored_arguments(mode):
    rmc = snt.RelationalMemory(2, 3)
    batch = tf.constant(4)
    state = rmc.initial_state(batch, trainable=True, dtype=tf.float64, trainable_initializers=None)
    assert state.dtype == tf.float64
    np.testing.assert_array_equal(mode.evaluate(state)[3], np.eye(2, 3))
    out, memory = rmc(tf.ones([4, 2], tf.float64), state)
    assert not [v for v in rmc.variables if "initial_state" in v.name]  # never trainable
    assert memory.dtype == tf.float64 and out.dtype == tf.float64
    # The initial memory is never trainable, as in Sonnet 1: no variable holds it.
    assert not [v.name for v in rmc.variables if "initial" in v.name]
    zeros = rmc.zero_state(4, tf.float32)
    np.testing.assert_array_equal(mode.evaluate(zeros), np.zeros([4, 2, 3]))
    with pytest.raises(TypeError, match=r"relational_memory.initial_state: batch_size"):
        rmc.initial_state(2.5)
    # TF1-style code passes inputs.get_shape()[0], a Dimension under TF1 shape behaviour.
    from_dimension = rmc.initial_state(tf.compat.v1.Dimension(3))
    assert from_dimension.shape.as_list() == [3, 2, 3]
    with pytest.raises(TypeError, match=r"relational_memory.initial_state: batch_size"):
        rmc.initial_state(tf.compat.v1.Dimension(None))


def test_sizes_and_gate_shapes(mode):
    for style, gate in (("unit", 8), ("memory", 1), (None, 0)):
        rmc = snt.RelationalMemory(3, 4, num_heads=2, gate_style=style)
        assert rmc.state_size == tf.TensorShape([3, 8])
        assert rmc.output_size == tf.TensorShape([24])
        assert rmc._calculate_gate_size() == gate
        with pytest.raises(snt.NotConnectedError, match="relational_memory"):
            _ = rmc.input_gate
        rmc(tf.ones([5, 2, 2]), rmc.initial_state(5))
        if style is None:
            with pytest.raises(AttributeError, match=r"no input gate: .*gate_style=None"):
                _ = rmc.input_gate
            with pytest.raises(AttributeError, match=r"no forget gate"):
                _ = rmc.forget_gate
        else:
            assert rmc.input_gate.shape.as_list() == [5, 3, gate]
            assert rmc.forget_gate.shape.as_list() == [5, 3, gate]
            gates = mode.evaluate([rmc.input_gate, rmc.forget_gate])
            assert all(((g > 0) & (g < 1)).all() for g in gates)


@pytest.mark.parametrize("gate_style", ["unit", "memory"])
def test_closed_input_gate_and_open_forget_gate_keep_the_memory(mode, gate_style):
    rmc = snt.RelationalMemory(
        2,
        4,
        num_heads=2,
        forget_bias=float("inf"),
        input_bias=float("-inf"),
        gate_style=gate_style,
    )
    memory = rmc.initial_state(3) * 0.5 + 0.1
    _, new = rmc(tf.ones([3, 3, 3]), memory)
    before, after = mode.evaluate([memory, new])
    np.testing.assert_array_equal(after, before)


def test_ungated_memory_is_the_attention_output(mode):
    rmc = snt.RelationalMemory(2, 4, gate_style=None)
    memory = rmc.initial_state(2)
    _, new = rmc(tf.zeros([2, 3]), memory)
    before, after = mode.evaluate([memory, new])
    assert not np.allclose(before, after)
    # Each slot leaves through a layer norm without learned scale/offset yet.
    np.testing.assert_allclose(after.mean(-1), 0, atol=1e-5)


def test_unroll_in_tf_function_matches_python_steps():
    rmc = snt.RelationalMemory(3, 2, num_heads=2, num_blocks=2)
    sequence = tf.random.stateless_normal([4, 2, 5], seed=[1, 2])
    memory = rmc.initial_state(2)
    expected = []
    for t in range(4):
        out, memory = rmc(sequence[t], memory)
        expected.append(out)

    @tf.function
    def unroll(seq):
        return snt.dynamic_unroll(rmc, seq, rmc.initial_state(2))

    outputs, final = unroll(sequence)
    np.testing.assert_allclose(outputs.numpy(), np.stack(expected), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(final.numpy(), memory.numpy(), rtol=1e-5, atol=1e-6)
    assert len(rmc.variables) == 2 + 4 + 2 * (2 + 6) + 4


def test_gradients_reach_every_variable():
    rmc = snt.RelationalMemory(2, 3, num_heads=2)
    x = tf.random.stateless_normal([2, 4], seed=[3, 4])
    with tf.GradientTape() as tape:
        out, memory = rmc(x, rmc.initial_state(2))
        out, _ = rmc(x, memory)
        loss = tf.reduce_sum(out**2)
    grads = tape.gradient(loss, rmc.trainable_variables)
    assert len(grads) == 18
    assert all(g is not None and np.abs(g.numpy()).sum() > 0 for g in grads)


def test_in_deep_rnn_and_shared_by_two_parents(mode):
    rmc = snt.RelationalMemory(2, 2, name="rmc")  # output size 2 * 2
    deep = snt.DeepRNN([rmc, snt.LSTM(3)], skip_connections=False)
    state = deep.initial_state(2)  # passes DeepRNN's initial_state arguments on
    out, _ = deep(tf.ones([2, 4]), state)
    assert out.shape.as_list() == [2, 3]
    # A second parent reuses the core's variables.
    other = snt.ResidualCore(rmc)
    x = tf.reshape(tf.range(8, dtype=tf.float32), [2, 4])
    out2, _ = other(x, rmc.initial_state(2))
    direct, _ = rmc(x, rmc.initial_state(2))
    names = sorted(v.name for v in rmc.get_variables())
    assert all(n.startswith("rmc/") for n in names) and len(names) == 18
    got = mode.evaluate({"out": out, "residual": out2, "direct": direct, "x": x})
    np.testing.assert_allclose(got["residual"], got["direct"] + got["x"], rtol=1e-6)


def test_constructor_errors(mode):
    with pytest.raises(ValueError, match=r"relational_memory: num_blocks must be >= 1\. Got: 0"):
        snt.RelationalMemory(4, 32, num_blocks=0)
    with pytest.raises(ValueError, match="attention_mlp_layers must be >= 1"):
        snt.RelationalMemory(4, 32, attention_mlp_layers=0)
    with pytest.raises(ValueError, match=r"rmc: gate_style must be one of .*'bad_gate'"):
        snt.RelationalMemory(4, 32, gate_style="bad_gate", name="rmc")
    with pytest.raises(ValueError, match="mem_slots must be a positive int; got 0"):
        snt.RelationalMemory(0, 32)
    with pytest.raises(TypeError, match="head_size must be a positive int; got str"):
        snt.RelationalMemory(4, "32")
    with pytest.raises(TypeError, match="num_blocks must be a positive int; got float"):
        snt.RelationalMemory(4, 32, num_blocks=1.5)
    with pytest.raises(TypeError, match="key_size must be a positive int"):
        snt.RelationalMemory(4, 32, key_size=2.0)
    with pytest.raises(TypeError, match="forget_bias must be a number; got str"):
        snt.RelationalMemory(4, 32, forget_bias="1")
    assert snt.RelationalMemory(4, 32, key_size=None)._key_size == 32


def test_connection_errors(mode):
    rmc = snt.RelationalMemory(2, 3, name="rmc")
    memory = rmc.initial_state(2)
    with pytest.raises(snt.IncompatibleShapeError, match=r"rmc: inputs must have rank >= 2"):
        rmc(tf.ones([2]), memory)
    with pytest.raises(snt.IncompatibleShapeError, match=r"rank >= 3 .*treat_input_as_matrix"):
        rmc(tf.ones([2, 4]), memory, treat_input_as_matrix=True)
    with pytest.raises(snt.IncompatibleShapeError, match=r"rmc: memory must have shape"):
        rmc(tf.ones([2, 4]), tf.zeros([2, 3, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"rmc: memory must have shape"):
        rmc(tf.ones([2, 4]), tf.zeros([5, 2, 3]))  # batch differs from the inputs'
    with pytest.raises(ValueError, match=r"rmc: memory must have the structure"):
        rmc(tf.ones([2, 4]), (memory, memory))
    with pytest.raises(TypeError, match=r"rmc: memory must have the inputs' dtype float32"):
        rmc(tf.ones([2, 4]), tf.cast(memory, tf.float64))
    with pytest.raises(TypeError, match=r"rmc: inputs must be floating point; got int32"):
        rmc(tf.ones([2, 4], tf.int32), memory)
    assert not rmc.is_connected
    if not mode.eager:
        unknown = tf.compat.v1.placeholder(tf.float32, [2, None])
        with pytest.raises(snt.UnderspecifiedError, match="rmc: the inputs' non-batch dim"):
            rmc(unknown, memory)
        any_batch = tf.compat.v1.placeholder(tf.float32, [None, 4])
        out, _ = rmc(any_batch, rmc.initial_state(tf.shape(any_batch)[0]))
        assert out.shape.as_list() == [None, 6]
        value = mode.evaluate(out, feed_dict={any_batch: np.ones([3, 4])})
        assert value.shape == (3, 6)
