"""RNNCellWrapper: cells built in the wrapper's scope, their variables and numerics, errors."""

import collections
import types
import warnings

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

RNG = np.random.default_rng(3)
X = RNG.normal(size=(2, 3)).astype(np.float32)
H = RNG.normal(size=(2, 4)).astype(np.float32)

PairState = collections.namedtuple("PairState", ["fast", "slow"])


class ElmanCell:
    """A plain RNN cell (no Sonnet, no Keras): ``h = tanh(x @ kernel + h @ recurrent + bias)``.

    Like a ``tf.compat.v1.nn.rnn_cell`` cell it opens its own variable scope
    when called and takes its variables from ``tf.compat.v1.get_variable``.
    """

    def __init__(self, num_units, name="elman", **extra):
        self.num_units = num_units
        self.name = name
        self.extra = extra
        self.constructed_in = tf.compat.v1.get_variable_scope().name

    @property
    def state_size(self):
        return self.num_units

    @property
    def output_size(self):
        return self.num_units

    def __call__(self, inputs, state):
        with tf.compat.v1.variable_scope(self.name):
            kernel = tf.compat.v1.get_variable("kernel", [inputs.shape[-1], self.num_units])
            recurrent = tf.compat.v1.get_variable("recurrent", [self.num_units, self.num_units])
            bias = tf.compat.v1.get_variable(
                "bias", [self.num_units], initializer=tf.compat.v1.constant_initializer(0.5)
            )
        output = tf.tanh(tf.matmul(inputs, kernel) + tf.matmul(state, recurrent) + bias)
        return output, output


class PairCell:
    """A cell with a namedtuple state: ``fast`` follows the input sum, ``slow`` counts steps."""

    state_size = PairState(tf.TensorShape([2]), tf.TensorShape([1]))
    output_size = tf.TensorShape([2])

    def __call__(self, inputs, state):
        fast = state.fast * 0.5 + tf.reduce_sum(inputs, axis=1, keepdims=True)
        return fast, PairState(fast, state.slow + 1.0)


def test_plain_cell_matches_numpy_and_shares_variables(mode):
    core = snt.RNNCellWrapper(ElmanCell, 4)
    assert core.module_name == "rnn_cell_wrapper"
    assert core._cell.constructed_in == "rnn_cell_wrapper"  # built inside the wrapper's scope
    out1, state = core(tf.constant(X), tf.constant(H))
    out2, _ = core(tf.constant(X), state)
    names = [v.name for v in core.get_variables()]
    assert names == [
        "rnn_cell_wrapper/elman/bias:0",
        "rnn_cell_wrapper/elman/kernel:0",
        "rnn_cell_wrapper/elman/recurrent:0",
    ]
    assert sorted(v.name for v in core.trainable_variables) == names
    if not mode.eager:
        assert len(tf.compat.v1.global_variables()) == 3
    bias, kernel, recurrent = mode.evaluate(list(core.get_variables()))
    got = mode.evaluate([out1, out2])
    h = H
    for step in range(2):
        h = np.tanh(X @ kernel + h @ recurrent + bias)
        np.testing.assert_allclose(got[step], h, rtol=1e-5, atol=1e-6)
    assert core.state_size == 4 and core.output_size == 4


def test_name_goes_to_both_and_custom_getter_to_the_wrapper_only(mode):
    def zero_kernels(getter, name, *args, **kwargs):
        variable = getter(name, *args, **kwargs)
        return variable * 0.0 if name.endswith("kernel") or name.endswith("recurrent") else variable

    core = snt.RNNCellWrapper(ElmanCell, 4, name="cell", custom_getter=zero_kernels, gain=2)
    assert core.module_name == "cell"
    assert core._cell.name == "cell" and core._cell.extra == {"gain": 2}
    out, _ = core(tf.constant(X), tf.constant(H))
    assert [v.name for v in core.get_variables()][0] == "cell/cell/bias:0"
    np.testing.assert_allclose(mode.evaluate(out), np.full([2, 4], np.tanh(0.5)), rtol=1e-6)


