"""Property strategies for snt-rnn's LSTMBlockCell (fused kernel) and ACTCore.

Cores are called as ``core(inputs, prev_state)`` with a deterministic, non-zero
state (``ramp``). ACTCore wraps a drawn core; the suite fills every variable
with values in [-0.5, 0.5], so halting probabilities stay away from 0 and the
pondering ends after a few steps (``max_steps`` bounds it further when drawn).

Expected shapes and variable counts come from the drawn configuration only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import tensorflow as tf
from hypothesis import strategies as st
from property_support import (
    CONNECTION,
    CONSTRUCTION,
    Drawn,
    batches,
    case,
    ones,
    ramp,
    sizes,
    small,
)

import sonnet as snt
from snt_rnn.lstm_block_cell import LSTMStateTuple

BAD_SIZES = [0, -1, -3, 2.5, "3", None, True]


def _state(batch: int, size: int, scale: float) -> tf.Tensor:
    return ramp(batch, size) / scale


def _other(draw: Any, value: int, low: int = 1, high: int = 6) -> int:
    return draw(st.integers(low, high).filter(lambda v: v != value))


# --------------------------------------------------------------------------- LSTMBlockCell


def _pair_type(draw: Any) -> Callable[..., Any]:
    """LSTMStateTuple (what initial_state returns) or a plain pair (also accepted)."""
    kind = draw(st.sampled_from(["state_tuple", "pair"]))
    if kind == "pair":
        return lambda c, h: (c, h)
    return LSTMStateTuple


@st.composite
def lstm_block_cell(draw):
    units, batch, width = draw(sizes), draw(batches), draw(sizes)
    peephole = draw(st.booleans())
    clip = draw(st.sampled_from([None, 0.25, 1.0, -1.0]))
    forget_bias = draw(st.sampled_from([0.0, 1.0, 2.5]))
    named = draw(st.booleans())
    pair = _pair_type(draw)

    def create():
        return snt.LSTMBlockCell(
            units,
            forget_bias=forget_bias,
            cell_clip=clip,
            use_peephole=peephole,
            name="block" if named else None,
        )

    return Drawn(
        case(
            "LSTMBlockCell",
            create,
            lambda: (
                ramp(batch, width),
                pair(_state(batch, units, 2.0), _state(batch, units, 3.0)),
            ),
        ),
        ((batch, units), ((batch, units), (batch, units))),
        2 + 3 * peephole,
    )


@st.composite
def lstm_block_cell_cases(draw):
    units, batch, width = draw(small), draw(batches), draw(small)
    kinds = ["units", "dtype", "clip", "forget_bias", "rank", "resize", "structure"]
    kinds += ["size", "batch", "input_dtype", "state_dtype"]
    kind = draw(st.sampled_from(kinds))
    if kind == "units":
        bad = draw(st.sampled_from(BAD_SIZES))
        return CONSTRUCTION, lambda n: snt.LSTMBlockCell(bad, name=n), None
    if kind == "dtype":
        bad = draw(st.sampled_from([tf.float64, tf.int32, "string", "bogus", 3.5]))
        return CONSTRUCTION, lambda n: snt.LSTMBlockCell(units, dtype=bad, name=n), None
    if kind in ("clip", "forget_bias"):
        bad = draw(st.sampled_from(["1", True, [1.0]]))
        arg = "cell_clip" if kind == "clip" else "forget_bias"
        return CONSTRUCTION, lambda n: snt.LSTMBlockCell(units, name=n, **{arg: bad}), None
    make = lambda n: snt.LSTMBlockCell(units, name=n)  # noqa: E731

    def good(b=batch):
        return (ones(b, units), ones(b, units))

    if kind == "rank":
        shape = draw(st.sampled_from([(width,), (batch, width, 2)]))
        return CONNECTION, make, lambda m: m(ones(*shape), good())
    if kind == "resize":
        other = _other(draw, width)

        def resize(m):
            m(ones(batch, width), good())
            return m(ones(batch, other), good())

        return CONNECTION, make, resize
    if kind == "structure":
        count = draw(st.sampled_from([0, 1, 3]))
        single = draw(st.booleans())
        state = ones(batch, units) if single else (ones(batch, units),) * count
        return CONNECTION, make, lambda m: m(ones(batch, width), state)
    if kind == "size":
        other, at = _other(draw, units), draw(st.integers(0, 1))

        def size(m):
            state = list(good())
            state[at] = ones(batch, other)
            return m(ones(batch, width), tuple(state))

        return CONNECTION, make, size
    if kind == "batch":
        other = _other(draw, batch, 1, 4)
        return CONNECTION, make, lambda m: m(ones(batch, width), good(other))
    if kind == "input_dtype":
        bad = draw(st.sampled_from([tf.float64, tf.int32]))
        state = tuple(tf.ones([batch, units], bad) for _ in range(2))
        return CONNECTION, make, lambda m: m(tf.ones([batch, width], bad), state)
    bad = draw(st.sampled_from([tf.float64, tf.float16]))
    at = draw(st.integers(0, 1))

    def state_dtype(m):
        state = list(good())
        state[at] = tf.ones([batch, units], bad)
        return m(ones(batch, width), tuple(state))

    return CONNECTION, make, state_dtype


# --------------------------------------------------------------------------- ACTCore


@dataclasses.dataclass
class Core:
    """A drawn core for ACTCore, with what its configuration implies."""

    make: Callable[[], Any]
    halting: Callable[[Any], Any]  # get_state_for_halting
    state: Callable[[int], Any]
    state_sizes: Any
    variables: int


@st.composite
def cores(draw):
    kind = draw(st.sampled_from(["LSTM", "GRU", "VanillaRNN", "LSTMBlockCell"]))
    hidden = draw(sizes)
    if kind == "VanillaRNN":
        return Core(
            lambda: snt.VanillaRNN(hidden), lambda s: s, lambda b: _state(b, hidden, 2.0), hidden, 4
        )
    if kind == "GRU":
        return Core(
            lambda: snt.GRU(hidden), lambda s: s, lambda b: _state(b, hidden, 2.0), hidden, 9
        )
    if kind == "LSTM":
        return Core(
            lambda: snt.LSTM(hidden),
            lambda s: s.hidden,
            lambda b: snt.LSTMState(_state(b, hidden, 2.0), _state(b, hidden, 3.0)),
            (hidden, hidden),
            2,
        )
    peephole = draw(st.booleans())
    return Core(
        lambda: snt.LSTMBlockCell(hidden, use_peephole=peephole),
        lambda s: s.h,
        lambda b: LSTMStateTuple(_state(b, hidden, 3.0), _state(b, hidden, 2.0)),
        (hidden, hidden),
        2 + 3 * peephole,
    )


@st.composite
def act_core(draw):
    core = draw(cores())
    output, batch, width = draw(sizes), draw(batches), draw(sizes)
    threshold = draw(st.sampled_from([0.3, 0.9, 0.99]))
    max_steps = draw(st.sampled_from([0, 2, 5]))

    def create():
        return snt.ACTCore(core.make(), output, threshold, core.halting, max_steps=max_steps)

    state_shapes = tf.nest.map_structure(lambda s: (batch, s), core.state_sizes)
    return Drawn(
        case("ACTCore", create, lambda: (ramp(batch, width), core.state(batch))),
        (((batch, output), ((batch, 1), (batch, 1))), state_shapes),
        core.variables + 4,
    )


class _TupleOutputCore(snt.RNNCore):
    """A core with two outputs (ACTCore needs a single one)."""

    @property
    def output_size(self) -> Any:
        return tf.TensorShape([1]), tf.TensorShape([1])

    @property
    def state_size(self) -> Any:
        return tf.TensorShape([1])

    def _build(self, inputs: Any, state: Any) -> Any:
        raise NotImplementedError


class _MatrixOutputCore(_TupleOutputCore):
    """A core whose output is 2-D per batch entry."""

    @property
    def output_size(self) -> Any:
        return tf.TensorShape([2, 2])


@st.composite
def act_core_cases(draw):
    hidden, batch, width = draw(small), draw(batches), draw(small)
    kinds = ["tuple_output", "matrix_output", "not_a_core", "threshold", "threshold_type"]
    kinds += ["halting", "max_steps", "output_size", "rank", "state"]
    kind = draw(st.sampled_from(kinds))
    gru = lambda: snt.GRU(hidden)  # noqa: E731
    same = lambda s: s  # noqa: E731
    if kind == "tuple_output":
        return CONSTRUCTION, lambda n: snt.ACTCore(_TupleOutputCore(), 1, 0.9, same, name=n), None
    if kind == "matrix_output":
        return CONSTRUCTION, lambda n: snt.ACTCore(_MatrixOutputCore(), 1, 0.9, same, name=n), None
    if kind == "not_a_core":
        bad = draw(st.sampled_from([None, 3, tf.nn.relu]))
        return CONSTRUCTION, lambda n: snt.ACTCore(bad, 1, 0.9, same, name=n), None
    if kind == "threshold":
        bad = draw(st.sampled_from([-0.1, 1.5, 3]))
        return CONSTRUCTION, lambda n: snt.ACTCore(gru(), 1, bad, same, name=n), None
    if kind == "threshold_type":
        bad = draw(st.sampled_from(["0.5", None, True]))
        return CONSTRUCTION, lambda n: snt.ACTCore(gru(), 1, bad, same, name=n), None
    if kind == "halting":
        bad = draw(st.sampled_from([None, 1, "hidden"]))
        return CONSTRUCTION, lambda n: snt.ACTCore(gru(), 1, 0.9, bad, name=n), None
    if kind == "max_steps":
        bad = draw(st.sampled_from([-1, 1.5, "2", True]))
        return CONSTRUCTION, lambda n: snt.ACTCore(gru(), 1, 0.9, same, max_steps=bad, name=n), None
    if kind == "output_size":
        bad = draw(st.sampled_from(BAD_SIZES))
        return CONSTRUCTION, lambda n: snt.ACTCore(gru(), bad, 0.9, same, name=n), None
    if kind == "rank":
        shape = draw(st.sampled_from([(width,), (batch, width, 2)]))
        make = lambda n: snt.ACTCore(gru(), 2, 0.9, same, name=n)  # noqa: E731
        return CONNECTION, make, lambda m: m(ones(*shape), ones(batch, hidden))
    # A state the wrapped core rejects: the core's error names it (here it shares the name).
    other = _other(draw, hidden)
    make = lambda n: snt.ACTCore(snt.GRU(hidden, name=n), 2, 0.9, same, name=n)  # noqa: E731
    return CONNECTION, make, lambda m: m(ones(batch, width), ones(batch, other))


VALID = {"LSTMBlockCell": lstm_block_cell(), "ACTCore": act_core()}
INVALID = {"LSTMBlockCell": lstm_block_cell_cases(), "ACTCore": act_core_cases()}
