"""Property strategies for snt-rnn's cores and wrappers (LSTM is in property_cases_core_set).

Cores are called as ``core(inputs, prev_state)`` with a deterministic, non-zero
state (``ramp``), as in snt-rnn's conformance cases: recurrent dropout masks
are fixed inputs carried in the state, zoneout runs its test-time expectation
(or training with keep probabilities of 1), and BatchNormLSTM reads its moving
variances through a getter keeping them positive (the suite fills every
variable with values in [-0.5, 0.5]).

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
    bad_key,
    batches,
    case,
    ones,
    ramp,
    sizes,
    small,
)

import sonnet as snt

CONSTANT = tf.compat.v1.constant_initializer(0.1)
BAD_SIZES = [0, -1, -3, 2.5, "3", None, True]
BAD_KEEP_PROBS = [0, 0.0, -0.25, 1.5, 2]
NOT_KEEP_PROBS = ["0.5", True, False, "high"]


def _state(batch: int, *size: int, scale: float = 2.0) -> tf.Tensor:
    """A deterministic non-zero state tensor ``[batch, *size]``."""
    return ramp(batch, *size) / scale


def _some_keys(draw: Any, keys: set[str]) -> dict[str, Any]:
    """Valid initializers for a random subset of ``keys``."""
    chosen = draw(st.lists(st.sampled_from(sorted(keys)), unique=True, max_size=3))
    return {key: CONSTANT for key in chosen}


def _other(draw: Any, value: int, low: int = 1, high: int = 6) -> int:
    return draw(st.integers(low, high).filter(lambda v: v != value))


# --------------------------------------------------------------------------- RNNCore


class StepCore(snt.RNNCore):
    """A small concrete core, to put the ``RNNCore`` base class through the suite.

    ``output = tanh(inputs @ w + hidden * decay [+ b])``; the state is
    ``(output, steps + 1)``. Called without a state, it starts from its
    trainable initial state (``initial_state(trainable=True)``, variables in
    the core's scope, shared across calls).
    """

    def __init__(
        self,
        hidden_size: int,
        use_bias: bool = False,
        state_init: tuple[float, float] | None = None,
        name: str = "step_core",
    ) -> None:
        super().__init__(name=name)
        self._hidden_size = hidden_size
        self._use_bias = use_bias
        self._state_init = state_init

    def _build(self, inputs: tf.Tensor, prev_state: Any = None) -> tuple[tf.Tensor, Any]:
        if prev_state is None:
            inits = None
            if self._state_init is not None:
                inits = tuple(tf.compat.v1.constant_initializer(v) for v in self._state_init)
            prev_state = self.initial_state(
                inputs.shape[0], trainable=True, trainable_initializers=inits
            )
        hidden, steps = prev_state
        dtype = inputs.dtype
        w = tf.compat.v1.get_variable("w", [inputs.shape[-1], self._hidden_size], dtype)
        decay = tf.compat.v1.get_variable("decay", [self._hidden_size], dtype)
        pre = tf.matmul(inputs, w) + hidden * decay
        if self._use_bias:
            pre += tf.compat.v1.get_variable("b", [self._hidden_size], dtype)
        output = tf.tanh(pre)
        return output, (output, steps + 1)

    @property
    def state_size(self) -> tuple[tf.TensorShape, tf.TensorShape]:
        return tf.TensorShape([self._hidden_size]), tf.TensorShape([1])

    @property
    def output_size(self) -> tf.TensorShape:
        return tf.TensorShape([self._hidden_size])


@st.composite
def rnn_core(draw):
    hidden, batch, width = draw(sizes), draw(batches), draw(sizes)
    bias, learned = draw(st.booleans()), draw(st.booleans())
    state_init = draw(st.one_of(st.none(), st.tuples(st.floats(-1, 1), st.floats(0, 3))))

    def inputs():
        if learned:
            return (ramp(batch, width),)
        return ramp(batch, width), (_state(batch, hidden), tf.fill([batch, 1], 2.0))

    return Drawn(
        case("RNNCore", lambda: StepCore(hidden, use_bias=bias, state_init=state_init), inputs),
        ((batch, hidden), ((batch, hidden), (batch, 1))),
        2 + bias + 2 * learned,
    )


# --------------------------------------------------------------------------- core specs


@dataclasses.dataclass
class Spec:
    """A drawn recurrent core, with what its configuration implies."""

    make: Callable[[], Any]
    output: int
    state_sizes: Any  # nested like the state: the size of each state tensor
    variables: int
    state_type: Callable[..., Any] | None = None  # e.g. LSTMState; None: one tensor

    def state(self, batch: int) -> Any:
        leaves = [
            _state(batch, s, scale=2.0 + i) for i, s in enumerate(tf.nest.flatten(self.state_sizes))
        ]
        return leaves[0] if self.state_type is None else self.state_type(*leaves)

    def shapes(self, batch: int, *lead: int) -> Any:
        return tf.nest.map_structure(lambda s: (*lead, batch, s), self.state_sizes)


@st.composite
def specs(draw, kinds=("LSTM", "GRU", "VanillaRNN", "HighwayCore")):
    kind = draw(st.sampled_from(kinds))
    hidden = draw(sizes)
    if kind == "LSTM":
        peep = draw(st.booleans())
        # A plain pair stands for LSTMState (the cores accept both).
        state_type = draw(st.sampled_from([snt.LSTMState, lambda h, c: (h, c)]))
        return Spec(
            lambda: snt.LSTM(hidden, use_peepholes=peep),
            hidden,
            (hidden, hidden),
            2 + 3 * peep,
            state_type,
        )
    if kind == "GRU":
        return Spec(lambda: snt.GRU(hidden), hidden, hidden, 9)
    if kind == "VanillaRNN":
        return Spec(lambda: snt.VanillaRNN(hidden), hidden, hidden, 4)
    return Spec(lambda: snt.HighwayCore(hidden, 1), hidden, hidden, 6)


# --------------------------------------------------------------------------- simple cores

ACTIVATIONS = [tf.tanh, tf.nn.relu, tf.sigmoid, tf.identity]


@st.composite
def vanilla_rnn(draw):
    hidden, batch, width = draw(sizes), draw(batches), draw(sizes)
    activation = draw(st.sampled_from(ACTIVATIONS))
    which = draw(st.sampled_from(["in_to_hidden", "hidden_to_hidden"]))
    inits = {which: _some_keys(draw, {"w", "b"})}
    return Drawn(
        case(
            "VanillaRNN",
            lambda: snt.VanillaRNN(hidden, activation=activation, initializers=inits),
            lambda: (ramp(batch, width), _state(batch, hidden)),
        ),
        ((batch, hidden), (batch, hidden)),
        4,
    )


@st.composite
def gru(draw):
    hidden, batch, width = draw(sizes), draw(batches), draw(sizes)
    inits = _some_keys(draw, snt.GRU.get_possible_initializer_keys())
    return Drawn(
        case(
            "GRU",
            lambda: snt.GRU(hidden, initializers=inits),
            lambda: (ramp(batch, width), _state(batch, hidden)),
        ),
        ((batch, hidden), (batch, hidden)),
        9,
    )


@st.composite
def highway_core(draw):
    hidden, batch, width = draw(sizes), draw(batches), draw(sizes)
    layers = draw(st.integers(1, 3))
    inits = _some_keys(draw, snt.HighwayCore.get_possible_initializer_keys(layers))
    return Drawn(
        case(
            "HighwayCore",
            lambda: snt.HighwayCore(hidden, layers, initializers=inits),
            lambda: (ramp(batch, width), _state(batch, hidden)),
        ),
        ((batch, hidden), (batch, hidden)),
        2 + 4 * layers,
    )


# --------------------------------------------------------------------------- ConvLSTM

CONV_LSTMS = {"Conv1DLSTM": (1, snt.Conv1DLSTM), "Conv2DLSTM": (2, snt.Conv2DLSTM)}


@st.composite
def conv_lstm(draw, export: str):
    if export == "ConvLSTM":
        ndims = draw(st.sampled_from([1, 2]))
    else:
        ndims = CONV_LSTMS[export][0]
    spatial = [draw(st.integers(1, 5)) for _ in range(ndims)]
    in_channels, channels = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    kernel = draw(
        st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=ndims, max_size=ndims))
    )
    kernels = [kernel] * ndims if isinstance(kernel, int) else kernel
    rate = draw(st.sampled_from([1, 2]))
    # Paddings keeping the spatial shape (VALID only does with 1-wide kernels).
    paddings = ["SAME", "CAUSAL", "REVERSE_CAUSAL"] + (["VALID"] if set(kernels) == {1} else [])
    padding = draw(st.sampled_from(paddings))
    bias, legacy, norm = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    kwargs = dict(
        input_shape=(*spatial, in_channels),
        output_channels=channels,
        kernel_shape=kernel,
        rate=rate,
        padding=padding,
        use_bias=bias,
        legacy_bias_behaviour=legacy,
        forget_bias=draw(st.sampled_from([0.0, 1.0, 2.5])),
        use_layer_norm=norm,
        initializers=_some_keys(draw, {"w", "b"} if bias else {"w"}),
    )
    if export == "ConvLSTM":
        create = lambda: snt.ConvLSTM(conv_ndims=ndims, **kwargs)  # noqa: E731
    else:
        create = lambda: CONV_LSTMS[export][1](**kwargs)  # noqa: E731
    batch = draw(batches)
    state = (batch, *spatial, channels)
    return Drawn(
        case(
            export,
            create,
            lambda: (ramp(batch, *spatial, in_channels), (ramp(*state) / 2, ramp(*state) / 3)),
        ),
        (state, (state, state)),
        2 + bias + (bias and legacy) + 2 * norm,
    )


# --------------------------------------------------------------------------- BatchNormLSTM


def positive_moving_variance(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Reads ``moving_variance`` variables as ``|v| + 1`` (the suite fills them in [-0.5, 0.5])."""
    variable = getter(name, *args, **kwargs)
    if name.endswith("moving_variance"):
        return tf.abs(variable) + 1.0
    return variable


@st.composite
def batch_norm_lstm(draw):
    hidden, batch, width = draw(sizes), draw(batches), draw(sizes)
    peep = draw(st.booleans())
    norm_h, norm_x, norm_c = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    normalized = norm_h + norm_x + norm_c
    stats = draw(st.integers(1, 2)) if normalized else 1
    clips = [draw(st.sampled_from([None, 0.25, 1.0, 3.0])) for _ in range(2)]
    # (is_training, test_local_stats): batch statistics, or the moving ones.
    training, local = draw(st.sampled_from([(False, False), (False, True), (True, True)]))
    step = draw(st.integers(0, 3))
    keys = snt.BatchNormLSTM.get_possible_initializer_keys(
        use_peepholes=peep,
        use_batch_norm_h=norm_h,
        use_batch_norm_x=norm_x,
        use_batch_norm_c=norm_c,
    )
    inits = _some_keys(draw, keys)

    def create():
        return snt.BatchNormLSTM(
            hidden,
            use_peepholes=peep,
            use_batch_norm_h=norm_h,
            use_batch_norm_x=norm_x,
            use_batch_norm_c=norm_c,
            max_unique_stats=stats,
            hidden_clip_value=clips[0],
            cell_clip_value=clips[1],
            initializers=inits,
            # Training assigns the moving statistics: they must stay variables.
            custom_getter=None if training else positive_moving_variance,
        )

    def inputs():
        pair = (_state(batch, hidden), _state(batch, hidden, scale=3.0))
        if stats == 1:
            return ramp(batch, width), snt.LSTMState(*pair)
        return ramp(batch, width), (*pair, tf.fill([batch, 1], float(step)))

    state_shapes = ((batch, hidden), (batch, hidden)) + (((batch, 1),) if stats > 1 else ())
    weights = 2 if norm_h or norm_x else 1
    variables = weights + 1 + 3 * peep + norm_h + norm_x + 2 * norm_c + 2 * stats * normalized
    return Drawn(
        case(
            "BatchNormLSTM",
            create,
            inputs,
            kwargs={"is_training": training, "test_local_stats": local},
        ),
        ((batch, hidden), state_shapes),
        variables,
    )


# --------------------------------------------------------------------------- DeepRNN


@st.composite
def deep_rnn(draw):
    cores = draw(st.lists(specs(), min_size=1, max_size=3))
    skip, concat = draw(st.booleans()), draw(st.booleans())
    batch, width = draw(batches), draw(sizes)
    # Without skip connections plain callables may sit between the cores.
    entries: list[tuple[str, Any]] = []
    for spec in cores:
        if not skip and draw(st.booleans()):
            entries.append(draw(st.sampled_from([("relu", None), ("linear", draw(sizes))])))
        entries.append(("core", spec))
    if not skip and draw(st.booleans()):
        entries.append(("relu", None))

    def create():
        made = []
        for kind, value in entries:
            if kind == "core":
                made.append(value.make())
            elif kind == "linear":
                made.append(snt.Linear(value))
            else:
                made.append(tf.nn.relu)
        return snt.DeepRNN(made, skip_connections=skip, concat_final_output_if_skip=concat)

    size = width
    for kind, value in entries:
        size = value.output if kind == "core" else (value if kind == "linear" else size)
    if skip and concat:
        size = sum(spec.output for spec in cores)
    variables = sum(v.variables if k == "core" else 2 * (k == "linear") for k, v in entries)
    return Drawn(
        case(
            "DeepRNN",
            create,
            lambda: (ramp(batch, width), tuple(spec.state(batch) for spec in cores)),
        ),
        ((batch, size), tuple(spec.shapes(batch) for spec in cores)),
        variables,
    )


# --------------------------------------------------------------------------- ModelRNN


@st.composite
def model_rnn(draw):
    size, batch, width = draw(sizes), draw(batches), draw(sizes)
    kind = draw(st.sampled_from(["linear", "mlp"]))
    bias = draw(st.booleans())
    if kind == "linear":
        model, variables = (lambda: snt.Linear(size, use_bias=bias)), 1 + bias
    else:
        layers = [*draw(st.lists(sizes, max_size=2)), size]
        model = lambda: snt.nets.MLP(layers, use_bias=bias)  # noqa: E731
        variables = len(layers) * (1 + bias)
    return Drawn(
        case(
            "ModelRNN",
            lambda: snt.ModelRNN(model()),
            lambda: (ramp(batch, width), _state(batch, size)),
        ),
        ((batch, size), (batch, size)),
        variables,
    )


# --------------------------------------------------------------------------- BidirectionalRNN


@st.composite
def bidirectional_rnn(draw):
    forward = draw(specs())
    shared = draw(st.booleans())
    backward = forward if shared else draw(specs())
    steps, batch, width = draw(st.integers(1, 3)), draw(batches), draw(sizes)

    def create():
        core = forward.make()
        return snt.BidirectionalRNN(core, core if shared else backward.make())

    return Drawn(
        case(
            "BidirectionalRNN",
            create,
            lambda: (ramp(steps, batch, width), (forward.state(batch), backward.state(batch))),
        ),
        {
            "outputs": {
                "forward": (steps, batch, forward.output),
                "backward": (steps, batch, backward.output),
            },
            "state": {
                "forward": forward.shapes(batch, steps),
                "backward": backward.shapes(batch, steps),
            },
        },
        forward.variables + (0 if shared else backward.variables),
    )


# --------------------------------------------------------------------------- wrappers

KEEP_PROBS = [None, 0.25, 0.5, 0.8, 1.0]


def _keep_probs(draw: Any, spec: Spec, choices: list[Any] = KEEP_PROBS) -> Any:
    leaves = [draw(st.sampled_from(choices)) for _ in tf.nest.flatten(spec.state_sizes)]
    if spec.state_type is None:
        return leaves[0]
    return draw(st.sampled_from([snt.LSTMState, lambda h, c: (h, c)]))(*leaves)


def _mask(batch: int, size: int, keep_prob: float) -> tf.Tensor:
    """A fixed dropout mask: kept units (two of three) scaled by ``1 / keep_prob``."""
    kept = tf.cast(tf.not_equal(tf.range(batch * size) % 3, 0), tf.float32) / keep_prob
    return tf.reshape(kept, [batch, size])


@st.composite
def recurrent_dropout(draw):
    spec = draw(specs())
    keep_probs = _keep_probs(draw, spec)
    batch, width = draw(batches), draw(sizes)
    dropped = [
        (size, p)
        for size, p in zip(
            tf.nest.flatten(spec.state_sizes), tf.nest.flatten(keep_probs), strict=True
        )
        if p is not None
    ]

    def inputs():
        masks = [_mask(batch, size, p) for size, p in dropped]
        return ramp(batch, width), (spec.state(batch), masks)

    return Drawn(
        case(
            "RecurrentDropoutWrapper",
            lambda: snt.RecurrentDropoutWrapper(spec.make(), keep_probs),
            inputs,
        ),
        ((batch, spec.output), (spec.shapes(batch), [(batch, size) for size, _ in dropped])),
        spec.variables,
    )


@st.composite
def zoneout(draw):
    spec = draw(specs())
    # Training is deterministic only when every unit takes its new value.
    training = draw(st.booleans())
    keep_probs = _keep_probs(draw, spec, [None, 1.0] if training else KEEP_PROBS)
    batch, width = draw(batches), draw(sizes)
    return Drawn(
        case(
            "ZoneoutWrapper",
            lambda: snt.ZoneoutWrapper(spec.make(), keep_probs, is_training=training),
            lambda: (ramp(batch, width), spec.state(batch)),
        ),
        ((batch, spec.output), spec.shapes(batch)),
        spec.variables,
    )


# --------------------------------------------------------------------------- TrainableInitialState


@st.composite
def trainable_initial_state(draw):
    batch = draw(batches)
    kind = draw(st.sampled_from(["tensor", "tuple", "lstm_state", "nested"]))
    count = {"tensor": 1, "tuple": draw(st.integers(1, 3)), "lstm_state": 2, "nested": 3}[kind]
    shapes = [
        (batch, *(draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2)))))
        for _ in range(count)
    ]
    # A constant (static value) or a computed tensor (initialized from the tensor).
    computed = [draw(st.booleans()) for _ in range(count)]
    masked = draw(st.booleans())
    flat_mask = [draw(st.booleans()) for _ in range(count)] if masked else [True] * count

    def pack(leaves):
        if kind == "tensor":
            return leaves[0]
        if kind == "tuple":
            return tuple(leaves)
        if kind == "lstm_state":
            return snt.LSTMState(*leaves)
        return (leaves[0], [leaves[1], {"x": leaves[2]}])

    def row_repeated(shape):  # one trainable row replaces every batch entry (Sonnet 1)
        return tf.broadcast_to(ramp(1, *shape[1:]), shape)

    def create():
        leaves = [
            tf.tanh(row_repeated(shape) * 2) if tanh else row_repeated(shape)
            for shape, tanh in zip(shapes, computed, strict=True)
        ]
        mask = pack(flat_mask) if masked else None
        return snt.TrainableInitialState(pack(leaves), mask=mask)

    return Drawn(
        case("TrainableInitialState", create, lambda: ()),
        pack(shapes),
        sum(flat_mask),
    )