def test_nested_state_initial_and_zero_state(mode):
    core = snt.RNNCellWrapper(PairCell)
    zero = core.zero_state(3, tf.float32)
    assert isinstance(zero, PairState)
    assert zero.fast.shape.as_list() == [3, 2] and zero.slow.shape.as_list() == [3, 1]
    state = core.initial_state(
        3,
        trainable=True,
        trainable_initializers=PairState(
            tf.compat.v1.constant_initializer(1.0), tf.compat.v1.zeros_initializer()
        ),
    )
    out, state = core(tf.ones([3, 4]), state)
    out, state = core(tf.ones([3, 4]), state)
    got = mode.evaluate({"out": out, "state": state})
    np.testing.assert_allclose(got["out"], np.full([3, 2], 0.25 + 2.0 + 4.0))
    np.testing.assert_allclose(got["state"].slow, np.full([3, 1], 2.0))
    assert [v.name for v in core.trainable_variables] == [
        "rnn_cell_wrapper/initial_state/fast/w:0",
        "rnn_cell_wrapper/initial_state/slow/w:0",
    ]


def test_tf1_gru_cell_matches_numpy(mode):
    from tensorflow.python.ops import rnn_cell_impl  # the TF1 cells, still shipped by TF 2.21

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TF's own deprecation notices for its TF1 cells
        core = snt.RNNCellWrapper(rnn_cell_impl.GRUCell, 4, name="gru_core")
        out, state = core(tf.constant(X), tf.constant(H))
        out, state = core(tf.constant(X), state)
    variables = {v.name: v for v in core.get_variables()}
    assert sorted(variables) == [
        "gru_core/gru_core/candidate/bias:0",
        "gru_core/gru_core/candidate/kernel:0",
        "gru_core/gru_core/gates/bias:0",
        "gru_core/gru_core/gates/kernel:0",
    ]
    v = mode.evaluate({name.split("/", 2)[2]: var for name, var in variables.items()})
    got = mode.evaluate(out)
    h = H
    for _ in range(2):
        xh = np.concatenate([X, h], axis=1)
        gates = 1 / (1 + np.exp(-(xh @ v["gates/kernel:0"] + v["gates/bias:0"])))
        r, u = gates[:, :4], gates[:, 4:]
        candidate = np.tanh(
            np.concatenate([X, r * h], axis=1) @ v["candidate/kernel:0"] + v["candidate/bias:0"]
        )
        h = u * h + (1 - u) * candidate
    np.testing.assert_allclose(got, h, rtol=1e-5, atol=1e-6)


def test_sonnet_core_as_cell_and_unrolled_in_tf_function():
    core = snt.RNNCellWrapper(snt.LSTM, 3)
    sequence = tf.random.stateless_normal([4, 2, 5], seed=[7, 8])

    @tf.function
    def unroll(seq):
        return snt.dynamic_unroll(core, seq, core.initial_state(2))

    outputs, final = unroll(sequence)
    assert isinstance(final, snt.LSTMState)
    state = core.initial_state(2)
    for t in range(4):
        out, state = core(sequence[t], state)
        np.testing.assert_allclose(outputs[t].numpy(), out.numpy(), rtol=1e-5, atol=1e-6)
    assert [v.name for v in core.get_all_variables()] == [
        "rnn_cell_wrapper/lstm/b_gates:0",
        "rnn_cell_wrapper/lstm/w_gates:0",
    ]


def test_errors(mode):
    with pytest.raises(TypeError, match=r"rnn_cell_wrapper: cell_ctor must be a callable .*int"):
        snt.RNNCellWrapper(3)
    with pytest.raises(TypeError, match=r"w: cell_ctor must build an RNN cell.* \(no state_size"):
        snt.RNNCellWrapper(lambda name: tf.nn.relu, name="w")
    sizes_only = types.SimpleNamespace(state_size=2, output_size=2)
    with pytest.raises(TypeError, match=r"x: cell_ctor must build an RNN cell.*\(not callable\)"):
        snt.RNNCellWrapper(lambda name: sizes_only, name="x")
