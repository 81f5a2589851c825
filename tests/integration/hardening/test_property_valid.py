"""Random valid configurations and input shapes, run through core's conformance suite.

For each module, hypothesis draws a configuration and an input shape; the case
goes through :func:`sonnet.conformance.check_case` (graph mode, eager mode and
``tf.function`` agree within tolerance; variables are created once and
reused; checkpoints round-trip; pickling is refused). On top of that the
output shapes are the documented ones and the number of variables is what the
configuration implies.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

import sonnet as snt
from sonnet.conformance import ConformanceCase, check_case

PROFILE = settings.get_profile("hardening")


@dataclasses.dataclass
class Drawn:
    """A drawn configuration: the case and what the docs say it must produce."""

    case: ConformanceCase
    shapes: Any  # expected output shape(s), nested like the output
    num_variables: int


def ramp(*shape: int) -> tf.Tensor:
    count = math.prod(shape)
    return tf.reshape(tf.linspace(-1.0, 1.0, count), shape) if count else tf.zeros(shape)


def _case(name: str, create: Callable[[], Any], inputs: Callable[[], tuple]) -> ConformanceCase:
    return ConformanceCase(name=name, create=create, inputs=inputs)


sizes = st.integers(1, 5)
batches = st.integers(1, 3)


@st.composite
def linear(draw):
    out, bias = draw(sizes), draw(st.booleans())
    lead = draw(st.lists(batches, min_size=1, max_size=3))
    many = len(lead) > 1
    shape = (*lead, draw(sizes))
    return Drawn(
        _case(
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
        _case(
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
        _case(
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
        _case(
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
        _case(
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
        _case(
            "LayerNorm",
            lambda: snt.LayerNorm(axis=axis, offset=offset, scale=scale),
            lambda: (ramp(*shape),),
        ),
        shape,
        offset + scale,
    )


STRATEGIES = {
    "Linear": linear(),
    "nets.MLP": mlp(),
    "Conv1D": conv(1),
    "Conv2D": conv(2),
    "LSTM": lstm(),
    "BatchReshape": batch_reshape(),
    "LayerNorm": layer_norm(),
}


@pytest.mark.parametrize("export", list(STRATEGIES))
def test_random_valid_configurations_conform(export, tmp_path):
    @PROFILE
    @given(drawn=STRATEGIES[export])
    def run(drawn: Drawn) -> None:
        check_case(drawn.case, tmp_path)  # modes agree, sharing, checkpoint, pickling
        tf.compat.v1.reset_default_graph()
        module = drawn.case.create()
        out = module(*drawn.case.inputs())
        actual = [tuple(t.shape) for t in tf.nest.flatten(out)]
        assert [d for shape in actual for d in shape] == tf.nest.flatten(drawn.shapes), (
            drawn.case,
            actual,
            drawn.shapes,
        )
        assert len(module.variables) == drawn.num_variables, [v.name for v in module.variables]
        before = [id(v) for v in module.variables]
        out_again = module(*drawn.case.inputs())
        assert [id(v) for v in module.variables] == before
        for a, b in zip(tf.nest.flatten(out), tf.nest.flatten(out_again), strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)

    run()
