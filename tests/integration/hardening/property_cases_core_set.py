"""Property strategies for Linear, MLP, Conv1D/2D, LSTM, BatchReshape and LayerNorm."""

from __future__ import annotations

import math

import tensorflow as tf
from hypothesis import strategies as st
from property_support import (
    CONNECTION,
    CONSTRUCTION,
    Drawn,
    bad_key,
    batches,
    case,
    ones,
    ramp,
    sizes,
    small,
)

import sonnet as snt


@st.composite
def linear(draw):
    out, bias = draw(sizes), draw(st.booleans())
    lead = draw(st.lists(batches, min_size=1, max_size=3))
    many = len(lead) > 1
    shape = (*lead, draw(sizes))
    return Drawn(
        case(
            "Linear",
            lambda: snt.Linear(out, use_bias=bias, allow_many_batch_dims=many),
            lambda: (ramp(*shape),),
        ),
        (*lead, out),
        1 + bias,
    )


@st.composite
def mlp(draw):
    out_sizes = draw(st.lists(sizes, min_size=1, max_size=3))
    bias, final = draw(st.booleans()), draw(st.booleans())
    shape = (draw(batches), draw(sizes))
    return Drawn(
        case(
            "nets.MLP",
            lambda: snt.nets.MLP(out_sizes, use_bias=bias, activate_final=final),
            lambda: (ramp(*shape),),
        ),
        (shape[0], out_sizes[-1]),
        len(out_sizes) * (1 + bias),
    )


def _conv_out(size: int, kernel: int, stride: int, rate: int, padding: str) -> int:
    if padding == "SAME":
        return -(-size // stride)
    return -(-(size - (kernel - 1) * rate) // stride)


@st.composite
def conv(draw, n: int):
    channels, kernel = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["SAME", "VALID"]))
    stride, rate = draw(st.sampled_from([(1, 1), (2, 1), (1, 2), (3, 1)]))
    bias = draw(st.booleans())
    minimum = (kernel - 1) * rate + 1
    spatial = [draw(st.integers(minimum, minimum + 4)) for _ in range(n)]
    shape = (draw(batches), *spatial, draw(st.integers(1, 3)))
    module = snt.Conv1D if n == 1 else snt.Conv2D
    out = [_conv_out(s, kernel, stride, rate, padding) for s in spatial]
    return Drawn(
        case(
            module.__name__,
            lambda: module(
                channels, kernel, stride=stride, rate=rate, padding=padding, use_bias=bias
            ),
            lambda: (ramp(*shape),),
        ),
        (shape[0], *out, channels),
        1 + bias,
    )


@st.composite
def lstm(draw):
    hidden, peep = draw(sizes), draw(st.booleans())
    projection = draw(st.one_of(st.none(), sizes))
    batch, width = draw(batches), draw(sizes)
    h = projection or hidden
    state_type = snt.LSTMState

    def inputs():
        return (ramp(batch, width), state_type(ramp(batch, h) / 2, ramp(batch, hidden) / 3))

    return Drawn(
        case(
            "LSTM",
            lambda: snt.LSTM(hidden, use_peepholes=peep, projection_size=projection),
            inputs,
        ),
        ((batch, h), ((batch, h), (batch, hidden))),
        2 + 3 * peep + (projection is not None),
    )


@st.composite
def batch_reshape(draw):
    preserve = draw(st.integers(1, 2))
    lead = [draw(batches) for _ in range(preserve)]
    target = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    total = math.prod(target)
    # An input holding the same number of elements per example, in another shape.
    trailing = [total] if draw(st.booleans()) else [1, total]
    spec = list(target)
    if draw(st.booleans()):
        spec[draw(st.integers(0, len(spec) - 1))] = -1
    shape = (*lead, *trailing)
    return Drawn(
        case(
            "BatchReshape",
            lambda: snt.BatchReshape(spec, preserve_dims=preserve),
            lambda: (ramp(*shape),),
        ),
        (*lead, *target),
        0,
    )


@st.composite
def layer_norm(draw):
    rank = draw(st.integers(2, 4))
    shape = (draw(batches), *(draw(st.integers(2, 4)) for _ in range(rank - 1)))
    axis = draw(st.one_of(st.none(), st.just(rank - 1), st.just(list(range(1, rank)))))
    offset, scale = draw(st.booleans()), draw(st.booleans())
    return Drawn(
        case(
            "LayerNorm",
            lambda: snt.LayerNorm(axis=axis, offset=offset, scale=scale),
            lambda: (ramp(*shape),),
        ),
        shape,
        offset + scale,
    )


VALID = {
    "Linear": linear(),
    "nets.MLP": mlp(),
    "Conv1D": conv(1),
    "Conv2D": conv(2),
    "LSTM": lstm(),
    "BatchReshape": batch_reshape(),
    "LayerNorm": layer_norm(),
}


@st.composite
def linear_cases(draw):
    kind = draw(st.sampled_from(["key", "noncallable", "rank", "resize"]))
    out, width = draw(small), draw(small)
    if kind == "key":
        key = bad_key(draw, {"w", "b"})
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
        key = bad_key(draw, {"w", "b"})
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
        key = bad_key(draw, {"w_gates", "b_gates"})
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
    key = bad_key(draw, {"gamma", "beta"})
    return CONSTRUCTION, lambda n: snt.LayerNorm(partitioners={key: None}, name=n), None


INVALID = {
    "Linear": linear_cases(),
    "nets.MLP": mlp_cases(),
    "Conv1D/Conv2D": conv_cases(),
    "LSTM": lstm_cases(),
    "BatchReshape": batch_reshape_cases(),
    "LayerNorm": layer_norm_cases(),
}