VALID = {
    "RNNCore": rnn_core(),
    "VanillaRNN": vanilla_rnn(),
    "GRU": gru(),
    "HighwayCore": highway_core(),
    "ConvLSTM": conv_lstm("ConvLSTM"),
    "Conv1DLSTM": conv_lstm("Conv1DLSTM"),
    "Conv2DLSTM": conv_lstm("Conv2DLSTM"),
    "BatchNormLSTM": batch_norm_lstm(),
    "DeepRNN": deep_rnn(),
    "ModelRNN": model_rnn(),
    "BidirectionalRNN": bidirectional_rnn(),
    "RecurrentDropoutWrapper": recurrent_dropout(),
    "ZoneoutWrapper": zoneout(),
    "TrainableInitialState": trainable_initial_state(),
}


# =========================================================================== invalid


@st.composite
def rnn_core_cases(draw):
    """The base class's own checks: ``zero_state``/``initial_state`` arguments."""
    hidden = draw(small)
    make = lambda n: StepCore(hidden, name=n)  # noqa: E731
    kind = draw(st.sampled_from(["batch", "zero_batch", "inits", "regs", "noncallable"]))
    if kind in ("batch", "zero_batch"):
        bad = draw(st.sampled_from([2.5, "2", True, None, [2], "float_tensor"]))
        method = "zero_state" if kind == "zero_batch" else "initial_state"
        trainable = {} if kind == "zero_batch" else {"trainable": draw(st.booleans())}

        def connect(m):
            batch = tf.constant(2.0) if bad == "float_tensor" else bad
            return getattr(m, method)(batch, **trainable)

        return CONNECTION, make, connect
    init = tf.compat.v1.zeros_initializer()
    if kind == "noncallable":
        value = draw(st.sampled_from([(1.0, init), (init, "zeros"), (0, 0)]))
        arg = "trainable_initializers"
    else:
        # Not the (hidden, steps) structure of state_size.
        value = draw(st.sampled_from([(init,), (init, init, init), init, [init, [init]]]))
        arg = "trainable_initializers" if kind == "inits" else "trainable_regularizers"
        if kind == "regs":
            value = tf.nest.map_structure(lambda _: tf.nn.l2_loss, value)
    return CONNECTION, make, lambda m: m.initial_state(2, trainable=True, **{arg: value})


