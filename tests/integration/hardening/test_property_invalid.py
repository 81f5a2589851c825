"""Random invalid configurations and inputs raise only documented errors.

Each scenario draws a bad configuration (construction) or a bad input
(connection) for a module with a random name, in graph mode and eagerly. The
error must be one of the documented classes (``snt.Error`` subclasses,
``KeyError``, ``TypeError``, ``ValueError``), be raised at the stage the docs
name, and carry the module's name in its message; never a TensorFlow op error,
a hang or a silently wrong shape.
"""

from __future__ import annotations

import contextlib
import string

import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

import sonnet as snt

PROFILE = settings(settings.get_profile("hardening"), max_examples=25)
DOCUMENTED = (snt.Error, KeyError, TypeError, ValueError)
CONSTRUCTION, CONNECTION = "construction", "connection"

names = st.text(string.ascii_lowercase, min_size=3, max_size=8).map(lambda s: "m_" + s)
small = st.integers(1, 4)


def ones(*shape):
    return tf.ones(shape)


def _bad_key(draw, allowed):
    return draw(
        st.text(string.ascii_lowercase, min_size=1, max_size=4).filter(lambda k: k not in allowed)
    )


# Each scenario: draw -> (stage, make, connect). ``make(name)`` builds the
# module; ``connect(module)`` feeds it (a first good connection may come first).


@st.composite
def linear_cases(draw):
    kind = draw(st.sampled_from(["key", "noncallable", "rank", "resize"]))
    out, width = draw(small), draw(small)
    if kind == "key":
        key = _bad_key(draw, {"w", "b"})
        return (
            CONSTRUCTION,
            lambda n: snt.Linear(out, initializers={key: tf.zeros_initializer()}, name=n),
            None,
        )
    if kind == "noncallable":
        bad = draw(st.sampled_from([1, "w", 2.5]))
        return CONSTRUCTION, lambda n: snt.Linear(out, initializers={"w": bad}, name=n), None
    if kind == "rank":
        rank = draw(st.sampled_from([1, 3, 4]))
        shape = [draw(small) for _ in range(rank)]
        return CONNECTION, lambda n: snt.Linear(out, name=n), lambda m: m(ones(*shape))
    other = draw(small.filter(lambda w: w != width))

    def resize(m):
        m(ones(2, width))
        return m(ones(2, other))

    return CONNECTION, lambda n: snt.Linear(out, name=n), resize


@st.composite
def mlp_cases(draw):
    kind = draw(st.sampled_from(["empty", "activation", "key", "resize"]))
    if kind == "empty":
        return CONSTRUCTION, lambda n: snt.nets.MLP([], name=n), None
    if kind == "activation":
        bad = draw(st.sampled_from([1, "relu", None]))
        return CONSTRUCTION, lambda n: snt.nets.MLP([3], activation=bad, name=n), None
    if kind == "key":
        key = _bad_key(draw, {"w", "b"})
        return (
            CONSTRUCTION,
            lambda n: snt.nets.MLP([3], regularizers={key: tf.identity}, name=n),
            None,
        )
    width = draw(small)
    other = draw(small.filter(lambda w: w != width))

    def resize(m):
        m(ones(2, width))
        return m(ones(2, other))

    return CONNECTION, lambda n: snt.nets.MLP([3, 2], name=n), resize


@st.composite
def conv_cases(draw):
    n_dims = draw(st.sampled_from([1, 2]))
    module = snt.Conv1D if n_dims == 1 else snt.Conv2D
    kind = draw(st.sampled_from(["padding", "format", "kernel", "stride_rate", "rank", "channels"]))
    if kind == "padding":
        bad = draw(st.sampled_from(["same", "BOGUS", "", "VALIDX"]))
        return CONSTRUCTION, lambda n: module(2, 3, padding=bad, name=n), None
    if kind == "format":
        bad = draw(st.sampled_from(["NCDHW", "HWC", "nhwc", "XYZ"]))
        return CONSTRUCTION, lambda n: module(2, 3, data_format=bad, name=n), None
    if kind == "kernel":
        kernel = [draw(small) for _ in range(draw(st.sampled_from([n_dims + 1, n_dims + 2])))]
        return CONSTRUCTION, lambda n: module(2, kernel, name=n), None
    if kind == "stride_rate":
        stride, rate = draw(st.integers(2, 3)), draw(st.integers(2, 3))
        return CONSTRUCTION, lambda n: module(2, 3, stride=stride, rate=rate, name=n), None
    if kind == "rank":
        rank = draw(st.sampled_from([r for r in (2, 3, 4, 5) if r != n_dims + 2]))
        shape = [draw(st.integers(3, 5)) for _ in range(rank)]
        return CONNECTION, lambda n: module(2, 3, name=n), lambda m: m(ones(*shape))
    spatial = [4] * n_dims
    channels = draw(small)
    other = draw(small.filter(lambda c: c != channels))

    def rechannel(m):
        m(ones(1, *spatial, channels))
        return m(ones(1, *spatial, other))

    return CONNECTION, lambda n: module(2, 3, name=n), rechannel


