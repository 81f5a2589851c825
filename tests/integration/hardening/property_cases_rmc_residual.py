"""Property strategies for RelationalMemory, the residual wrappers and RNNCellWrapper.

Cores are called as ``core(inputs, prev_state)`` with a deterministic, non-zero
state, as in property_cases_rnn.py (whose core specs the wrappers reuse).
Expected shapes and variable counts come from the drawn configuration only.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from hypothesis import strategies as st
from property_cases_rnn import BAD_SIZES, Spec, specs
from property_support import CONNECTION, CONSTRUCTION, Drawn, batches, case, ones, ramp, small

import sonnet as snt

BAD_COUNTS = [0, -1, 1.5, "2", None, True]
BAD_GATE_STYLES = ["units", "", "Unit", 1, ("unit",)]


class TanhCell:
    """A plain RNN cell: ``h = tanh([x, h] @ kernel)``, its variable from ``get_variable``."""

    def __init__(self, num_units: int, name: str = "tanh_cell") -> None:
        self.state_size = num_units
        self.output_size = num_units
        self.name = name

    def __call__(self, inputs: tf.Tensor, state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        joint = tf.concat([inputs, state], axis=1)
        with tf.compat.v1.variable_scope(self.name):
            kernel = tf.compat.v1.get_variable("kernel", [joint.shape[-1], self.output_size])
        output = tf.tanh(tf.matmul(joint, kernel))
        return output, output


# =========================================================================== valid


@st.composite
def relational_memory(draw):
    slots, head, heads = draw(small), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    blocks, layers = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    gate_style = draw(st.sampled_from(["unit", "memory", None]))
    key_size = draw(st.one_of(st.none(), st.integers(1, 4)))
    matrix = draw(st.booleans())
    batch, width, rows = draw(batches), draw(small), draw(st.integers(1, 3))
    size = head * heads
    input_shape = (batch, rows, width) if matrix else (batch, width)

    def create():
        return snt.RelationalMemory(
            slots,
            head,
            num_heads=heads,
            num_blocks=blocks,
            gate_style=gate_style,
            attention_mlp_layers=layers,
            key_size=key_size,
        )

    return Drawn(
        case(
            "RelationalMemory",
            create,
            lambda: (ramp(*input_shape), ramp(batch, slots, size) / 2),
            {"treat_input_as_matrix": matrix},
        ),
        ((batch, slots * size), (batch, slots, size)),
        2 + 2 * layers + 8 * blocks + (4 if gate_style else 0),
    )


@st.composite
def residual(draw):
    batch, width = draw(batches), draw(small)
    deep = draw(st.booleans())
    hidden = draw(small)

    def create():
        base = snt.nets.MLP([hidden, width]) if deep else snt.Linear(width)
        return snt.Residual(base)

    return Drawn(
        case("Residual", create, lambda: (ramp(batch, width),)),
        (batch, width),
        4 if deep else 2,
    )


@st.composite
def residual_core(draw):
    spec: Spec = draw(specs())
    batch = draw(batches)
    return Drawn(
        case(
            "ResidualCore",
            lambda: snt.ResidualCore(spec.make()),
            lambda: (ramp(batch, spec.output), spec.state(batch)),
        ),
        ((batch, spec.output), spec.shapes(batch)),
        spec.variables,
    )


@st.composite
def skip_connection_core(draw):
    spec: Spec = draw(specs())
    batch, width = draw(batches), draw(small)
    given = draw(st.booleans())
    return Drawn(
        case(
            "SkipConnectionCore",
            lambda: snt.SkipConnectionCore(spec.make(), input_shape=(width,) if given else None),
            lambda: (ramp(batch, width), spec.state(batch)),
        ),
        ((batch, width + spec.output), spec.shapes(batch)),
        spec.variables,
    )


@st.composite
def rnn_cell_wrapper(draw):
    batch, width = draw(batches), draw(small)
    if draw(st.booleans()):
        hidden = draw(small)
        spec = Spec(lambda: None, hidden, hidden, 1)
        make = lambda: snt.RNNCellWrapper(TanhCell, hidden)  # noqa: E731
    else:
        spec = draw(specs())
        make = lambda: snt.RNNCellWrapper(spec.make)  # noqa: E731
    return Drawn(
        case("RNNCellWrapper", make, lambda: (ramp(batch, width), spec.state(batch))),
        ((batch, spec.output), spec.shapes(batch)),
        spec.variables,
    )


VALID = {
    "RelationalMemory": relational_memory(),
    "Residual": residual(),
    "ResidualCore": residual_core(),
    "SkipConnectionCore": skip_connection_core(),
    "RNNCellWrapper": rnn_cell_wrapper(),
}


# =========================================================================== invalid


@st.composite
def relational_memory_cases(draw):
    slots, head = draw(small), draw(small)
    kinds = ["size", "count", "gate_style", "bias", "key_size"]
    kinds += ["rank", "matrix_rank", "memory", "structure", "dtype", "int_inputs", "batch_size"]
    kind = draw(st.sampled_from(kinds))
    if kind == "size":
        arg = draw(st.sampled_from(["mem_slots", "head_size", "num_heads"]))
        bad = draw(st.sampled_from(BAD_SIZES))
        args = {"mem_slots": slots, "head_size": head, arg: bad}
        return CONSTRUCTION, lambda n: snt.RelationalMemory(name=n, **args), None
    if kind in ("count", "gate_style", "bias", "key_size"):
        arg = {
            "count": draw(st.sampled_from(["num_blocks", "attention_mlp_layers"])),
            "gate_style": "gate_style",
            "bias": draw(st.sampled_from(["forget_bias", "input_bias"])),
            "key_size": "key_size",
        }[kind]
        bad = {
            "count": BAD_COUNTS,
            "gate_style": BAD_GATE_STYLES,
            "bias": ["1.0", None, [1.0], True],
            "key_size": [-1, 2.5, "3", True],
        }[kind]
        kwargs = {arg: draw(st.sampled_from(bad))}
        return CONSTRUCTION, lambda n: snt.RelationalMemory(slots, head, name=n, **kwargs), None
    make = lambda n: snt.RelationalMemory(slots, head, name=n)  # noqa: E731
    batch, width = draw(batches), draw(small)

    def memory(b: int = batch, s: int = slots, size: int = head) -> tf.Tensor:
        return ones(b, s, size)

    if kind == "batch_size":
        bad = draw(st.sampled_from([2.5, "2", None, [2]]))
        return CONNECTION, make, lambda m: m.initial_state(bad)
    if kind == "rank":
        return CONNECTION, make, lambda m: m(ones(width), memory())
    if kind == "matrix_rank":
        return CONNECTION, make, lambda m: m(ones(batch, width), memory(), True)
    if kind == "memory":
        which = draw(st.sampled_from(["slots", "size", "batch", "rank"]))
        shape = {
            "slots": (batch, slots + draw(st.integers(1, 2)), head),
            "size": (batch, slots, head + draw(st.integers(1, 2))),
            "batch": (batch + 1, slots, head),
            "rank": (batch, slots * head),
        }[which]
        return CONNECTION, make, lambda m: m(ones(batch, width), ones(*shape))
    if kind == "structure":
        count = draw(st.sampled_from([1, 2]))
        return CONNECTION, make, lambda m: m(ones(batch, width), (memory(),) * count)
    if kind == "dtype":
        return (
            CONNECTION,
            make,
            lambda m: m(ones(batch, width), tf.cast(memory(), tf.float64)),
        )
    return CONNECTION, make, lambda m: m(tf.ones([batch, width], tf.int32), memory())


@st.composite
def residual_cases(draw):
    batch, width = draw(batches), draw(small)
    kind = draw(st.sampled_from(["noncallable", "shape", "structure", "dtype"]))
    if kind == "noncallable":
        bad = draw(st.sampled_from([3, "linear", None, [snt.Linear]]))
        return CONSTRUCTION, lambda n: snt.Residual(bad, name=n), None
    if kind == "shape":
        grown = width + draw(st.integers(1, 3))
        make = lambda n: snt.Residual(snt.Linear(grown), name=n)  # noqa: E731
        return CONNECTION, make, lambda m: m(ones(batch, width))
    if kind == "structure":
        make = lambda n: snt.Residual(lambda x: (x, x), name=n)  # noqa: E731
        return CONNECTION, make, lambda m: m(ones(batch, width))
    make = lambda n: snt.Residual(lambda x: tf.cast(x, tf.float64), name=n)  # noqa: E731
    return CONNECTION, make, lambda m: m(ones(batch, width))


def _not_a_core(draw: Any) -> Any:
    return draw(st.sampled_from(["linear", "int", "string", "relu"]))


def _build_not_a_core(kind: str) -> Any:
    return {"linear": lambda: snt.Linear(3), "int": lambda: 3, "string": lambda: "lstm"}.get(
        kind, lambda: tf.nn.relu
    )()


@st.composite
def wrapped_core_cases(draw, export: str):
    wrapper = snt.ResidualCore if export == "ResidualCore" else snt.SkipConnectionCore
    hidden, batch = draw(small), draw(batches)
    kinds = ["not_a_core", "state"]
    kinds += ["size"] if export == "ResidualCore" else ["input_shape", "rank"]
    kind = draw(st.sampled_from(kinds))
    if kind == "not_a_core":
        bad = _not_a_core(draw)
        return CONSTRUCTION, lambda n: wrapper(_build_not_a_core(bad), name=n), None
    if kind == "input_shape":
        bad = draw(st.sampled_from(["4", 4.5, [[1]], object()]))
        return (
            CONSTRUCTION,
            lambda n: snt.SkipConnectionCore(snt.GRU(2), input_shape=bad, name=n),
            None,
        )
    # The base core carries the drawn name too: its own errors then name it.
    make = lambda n: wrapper(snt.GRU(hidden, name=n), name=f"{n}_wrapper")  # noqa: E731
    if kind == "state":
        other = hidden + draw(st.integers(1, 2))
        return CONNECTION, make, lambda m: m(ones(batch, hidden), ones(batch, other))
    if kind == "size":
        width = hidden + draw(st.integers(1, 2))
        return CONNECTION, make, lambda m: m(ones(batch, width), ones(batch, hidden))
    # The base core's output cannot be concatenated with inputs of another rank.
    rank = lambda n: snt.SkipConnectionCore(  # noqa: E731
        snt.ModelRNN(snt.Linear(hidden), name=n), name=f"{n}_wrapper"
    )
    return CONNECTION, rank, lambda m: m(ones(batch, 2, hidden), ones(batch, hidden))


@st.composite
def rnn_cell_wrapper_cases(draw):
    hidden, batch = draw(small), draw(batches)
    kind = draw(st.sampled_from(["ctor", "not_a_cell", "state", "batch_size"]))
    if kind == "ctor":
        bad = draw(st.sampled_from([3, "GRUCell", None]))
        return CONSTRUCTION, lambda n: snt.RNNCellWrapper(bad, name=n), None
    if kind == "not_a_cell":
        bad = _not_a_core(draw)
        return (
            CONSTRUCTION,
            lambda n: snt.RNNCellWrapper(lambda name: _build_not_a_core(bad), name=n),
            None,
        )
    # ``name`` also names the cell (Sonnet 1): the wrapped GRU's errors name it.
    make = lambda n: snt.RNNCellWrapper(snt.GRU, hidden, name=n)  # noqa: E731
    if kind == "state":
        other = hidden + draw(st.integers(1, 2))
        return CONNECTION, make, lambda m: m(ones(batch, 3), ones(batch, other))
    bad = draw(st.sampled_from([2.5, "2", None]))
    return CONNECTION, make, lambda m: m.initial_state(bad)


INVALID = {
    "RelationalMemory": relational_memory_cases(),
    "Residual": residual_cases(),
    "ResidualCore": wrapped_core_cases("ResidualCore"),
    "SkipConnectionCore": wrapped_core_cases("SkipConnectionCore"),
    "RNNCellWrapper": rnn_cell_wrapper_cases(),
}