def _one_tensor_state_cases(
    draw: Any, make: Callable[[str], Any], hidden: int, *, any_state_width: bool = False
) -> tuple:
    """Bad inputs for a core whose state is one ``[batch, hidden]`` tensor.

    ``any_state_width``: the core takes a state of any width (VanillaRNN, as
    Sonnet 1's own DeepRNN tests need), so a wrong width is not a bad input.
    """
    batch, width = draw(batches), draw(small)
    kinds = ["rank", "resize", "size", "batch", "structure", "state_rank"]
    kind = draw(st.sampled_from([k for k in kinds if not (any_state_width and k == "size")]))
    if kind == "rank":
        shape = draw(st.sampled_from([(width,), (batch, width, 2), (batch, 1, width, 1)]))
        return CONNECTION, make, lambda m: m(ones(*shape), ones(batch, hidden))
    if kind == "resize":
        other = _other(draw, width)

        def resize(m):
            m(ones(batch, width), ones(batch, hidden))
            return m(ones(batch, other), ones(batch, hidden))

        return CONNECTION, make, resize
    if kind == "size":
        other = _other(draw, hidden)
        return CONNECTION, make, lambda m: m(ones(batch, width), ones(batch, other))
    if kind == "batch":
        other = _other(draw, batch)
        return CONNECTION, make, lambda m: m(ones(batch, width), ones(other, hidden))
    if kind == "structure":
        count = draw(st.sampled_from([1, 2, 3]))
        as_list = draw(st.booleans())

        def structure(m):
            states = [ones(batch, hidden) for _ in range(count)]
            return m(ones(batch, width), states if as_list else tuple(states))

        return CONNECTION, make, structure
    shape = draw(st.sampled_from([(hidden,), (batch, hidden, 1), (batch, 1, hidden)]))
    return CONNECTION, make, lambda m: m(ones(batch, width), ones(*shape))