@st.composite
def lstm_cases(draw):
    kind = draw(st.sampled_from(["clip", "key", "resize"]))
    hidden = draw(small)
    if kind == "clip":
        value = draw(st.floats(-10, -0.01))
        which = draw(st.sampled_from(["hidden_clip_value", "cell_clip_value"]))
        return CONSTRUCTION, lambda n: snt.LSTM(hidden, name=n, **{which: value}), None
    if kind == "key":
        key = _bad_key(draw, {"w_gates", "b_gates"})
        return (
            CONSTRUCTION,
            lambda n: snt.LSTM(hidden, initializers={key: tf.identity}, name=n),
            None,
        )
    width = draw(small)
    other = draw(small.filter(lambda w: w != width))

    def resize(m):
        m(ones(2, width), m.initial_state(2))
        return m(ones(2, other), m.initial_state(2))

    return CONNECTION, lambda n: snt.LSTM(hidden, name=n), resize


@st.composite
def batch_reshape_cases(draw):
    kind = draw(st.sampled_from(["preserve", "sizes", "type", "count"]))
    if kind == "preserve":
        preserve = draw(st.integers(-3, 0))
        return CONSTRUCTION, lambda n: snt.BatchReshape([2], preserve_dims=preserve, name=n), None
    if kind == "sizes":
        bad = draw(st.sampled_from([[0], [-1, -1], [2, -2], [3, 0, 1]]))
        return CONSTRUCTION, lambda n: snt.BatchReshape(bad, name=n), None
    if kind == "type":
        bad = draw(st.sampled_from(["23", 5, None]))
        return CONSTRUCTION, lambda n: snt.BatchReshape(bad, name=n), None
    a, b = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    return CONNECTION, lambda n: snt.BatchReshape([a + 1, b], name=n), lambda m: m(ones(2, a * b))


@st.composite
def layer_norm_cases(draw):
    kind = draw(st.sampled_from(["axis_type", "rank", "axis_range", "key"]))
    if kind == "axis_type":
        bad = draw(st.sampled_from(["1", 1.5, [1, "2"], [0.5]]))
        return CONSTRUCTION, lambda n: snt.LayerNorm(axis=bad, name=n), None
    if kind == "rank":
        size = draw(small)
        return CONNECTION, lambda n: snt.LayerNorm(name=n), lambda m: m(ones(size))
    if kind == "axis_range":
        rank = draw(st.integers(2, 4))
        axis = draw(st.sampled_from([rank, rank + 1, -rank - 1]))
        shape = [2] * rank
        return CONNECTION, lambda n: snt.LayerNorm(axis=axis, name=n), lambda m: m(ones(*shape))
    key = _bad_key(draw, {"gamma", "beta"})
    return CONSTRUCTION, lambda n: snt.LayerNorm(partitioners={key: None}, name=n), None


SCENARIOS = {
    "Linear": linear_cases(),
    "nets.MLP": mlp_cases(),
    "Conv1D/Conv2D": conv_cases(),
    "LSTM": lstm_cases(),
    "BatchReshape": batch_reshape_cases(),
    "LayerNorm": layer_norm_cases(),
}


def _mode_context(mode):
    return tf.Graph().as_default() if mode == "graph" else contextlib.nullcontext()


def check_documented_error(stage, make, connect, name, mode):
    """Runs one scenario and checks class, stage and message of its error."""
    with _mode_context(mode):
        if stage == CONSTRUCTION:
            with pytest.raises(DOCUMENTED) as info:
                make(name)
        else:
            module = make(name)  # a bad input must not fail construction
            with pytest.raises(DOCUMENTED) as info:
                connect(module)
    assert name in str(info.value), f"{type(info.value).__name__} without {name!r}: {info.value}"


@pytest.mark.parametrize("mode", ["graph", "eager"])
@pytest.mark.parametrize("export", list(SCENARIOS))
def test_random_invalid_inputs_raise_documented_errors(export, mode):
    @PROFILE
    @given(scenario=SCENARIOS[export], name=names)
    def run(scenario, name):
        stage, make, connect = scenario
        check_documented_error(stage, make, connect, name, mode)

    run()


@pytest.mark.parametrize("mode", ["graph", "eager"])
def test_layer_norm_reconnection_with_another_last_dimension(mode):
    with _mode_context(mode):
        module = snt.LayerNorm(name="m_norm")
        module(ones(2, 5))
        with pytest.raises(snt.IncompatibleShapeError, match="m_norm"):
            module(ones(2, 4))


def test_conv_lstm_accepts_a_sequence_stride():
    with tf.Graph().as_default():
        as_int = snt.Conv2DLSTM(input_shape=[8, 8, 2], output_channels=4, kernel_shape=3, stride=2)
        as_list = snt.Conv2DLSTM(
            input_shape=[8, 8, 2], output_channels=4, kernel_shape=3, stride=[2, 2]
        )
        assert as_list.output_size == as_int.output_size