@st.composite
def vanilla_rnn_cases(draw):
    hidden = draw(small)
    kind = draw(
        st.sampled_from(["key", "nested_key", "noncallable", "activation", "hidden", "connect"])
    )
    if kind == "key":
        key = bad_key(draw, {"in_to_hidden", "hidden_to_hidden"})
        inits = {key: {"w": CONSTANT}}
        return CONSTRUCTION, lambda n: snt.VanillaRNN(hidden, initializers=inits, name=n), None
    which = draw(st.sampled_from(["in_to_hidden", "hidden_to_hidden"]))
    if kind == "nested_key":
        inits = {which: {bad_key(draw, {"w", "b"}): CONSTANT}}
        return CONSTRUCTION, lambda n: snt.VanillaRNN(hidden, initializers=inits, name=n), None
    if kind == "noncallable":
        bad = draw(st.sampled_from([{"w": 1}, {"b": "zeros"}, {"w": 0.5, "b": CONSTANT}]))
        arg = draw(st.sampled_from(["initializers", "partitioners", "regularizers"]))
        return CONSTRUCTION, lambda n: snt.VanillaRNN(hidden, name=n, **{arg: {which: bad}}), None
    if kind == "activation":
        bad = draw(st.sampled_from([1, "tanh", None]))
        return CONSTRUCTION, lambda n: snt.VanillaRNN(hidden, activation=bad, name=n), None
    if kind == "hidden":
        bad = draw(st.sampled_from(BAD_SIZES))
        return CONSTRUCTION, lambda n: snt.VanillaRNN(bad, name=n), None
    return _one_tensor_state_cases(
        draw, lambda n: snt.VanillaRNN(hidden, name=n), hidden, any_state_width=True
    )


@st.composite
def gru_cases(draw):
    hidden = draw(small)
    keys = snt.GRU.get_possible_initializer_keys()
    kind = draw(st.sampled_from(["key", "noncallable", "hidden", "connect", "connect"]))
    if kind == "key":
        inits = {bad_key(draw, keys): CONSTANT}
        arg = draw(st.sampled_from(["initializers", "partitioners", "regularizers"]))
        return CONSTRUCTION, lambda n: snt.GRU(hidden, name=n, **{arg: inits}), None
    if kind == "noncallable":
        inits = {draw(st.sampled_from(sorted(keys))): draw(st.sampled_from([1, "w", 2.5]))}
        return CONSTRUCTION, lambda n: snt.GRU(hidden, initializers=inits, name=n), None
    if kind == "hidden":
        bad = draw(st.sampled_from(BAD_SIZES))
        return CONSTRUCTION, lambda n: snt.GRU(bad, name=n), None
    return _one_tensor_state_cases(draw, lambda n: snt.GRU(hidden, name=n), hidden)


@st.composite
def highway_core_cases(draw):
    hidden, layers = draw(small), draw(st.integers(1, 3))
    keys = snt.HighwayCore.get_possible_initializer_keys(layers)
    kind = draw(st.sampled_from(["key", "layer_key", "noncallable", "layers", "hidden", "connect"]))
    if kind in ("key", "layer_key"):
        # A key of a layer the core does not have, or any unknown key.
        key = (
            f"{draw(st.sampled_from(['wt', 'bt', 'wh', 'bh']))}{layers + draw(st.integers(0, 2))}"
            if kind == "layer_key"
            else bad_key(draw, keys)
        )
        inits = {key: CONSTANT}
        return (
            CONSTRUCTION,
            lambda n: snt.HighwayCore(hidden, layers, initializers=inits, name=n),
            None,
        )
    if kind == "noncallable":
        inits = {draw(st.sampled_from(sorted(keys))): draw(st.sampled_from([1, "w", 2.5]))}
        return (
            CONSTRUCTION,
            lambda n: snt.HighwayCore(hidden, layers, initializers=inits, name=n),
            None,
        )
    if kind == "layers":
        bad = draw(st.sampled_from(BAD_SIZES))
        return CONSTRUCTION, lambda n: snt.HighwayCore(hidden, bad, name=n), None
    if kind == "hidden":
        bad = draw(st.sampled_from(BAD_SIZES))
        return CONSTRUCTION, lambda n: snt.HighwayCore(bad, layers, name=n), None
    return _one_tensor_state_cases(draw, lambda n: snt.HighwayCore(hidden, layers, name=n), hidden)


@st.composite
def conv_lstm_cases(draw):
    export = draw(st.sampled_from(["ConvLSTM", "Conv1DLSTM", "Conv2DLSTM"]))
    ndims = draw(st.sampled_from([1, 2])) if export == "ConvLSTM" else CONV_LSTMS[export][0]
    spatial = [draw(st.integers(2, 5)) for _ in range(ndims)]
    in_channels, channels, batch = draw(small), draw(small), draw(batches)
    bias = draw(st.booleans())
    base = dict(
        input_shape=(*spatial, in_channels), output_channels=channels, kernel_shape=3, use_bias=bias
    )

    def maker(**overrides):
        kwargs = {**base, **overrides}
        if export == "ConvLSTM":
            return lambda n: snt.ConvLSTM(conv_ndims=ndims, name=n, **kwargs)
        return lambda n: CONV_LSTMS[export][1](name=n, **kwargs)

    state = (batch, *spatial, channels)
    inputs = (batch, *spatial, in_channels)
    kinds = ["input_shape", "key", "noncallable", "channels", "stride", "kernel", "padding"]
    # (Inputs may have other channels than input_shape's: Sonnet 1's convolutions
    # take the inputs' channels, and its own tests rely on it.)
    kinds += ["spatial", "rank", "pair", "hidden", "cell", "shrink", "strided"]
    kind = draw(st.sampled_from(kinds + (["ndims"] if export == "ConvLSTM" else [])))
    if kind == "ndims":
        bad = draw(st.sampled_from([0, 3, -1]))
        return CONSTRUCTION, lambda n: snt.ConvLSTM(conv_ndims=bad, name=n, **base), None
    if kind == "input_shape":
        rank = draw(st.sampled_from([r for r in range(1, 5) if r != ndims + 1]))
        return CONSTRUCTION, maker(input_shape=(3,) * rank), None
    if kind == "key":
        key = draw(st.sampled_from(["b"])) if not bias and draw(st.booleans()) else None
        key = key or bad_key(draw, {"w", "b"})
        return CONSTRUCTION, maker(initializers={key: CONSTANT}), None
    if kind == "noncallable":
        return CONSTRUCTION, maker(initializers={"w": draw(st.sampled_from([1, "w", 2.5]))}), None
    if kind == "channels":
        return CONSTRUCTION, maker(output_channels=draw(st.sampled_from(BAD_SIZES))), None
    if kind == "stride":
        bad = draw(st.sampled_from([0, -1, "2", [1] * (ndims + 1), 1.5]))
        return CONSTRUCTION, maker(stride=bad), None
    if kind == "kernel":
        return CONSTRUCTION, maker(kernel_shape=[3] * (ndims + draw(st.integers(1, 2)))), None
    if kind == "padding":
        bad = draw(st.sampled_from(["same", "BOGUS", "", "VALIDX"]))
        return CONSTRUCTION, maker(padding=bad), None

    def good_state():
        return (ones(*state), ones(*state))

    if kind == "spatial":
        dim = draw(st.integers(0, ndims - 1))
        shape = list(inputs)
        shape[1 + dim] = _other(draw, spatial[dim], 1, 6)
        return CONNECTION, maker(), lambda m: m(ones(*shape), good_state())
    if kind == "in_channels":
        shape = (*inputs[:-1], _other(draw, in_channels))
        return CONNECTION, maker(), lambda m: m(ones(*shape), good_state())
    if kind == "rank":
        shape = draw(st.sampled_from([inputs[1:], (*inputs, 1), (batch, in_channels)]))
        return CONNECTION, maker(), lambda m: m(ones(*shape), good_state())
    if kind == "pair":
        count = draw(st.sampled_from([0, 1, 3]))
        return CONNECTION, maker(), lambda m: m(ones(*inputs), (ones(*state),) * count)
    if kind in ("hidden", "cell"):
        bad = list(state)
        position = draw(st.integers(1, ndims + 1))  # a spatial dim or the channels
        bad[position] = _other(draw, bad[position])

        def wrong(m):
            pair = (ones(*bad), ones(*state)) if kind == "hidden" else (ones(*state), ones(*bad))
            return m(ones(*inputs), pair)

        return CONNECTION, maker(), wrong
    # Convolutions that do not keep the spatial shape the state has.
    if kind == "shrink":
        make = maker(padding="VALID", kernel_shape=2, rate=draw(st.sampled_from([1, 2])))
        if min(spatial) < 3:  # a dilated 2-wide kernel needs 3 steps
            make = maker(padding="VALID", kernel_shape=2)
    else:
        make = maker(stride=draw(st.integers(2, 3)), output_channels=channels * 9)
        state = (batch, *spatial, channels * 9)
    return CONNECTION, make, lambda m: m(ones(*inputs), good_state())


def _bad_lstm_state(draw: Any, batch: int, hidden: int) -> Callable[[], Any]:
    """A state that is not ``LSTMState([batch, hidden], [batch, hidden])``."""
    kind = draw(st.sampled_from(["single", "one", "three", "hidden", "cell", "batch"]))
    if kind == "single":
        return lambda: ones(batch, hidden)
    if kind == "one":
        return lambda: (ones(batch, hidden),)
    if kind == "three":
        return lambda: (ones(batch, hidden),) * 3
    other = _other(draw, hidden if kind != "batch" else batch)
    if kind == "hidden":
        return lambda: snt.LSTMState(ones(batch, other), ones(batch, hidden))
    if kind == "cell":
        return lambda: snt.LSTMState(ones(batch, hidden), ones(batch, other))
    return lambda: snt.LSTMState(ones(other, hidden), ones(other, hidden))


@st.composite
def batch_norm_lstm_cases(draw):
    hidden, batch, width = draw(small), draw(batches), draw(small)
    kinds = ["stats", "stats_without_norm", "clip", "key", "noncallable", "hidden"]
    kinds += ["is_training", "rank", "resize", "state", "stats_state"]
    kind = draw(st.sampled_from(kinds))
    if kind == "stats":
        bad = draw(st.sampled_from([0, -1, 1.5, True, "2", None]))
        return CONSTRUCTION, lambda n: snt.BatchNormLSTM(hidden, max_unique_stats=bad, name=n), None
    if kind == "stats_without_norm":
        stats = draw(st.integers(2, 4))
        return (
            CONSTRUCTION,
            lambda n: snt.BatchNormLSTM(
                hidden, use_batch_norm_h=False, max_unique_stats=stats, name=n
            ),
            None,
        )
    if kind == "clip":
        value = draw(st.floats(-10, -0.01))
        which = draw(st.sampled_from(["hidden_clip_value", "cell_clip_value"]))
        return CONSTRUCTION, lambda n: snt.BatchNormLSTM(hidden, name=n, **{which: value}), None
    if kind == "key":
        # Keys of switched-off options, or unknown ones.
        norm_x, norm_c, peep = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
        off = {"gamma_x"} if not norm_x else set()
        off |= {"gamma_c", "beta_c"} if not norm_c else set()
        off |= {"w_f_diag", "w_i_diag", "w_o_diag"} if not peep else set()
        allowed = snt.BatchNormLSTM.get_possible_initializer_keys(peep, True, norm_x, norm_c)
        key = draw(st.sampled_from(sorted(off))) if off and draw(st.booleans()) else None
        inits = {key or bad_key(draw, allowed): CONSTANT}
        return (
            CONSTRUCTION,
            lambda n: snt.BatchNormLSTM(
                hidden,
                use_peepholes=peep,
                use_batch_norm_x=norm_x,
                use_batch_norm_c=norm_c,
                initializers=inits,
                name=n,
            ),
            None,
        )
    if kind == "noncallable":
        inits = {draw(st.sampled_from(["w_gates", "b_gates", "gamma_h"])): 1}
        return CONSTRUCTION, lambda n: snt.BatchNormLSTM(hidden, initializers=inits, name=n), None
    if kind == "hidden":
        bad = draw(st.sampled_from(BAD_SIZES))
        return CONSTRUCTION, lambda n: snt.BatchNormLSTM(bad, name=n), None
    make = lambda n: snt.BatchNormLSTM(hidden, name=n)  # noqa: E731

    def good():
        return snt.LSTMState(ones(batch, hidden), ones(batch, hidden))

    if kind == "is_training":
        return CONNECTION, make, lambda m: m(ones(batch, width), good())
    if kind == "rank":
        shape = draw(st.sampled_from([(width,), (batch, width, 1)]))
        return CONNECTION, make, lambda m: m(ones(*shape), good(), is_training=True)
    if kind == "resize":
        other = _other(draw, width)

        def resize(m):
            m(ones(batch, width), good(), is_training=True)
            return m(ones(batch, other), good(), is_training=True)

        return CONNECTION, make, resize
    if kind == "state":
        bad = _bad_lstm_state(draw, batch, hidden)
        return CONNECTION, make, lambda m: m(ones(batch, width), bad(), is_training=True)
    # max_unique_stats > 1: the state carries a [batch, 1] time step.
    stats = draw(st.integers(2, 3))
    make = lambda n: snt.BatchNormLSTM(hidden, max_unique_stats=stats, name=n)  # noqa: E731
    step = draw(st.sampled_from(["missing", "width", "rank", "hidden"]))
    step_shape = {"width": (batch, 2), "rank": (batch,), "missing": None, "hidden": (batch, 1)}[
        step
    ]

    def stats_state():
        h = ones(batch, hidden + (step == "hidden"))
        if step_shape is None:
            return (h, ones(batch, hidden))
        return (h, ones(batch, hidden), ones(*step_shape))

    return CONNECTION, make, lambda m: m(ones(batch, width), stats_state(), is_training=True)


@st.composite
def deep_rnn_cases(draw):
    batch, width = draw(batches), draw(small)
    kinds = ["empty", "not_sequence", "noncallable", "skip_plain"]
    kinds += ["count", "structure", "size", "batch", "initializers"]
    kind = draw(st.sampled_from(kinds))
    if kind == "empty":
        empty = draw(st.sampled_from([[], ()]))
        return CONSTRUCTION, lambda n: snt.DeepRNN(empty, name=n), None
    if kind == "not_sequence":
        # (A generator is an iterable of cores: accepted, as in Sonnet 1.)
        bad = draw(st.sampled_from(["core", "none", "dict"]))

        def not_sequence(n):
            cores = {
                "core": lambda: snt.GRU(2),
                "none": lambda: None,
                "generator": lambda: (c for c in [snt.GRU(2)]),
                "dict": lambda: {"a": snt.GRU(2)},
            }[bad]()
            return snt.DeepRNN(cores, name=n)

        return CONSTRUCTION, not_sequence, None
    if kind == "noncallable":
        bad = draw(st.sampled_from([3, "gru", None]))
        at = draw(st.integers(0, 1))

        def noncallable(n):
            cores: list[Any] = [snt.GRU(2)]
            cores.insert(at, bad)
            return snt.DeepRNN(cores, skip_connections=False, name=n)

        return CONSTRUCTION, noncallable, None
    if kind == "skip_plain":
        plain = draw(st.sampled_from(["relu", "linear"]))

        def skip_plain(n):
            entry = tf.nn.relu if plain == "relu" else snt.Linear(2)
            return snt.DeepRNN([snt.GRU(2), entry, snt.GRU(3)], skip_connections=True, name=n)

        return CONSTRUCTION, skip_plain, None
    cores = draw(st.lists(specs(), min_size=1, max_size=3))
    skip = draw(st.booleans())
    make = lambda n: snt.DeepRNN([s.make() for s in cores], skip_connections=skip, name=n)  # noqa: E731
    if kind == "initializers":
        count = _other(draw, len(cores), 0, 4)
        return (
            CONNECTION,
            make,
            lambda m: m.initial_state(batch, trainable=True, trainable_initializers=[None] * count),
        )
    if kind == "count":
        count = _other(draw, len(cores), 0, 4)
        return (
            CONNECTION,
            make,
            lambda m: m(ones(batch, width), tuple(cores[0].state(batch) for _ in range(count))),
        )
    at = draw(st.integers(0, len(cores) - 1))
    target = cores[at]

    def bad_state():
        if kind == "structure":  # a pair for a one-tensor state, one tensor for a pair
            if target.state_type is None:
                return (ones(batch, target.output), ones(batch, target.output))
            return ones(batch, target.output)
        if kind == "batch":
            return target.state(batch + 1)
        wrong = Spec(
            target.make,
            0,
            tf.nest.map_structure(lambda s: s + 1, target.state_sizes),
            0,
            target.state_type,
        )
        return wrong.state(batch)

    def connect(m):
        states = [s.state(batch) for s in cores]
        states[at] = bad_state()
        return m(ones(batch, width), tuple(states))

    return CONNECTION, make, connect


@st.composite
def model_rnn_cases(draw):
    size, batch = draw(small), draw(batches)
    kind = draw(st.sampled_from(["noncallable", "no_output_size", "size", "rank", "structure"]))
    if kind == "noncallable":
        bad = draw(st.sampled_from([3, "linear", None, [1, 2]]))
        return CONSTRUCTION, lambda n: snt.ModelRNN(bad, name=n), None
    if kind == "no_output_size":
        bad = draw(st.sampled_from([tf.nn.relu, tf.identity, lambda x: x * 2]))
        return CONSTRUCTION, lambda n: snt.ModelRNN(bad, name=n), None
    make = lambda n: snt.ModelRNN(snt.Linear(size), name=n)  # noqa: E731
    if kind == "size":
        other = _other(draw, size)
        return CONNECTION, make, lambda m: m(ones(batch, 1), ones(batch, other))
    if kind == "rank":
        shape = draw(st.sampled_from([(size,), (batch, size, 1), (batch, 2, size)]))
        return CONNECTION, make, lambda m: m(ones(batch, 1), ones(*shape))
    return CONNECTION, make, lambda m: m(ones(batch, 1), (ones(batch, size),) * 2)


@st.composite
def bidirectional_rnn_cases(draw):
    steps, batch, width = draw(st.integers(1, 4)), draw(batches), draw(small)
    kind = draw(
        st.sampled_from(
            ["noncallable", "no_steps", "scalar", "rank1", "pair", "structure", "size", "batch"]
        )
    )
    if kind == "noncallable":
        bad = draw(st.sampled_from([3, "lstm", None]))
        forward_bad = draw(st.booleans())

        def noncallable(n):
            good = snt.GRU(2)
            return (
                snt.BidirectionalRNN(bad, good, name=n)
                if forward_bad
                else snt.BidirectionalRNN(good, bad, name=n)
            )

        return CONSTRUCTION, noncallable, None
    forward, backward = draw(specs()), draw(specs())
    make = lambda n: snt.BidirectionalRNN(forward.make(), backward.make(), name=n)  # noqa: E731

    def states(b=batch):
        return (forward.state(b), backward.state(b))

    if kind == "no_steps":
        return CONNECTION, make, lambda m: m(ones(0, batch, width), states())
    if kind == "scalar":
        return CONNECTION, make, lambda m: m(tf.constant(1.0), states())
    if kind == "rank1":
        return CONNECTION, make, lambda m: m(ones(steps), states())
    if kind == "pair":
        count = draw(st.sampled_from([1, 3]))
        single = draw(st.booleans()) and count == 1
        return (
            CONNECTION,
            make,
            lambda m: m(
                ones(steps, batch, width),
                forward.state(batch) if single else (forward.state(batch),) * count,
            ),
        )
    which = draw(st.integers(0, 1))
    target = (forward, backward)[which]

    def bad_state():
        if kind == "structure":
            if target.state_type is None:
                return (ones(batch, target.output),) * 2
            return ones(batch, target.output)
        if kind == "batch":
            return target.state(batch + 1)
        return (
            ones(batch, target.output + 1)
            if target.state_type is None
            else (target.state_type(ones(batch, target.output), ones(batch, target.output + 2)))
        )

    def connect(m):
        state = list(states())
        state[which] = bad_state()
        return m(ones(steps, batch, width), tuple(state))

    return CONNECTION, make, connect


def _wrapper_construction(draw: Any, kind: str, wrapper: Callable[..., Any]) -> tuple:
    """Bad ``keep_probs`` or core for RecurrentDropoutWrapper/ZoneoutWrapper."""
    lstm = draw(st.booleans())
    hidden = draw(small)

    def core(n):
        return snt.LSTM(hidden, name=n) if lstm else snt.GRU(hidden, name=n)

    if kind == "structure":
        bad = draw(
            st.sampled_from(
                [0.5, (0.5,), (0.5, 0.5, 0.5), [[0.5, None]]]
                if lstm
                else [(0.5,), (0.5, None), [0.5]]
            )
        )
        return CONSTRUCTION, lambda n: wrapper(core(n), bad), None
    if kind in ("range", "type"):
        bad = draw(st.sampled_from(BAD_KEEP_PROBS if kind == "range" else NOT_KEEP_PROBS))
        keep_probs = snt.LSTMState(*draw(st.permutations([bad, 0.5]))) if lstm else bad
        return CONSTRUCTION, lambda n: wrapper(core(n), keep_probs), None
    plain = draw(st.sampled_from(["linear", "mlp"]))

    def not_a_core(n):
        module = snt.Linear(3, name=n) if plain == "linear" else snt.nets.MLP([3], name=n)
        return wrapper(module, 0.5)

    return CONSTRUCTION, not_a_core, None


@st.composite
def recurrent_dropout_cases(draw):
    kind = draw(
        st.sampled_from(
            ["structure", "range", "type", "core", "pair", "masks", "mask", "core_state"]
        )
    )
    if kind in ("structure", "range", "type", "core"):
        return _wrapper_construction(draw, kind, snt.RecurrentDropoutWrapper)
    hidden, batch, width = draw(small), draw(batches), draw(small)
    make = lambda n: snt.RecurrentDropoutWrapper(  # noqa: E731
        snt.LSTM(hidden, name=n), snt.LSTMState(0.5, None)
    )

    def core_state(size=hidden):
        return snt.LSTMState(ones(batch, size), ones(batch, hidden))

    if kind == "pair":  # the core's state without the masks
        return CONNECTION, make, lambda m: m(ones(batch, width), core_state())
    if kind == "masks":
        count = draw(st.sampled_from([0, 2, 3]))
        return (
            CONNECTION,
            make,
            lambda m: m(ones(batch, width), (core_state(), [ones(batch, hidden)] * count)),
        )
    if kind == "mask":
        shape = draw(
            st.sampled_from(
                [(batch, hidden + 1), (batch + 1, hidden), (hidden,), (batch, hidden, 1)]
            )
        )
        return CONNECTION, make, lambda m: m(ones(batch, width), (core_state(), [ones(*shape)]))
    other = _other(draw, hidden)
    return (
        CONNECTION,
        make,
        lambda m: m(ones(batch, width), (core_state(other), [ones(batch, hidden)])),
    )


@st.composite
def zoneout_cases(draw):
    training = draw(st.booleans())

    def wrapper(core, keep_probs):
        return snt.ZoneoutWrapper(core, keep_probs, is_training=training)

    kind = draw(st.sampled_from(["structure", "range", "type", "core", "state"]))
    if kind != "state":
        return _wrapper_construction(draw, kind, wrapper)
    hidden, batch, width = draw(small), draw(batches), draw(small)
    if draw(st.booleans()):
        make = lambda n: wrapper(snt.LSTM(hidden, name=n), snt.LSTMState(0.9, 0.5))  # noqa: E731
        bad = _bad_lstm_state(draw, batch, hidden)
        return CONNECTION, make, lambda m: m(ones(batch, width), bad())
    return _one_tensor_state_cases(draw, lambda n: wrapper(snt.GRU(hidden, name=n), 0.5), hidden)


@st.composite
def trainable_initial_state_cases(draw):
    batch, size = draw(batches), draw(small)
    kind = draw(st.sampled_from(["mask_structure", "mask_type", "scalar", "none", "dtype"]))
    if kind == "mask_structure":
        bad = draw(st.sampled_from([(True,), (True, True, True), True, [(True, False)]]))
        return (
            CONSTRUCTION,
            lambda n: snt.TrainableInitialState(
                (ones(batch, size), ones(batch, size)), bad, name=n
            ),
            None,
        )
    if kind == "mask_type":
        bad = draw(st.sampled_from([(1, 0), ("yes", True), (None, True), (True, 0.0)]))
        return (
            CONSTRUCTION,
            lambda n: snt.TrainableInitialState(
                (ones(batch, size), ones(batch, size)), bad, name=n
            ),
            None,
        )
    # A tensor to make trainable that is not [batch, ...] floating point.
    leaf = {
        "scalar": lambda: draw(st.sampled_from(["tensor", "float"])),
        "none": lambda: None,
        "dtype": lambda: "string",  # integer and boolean tensors are accepted (Sonnet 1)
    }[kind]()
    at = draw(st.integers(0, 1))

    def make(n):
        if leaf == "tensor":
            bad = tf.constant(1.5)
        elif leaf == "float":
            bad = 1.5
        elif leaf in ("int32", "bool"):
            bad = tf.ones([batch, size], dtype=leaf)
        elif leaf == "string":
            bad = tf.fill([batch, size], "a")
        else:
            bad = None
        state = [ones(batch, size), ones(batch, size)]
        state[at] = bad
        return snt.TrainableInitialState(tuple(state), name=n)

    return CONSTRUCTION, make, None


INVALID = {
    "RNNCore": rnn_core_cases(),
    "VanillaRNN": vanilla_rnn_cases(),
    "GRU": gru_cases(),
    "HighwayCore": highway_core_cases(),
    "ConvLSTM/Conv1DLSTM/Conv2DLSTM": conv_lstm_cases(),
    "BatchNormLSTM": batch_norm_lstm_cases(),
    "DeepRNN": deep_rnn_cases(),
    "ModelRNN": model_rnn_cases(),
    "BidirectionalRNN": bidirectional_rnn_cases(),
    "RecurrentDropoutWrapper": recurrent_dropout_cases(),
    "ZoneoutWrapper": zoneout_cases(),
    "TrainableInitialState": trainable_initial_state_cases(),
}
