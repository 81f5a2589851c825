"""Property strategies for snt-nets' basic layers, shape ops, wrappers and batch norms.

AddBias, ConcatLinear, TrainableVariable, Embed, BatchFlatten,
FlattenTrailingDimensions, MergeDims, SliceByDim, TileByDim, SelectInput,
BatchApply, Sequential, BatchNorm and BatchNormV2.
"""

from __future__ import annotations

import math

import numpy as np
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

#: Batch normalization in the suite: variables are filled with values in
#: [-0.5, 0.5], moving variances included, so ``variance + eps`` needs eps >= 1.
_BN_EPS = 1.0
#: (is_training, test_local_stats): the moving statistics, or batch ones
#: (deterministic too: they depend on the input only).
_BN_MODES = [(False, False), (False, True), (True, False), (True, True)]
#: Things that are not an int where the docs want one.
_NOT_INTS = ["2", 1.5, None, [1]]


def _dims(draw, rank: int, first: int = 0, min_size: int = 1, negative: bool = True) -> list[int]:
    """Distinct dimensions in ``[first, rank)``, each maybe written negatively."""
    candidates = st.integers(first, rank - 1)
    chosen = draw(st.lists(candidates, min_size=min_size, max_size=rank - first, unique=True))
    return [d - rank if negative and draw(st.booleans()) else d for d in chosen]


def _shape(draw, rank: int, low: int = 1, high: int = 4) -> tuple[int, ...]:
    return tuple(draw(st.integers(low, high)) for _ in range(rank))


def _int_ids(shape: tuple[int, ...], values: list[int]):
    return lambda: (tf.constant(np.array(values, np.int32).reshape(shape)),)


# --------------------------------------------------------------------------- VALID


@st.composite
def add_bias(draw):
    rank = draw(st.integers(2, 4))
    shape = (draw(batches), *_shape(draw, rank - 1))
    # None: all but the batch dimension; []: a scalar bias; else some dimensions.
    bias_dims = draw(st.sampled_from([None, [], "some"]))
    if bias_dims == "some":
        bias_dims = _dims(draw, rank, first=1)
    expected_shape = shape[1:]
    output_shape = draw(
        st.sampled_from([None, expected_shape, list(expected_shape), lambda: expected_shape])
    )
    multiplier = draw(st.sampled_from([None, 1, 2.5, -1.0, 0]))
    kwargs = {} if multiplier is None else {"multiplier": multiplier}
    return Drawn(
        case(
            "AddBias",
            lambda: snt.AddBias(output_shape=output_shape, bias_dims=bias_dims),
            lambda: (ramp(*shape),),
            kwargs=kwargs,
        ),
        shape,
        1,
    )


@st.composite
def concat_linear(draw):
    out, bias = draw(sizes), draw(st.booleans())
    batch = draw(batches)
    widths = draw(st.lists(sizes, min_size=1, max_size=3))

    def inputs():
        return ([ramp(batch, w) + 0.25 * i for i, w in enumerate(widths)],)

    return Drawn(
        case("ConcatLinear", lambda: snt.ConcatLinear(out, use_bias=bias), inputs),
        (batch, out),
        len(widths) + bias,  # one w per input (Sonnet 1's layout), the bias on the first
    )


@st.composite
def trainable_variable(draw):
    shape = list(_shape(draw, draw(st.integers(0, 3)), low=1))  # no empty variable (issue 23)
    dtype = draw(st.sampled_from([tf.float32, tf.float64]))
    initializers = draw(
        st.sampled_from([None, {"w": tf.ones_initializer()}, {"w": tf.zeros_initializer()}])
    )
    return Drawn(
        case(
            "TrainableVariable",
            lambda: snt.TrainableVariable(shape, dtype=dtype, initializers=initializers),
            lambda: (),
        ),
        tuple(shape),
        1,
    )


@st.composite
def embed(draw):
    vocab = draw(st.integers(1, 8))
    ids_shape = _shape(draw, draw(st.integers(0, 3)), high=3)
    ids = [draw(st.integers(0, vocab - 1)) for _ in range(math.prod(ids_shape))]
    dense, trainable = draw(st.booleans()), draw(st.booleans())
    how = draw(st.sampled_from(["default_dim", "dim", "existing"]))
    if how == "existing":
        dim = draw(small)
        table = np.linspace(-1.0, 1.0, vocab * dim, dtype=np.float32).reshape(vocab, dim)

        def create():
            return snt.Embed(existing_vocab=table, densify_gradients=dense, trainable=trainable)

    elif how == "dim":
        dim = draw(small)

        def create():
            return snt.Embed(vocab, dim, densify_gradients=dense, trainable=trainable)

    else:
        dim = round(6 * vocab**0.25)  # Sonnet 1's default embedding size

        def create():
            return snt.Embed(vocab_size=vocab, densify_gradients=dense, trainable=trainable)

    return Drawn(case("Embed", create, _int_ids(ids_shape, ids)), (*ids_shape, dim), 1)


@st.composite
def batch_flatten(draw, trailing_from: bool):
    keep = draw(st.integers(1, 3))
    rank = keep + draw(st.integers(0, 2))
    shape = _shape(draw, rank)
    expected = (*shape[:keep], math.prod(shape[keep:]))
    default = keep == 1 and draw(st.booleans())
    if trailing_from:
        name = "FlattenTrailingDimensions"

        def create():
            return snt.FlattenTrailingDimensions(keep)

    else:
        name = "BatchFlatten"

        def create():
            return snt.BatchFlatten() if default else snt.BatchFlatten(preserve_dims=keep)

    return Drawn(case(name, create, lambda: (ramp(*shape),)), expected, 0)


@st.composite
def merge_dims(draw):
    start, size = draw(st.integers(0, 2)), draw(st.integers(2, 3))
    count = draw(st.integers(1, 3))
    nested = count > 1 or draw(st.booleans())
    shapes = [_shape(draw, start + size + draw(st.integers(0, 1)), high=3) for _ in range(count)]
    from_end = draw(st.booleans())  # start=-size: the last `size` dimensions of each input
    module_start = -size if from_end else start

    def merged(shape):
        first = len(shape) - size if from_end else start
        return (*shape[:first], math.prod(shape[first : first + size]), *shape[first + size :])

    expected = [merged(s) for s in shapes]
    if nested:
        # A list holding a tensor and a tuple of the rest: MergeDims maps over any nesting.
        def inputs():
            tensors = [ramp(*s) for s in shapes]
            return ([tensors[0], tuple(tensors[1:])],)
    else:

        def inputs():
            return (ramp(*shapes[0]),)

    return Drawn(
        case("MergeDims", lambda: snt.MergeDims(start=module_start, size=size), inputs),
        expected,
        0,
    )


@st.composite
def slice_by_dim(draw):
    rank = draw(st.integers(1, 4))
    shape = _shape(draw, rank, high=5)
    dims = _dims(draw, rank)
    begin, size, expected = [], [], list(shape)
    for dim in dims:
        extent = shape[dim]
        b = draw(st.integers(0, extent))
        s = draw(st.one_of(st.just(-1), st.integers(0, extent - b)))
        begin.append(b)
        size.append(s)
        expected[dim] = extent - b if s == -1 else s
    return Drawn(
        case(
            "SliceByDim",
            lambda: snt.SliceByDim(dims=dims, begin=begin, size=size),
            lambda: (ramp(*shape),),
        ),
        tuple(expected),
        0,
    )


@st.composite
def tile_by_dim(draw):
    rank = draw(st.integers(1, 4))
    shape = _shape(draw, rank, high=3)
    dims = _dims(draw, rank)
    multiples = [draw(st.integers(0, 3)) for _ in dims]
    expected = list(shape)
    for dim, m in zip(dims, multiples, strict=True):
        expected[dim] *= m
    return Drawn(
        case(
            "TileByDim",
            lambda: snt.TileByDim(dims=dims, multiples=multiples),
            lambda: (ramp(*shape),),
        ),
        tuple(expected),
        0,
    )


@st.composite
def select_input(draw):
    count = draw(st.integers(1, 4))
    # Distinct shapes, so the expected shapes tell which input was picked.
    shapes = [(i + 1, draw(small)) for i in range(count)]
    index = st.integers(0, count - 1)
    idx = draw(
        st.recursive(
            index,
            lambda inner: st.lists(inner, min_size=1, max_size=3) | st.tuples(inner, inner),
            max_leaves=5,
        )
    )
    return Drawn(
        case(
            "SelectInput",
            lambda: snt.SelectInput(idx=idx),
            lambda: tuple(ramp(*s) for s in shapes),
        ),
        tf.nest.map_structure(lambda i: list(shapes[i]), idx),
        0,
    )


@st.composite
def batch_apply(draw):
    n_dims = draw(st.integers(1, 3))
    lead = _shape(draw, n_dims, high=3)
    wrapped = draw(st.sampled_from(["linear", "relu", "flatten", "pair", "sum", "kwarg"]))
    tail = _shape(draw, 1 if wrapped in ("linear", "sum", "kwarg") else draw(st.integers(1, 2)))
    shape = (*lead, *tail)
    merged_default = n_dims == 2 and draw(st.booleans())
    num_variables, index, kwargs = 0, 0, {}
    if wrapped == "linear":
        out, bias = draw(sizes), draw(st.booleans())
        expected = (*lead, out)
        num_variables = 1 + bias

        def module():
            return snt.Linear(out, use_bias=bias)

    elif wrapped == "relu":
        expected = shape

        def module():
            return tf.nn.relu

    elif wrapped == "flatten":
        expected = (*lead, math.prod(tail))

        def module():
            return snt.BatchFlatten()

    elif wrapped == "pair":
        # Nested outputs, each split back.
        expected = [shape, (*lead, 1)]

        def module():
            return lambda x: (2 * x, tf.reduce_sum(tf.reshape(x, [x.shape[0], -1]), 1, True))

    elif wrapped == "sum":
        # Two positional inputs; the example picked by index (both have the leading dims).
        index = draw(st.sampled_from([0, 1, -1, -2]))
        expected = shape

        def module():
            return lambda x, y: x + y

    else:
        # A keyword input (merged like the positional ones).
        index = draw(st.sampled_from([0, 1]))
        expected = shape

        def module():
            return lambda x, scale: x * scale

        # A NumPy array: tensor-like in every mode (a tf.constant made here is eager).
        kwargs = {"scale": np.full(shape, 1.5, np.float32)}

    def inputs():
        x = ramp(*shape)
        return (x, x / 2) if wrapped == "sum" else (x,)

    def create():
        if merged_default:
            return snt.BatchApply(module())
        return snt.BatchApply(module(), n_dims=n_dims, input_example_index=index)

    return Drawn(case("BatchApply", create, inputs, kwargs=kwargs), expected, num_variables)


@st.composite
def sequential(draw):
    batch = draw(batches)
    rank = draw(st.integers(2, 3))
    shape = (batch, *_shape(draw, rank - 1))
    steps = draw(
        st.lists(
            st.sampled_from(["linear", "relu", "tanh", "flatten", "pair", "scale"]),
            min_size=0,
            max_size=4,
        )
    )
    current, variables, specs = shape, 0, []
    for i, step in enumerate(steps):
        if step == "linear" and len(current) != 2:
            specs.append(("flatten", None))  # Linear takes rank 2
            current = (batch, math.prod(current[1:]))
        if step == "linear":
            out, bias = draw(sizes), draw(st.booleans())
            specs.append(("linear", (f"linear_{i}", out, bias)))
            current, variables = (batch, out), variables + 1 + bias
        elif step == "pair":
            # A tuple output goes unpacked into the next layer.
            specs.append(("pair", None))
        elif step == "flatten":
            specs.append(("flatten", None))
            current = (batch, math.prod(current[1:]))
        else:
            specs.append((step, None))
    # A last layer returning a tuple: the output is nested.
    tuple_out = draw(st.booleans())
    expected = [current, current] if tuple_out else current

    def create():
        layers = []
        for step, arg in specs:
            if step == "linear":
                layers.append(snt.Linear(arg[1], use_bias=arg[2], name=arg[0]))
            elif step == "flatten":
                layers.append(snt.BatchFlatten())
            elif step == "pair":
                layers.extend([lambda x: (x, 2 * x), lambda a, b: a - b / 4])
            elif step == "scale":
                layers.append(lambda x: x * 0.5)
            else:
                layers.append(tf.nn.relu if step == "relu" else tf.tanh)
        if tuple_out:
            layers.append(lambda x: (x, -x))
        return snt.Sequential(layers)

    return Drawn(case("Sequential", create, lambda: (ramp(*shape),)), expected, variables)


def _bn_drawn(draw, name, create, shape):
    is_training, local = draw(st.sampled_from(_BN_MODES))
    return case(
        name,
        create,
        lambda: (ramp(*shape),),
        kwargs={"is_training": is_training, "test_local_stats": local},
    )


@st.composite
def batch_norm(draw):
    # BatchNorm's axis entries are non-negative (Sonnet 1); the default axis
    # needs a rank of at least 2 (something to average over).
    rank = draw(st.integers(1, 4))
    shape = (draw(st.integers(1, 4)), *_shape(draw, rank - 1))
    axis = _dims(draw, rank, negative=False)
    if rank > 1 and draw(st.booleans()):
        axis = None
    offset, scale = draw(st.booleans()), draw(st.booleans())
    eps = draw(st.sampled_from([_BN_EPS, 2.0]))
    decay = draw(st.sampled_from([0.0, 0.5, 0.999, 1.0]))

    def create():
        return snt.BatchNorm(axis=axis, offset=offset, scale=scale, eps=eps, decay_rate=decay)

    return Drawn(_bn_drawn(draw, "BatchNorm", create, shape), shape, 2 + offset + scale)


_FORMATS = {2: ["NC"], 3: ["NWC", "NCW"], 4: ["NHWC", "NCHW"], 5: ["NDHWC", "NCDHW"]}


@st.composite
def batch_norm_v2(draw):
    rank = draw(st.integers(2, 5))
    data_format = draw(st.sampled_from([*_FORMATS[rank], None]))
    shape = (draw(batches), *_shape(draw, rank - 1, high=3))
    offset, scale = draw(st.booleans()), draw(st.booleans())
    collection = draw(st.sampled_from([None, "update_ops"]))

    def create():
        return snt.BatchNormV2(
            data_format=data_format,
            offset=offset,
            scale=scale,
            eps=_BN_EPS,
            update_ops_collection=collection,
        )

    return Drawn(_bn_drawn(draw, "BatchNormV2", create, shape), shape, 2 + offset + scale)


VALID = {
    "AddBias": add_bias(),
    "ConcatLinear": concat_linear(),
    "TrainableVariable": trainable_variable(),
    "Embed": embed(),
    "BatchFlatten": batch_flatten(False),
    "FlattenTrailingDimensions": batch_flatten(True),
    "MergeDims": merge_dims(),
    "SliceByDim": slice_by_dim(),
    "TileByDim": tile_by_dim(),
    "SelectInput": select_input(),
    "BatchApply": batch_apply(),
    "Sequential": sequential(),
    "BatchNorm": batch_norm(),
    "BatchNormV2": batch_norm_v2(),
}


# ------------------------------------------------------------------------- INVALID


def _dict_kind(draw, ctor, keys):
    """A construction scenario: an unknown key, or a non-callable value, in a dict."""
    which = draw(st.sampled_from(["initializers", "partitioners", "regularizers"]))
    if draw(st.booleans()):
        key = bad_key(draw, keys)
        value = tf.zeros_initializer() if which == "initializers" else tf.identity
        return CONSTRUCTION, lambda n: ctor(n, **{which: {key: value}}), None
    key = draw(st.sampled_from(sorted(keys)))
    bad = draw(st.sampled_from([1, "zeros", 2.5]))
    return CONSTRUCTION, lambda n: ctor(n, **{which: {key: bad}}), None


def _reconnect(first, second):
    def connect(m):
        first(m)
        return second(m)

    return connect


@st.composite
def add_bias_cases(draw):
    kind = draw(
        st.sampled_from(
            ["dicts", "rank", "resize", "output_shape", "batch_dim", "dim_range", "dim_type"]
        )
    )
    if kind == "dicts":
        return _dict_kind(draw, lambda n, **kw: snt.AddBias(name=n, **kw), {"b"})
    if kind == "rank":
        shape = [draw(small) for _ in range(draw(st.integers(0, 1)))]
        return CONNECTION, lambda n: snt.AddBias(name=n), lambda m: m(ones(*shape))
    if kind == "resize":
        shape = [2, draw(small), draw(small)]
        other = list(shape)
        other[draw(st.integers(1, 2))] += draw(small)
        return (
            CONNECTION,
            lambda n: snt.AddBias(name=n),
            _reconnect(lambda m: m(ones(*shape)), lambda m: m(ones(*other))),
        )
    if kind == "output_shape":
        expected = [draw(small) for _ in range(draw(st.integers(1, 2)))]
        got = [d + draw(small) for d in expected]
        return (
            CONNECTION,
            lambda n: snt.AddBias(output_shape=expected, name=n),
            lambda m: m(ones(2, *got)),
        )
    rank = draw(st.integers(2, 4))
    if kind == "batch_dim":
        dims = [draw(st.sampled_from([0, -rank]))]
    elif kind == "dim_range":
        dims = [draw(st.sampled_from([rank, rank + 1, -rank - 1, -rank - 3]))]
    else:
        dims = [draw(st.sampled_from(["1", 1.0, None]))]
        return CONSTRUCTION, lambda n: snt.AddBias(bias_dims=dims, name=n), None
    return CONNECTION, lambda n: snt.AddBias(bias_dims=dims, name=n), lambda m: m(ones(*[2] * rank))


@st.composite
def concat_linear_cases(draw):
    kind = draw(
        st.sampled_from(["dicts", "rank", "empty", "resize", "batch", "dtype", "not_a_list"])
    )
    out = draw(small)
    if kind == "dicts":
        return _dict_kind(draw, lambda n, **kw: snt.ConcatLinear(out, name=n, **kw), {"w", "b"})
    if kind == "rank":
        bad = [2, draw(small), draw(small)][: draw(st.sampled_from([1, 3]))]
        shapes = [[2, 3], [2, 3]]
        shapes.insert(draw(st.integers(0, 2)), bad)
        return (
            CONNECTION,
            lambda n: snt.ConcatLinear(out, name=n),
            lambda m: m([ones(*s) for s in shapes]),
        )
    if kind == "empty":
        return CONNECTION, lambda n: snt.ConcatLinear(out, name=n), lambda m: m([])
    if kind == "resize":
        widths = draw(st.lists(small, min_size=1, max_size=3))
        others = st.lists(small, min_size=1, max_size=3)
        others = draw(others.filter(lambda o: sum(o) != sum(widths)))
        return (
            CONNECTION,
            lambda n: snt.ConcatLinear(out, name=n),
            _reconnect(
                lambda m: m([ones(2, w) for w in widths]),
                lambda m: m([ones(2, w) for w in others]),
            ),
        )
    if kind == "batch":
        a = draw(small)
        b = draw(small.filter(lambda x: x != a))
        return (
            CONNECTION,
            lambda n: snt.ConcatLinear(out, name=n),
            lambda m: m([ones(a, 2), ones(b, 3)]),
        )
    if kind == "dtype":
        other = draw(st.sampled_from([tf.float64, tf.int32, tf.float16]))
        return (
            CONNECTION,
            lambda n: snt.ConcatLinear(out, name=n),
            lambda m: m([ones(2, 2), tf.ones([2, 3], other)]),
        )
    shape = [2, draw(small)]
    return CONNECTION, lambda n: snt.ConcatLinear(out, name=n), lambda m: m(ones(*shape))


@st.composite
def trainable_variable_cases(draw):
    kind = draw(st.sampled_from(["dicts", "entries", "not_a_sequence", "dtype"]))
    if kind == "dicts":
        return _dict_kind(draw, lambda n, **kw: snt.TrainableVariable([2], name=n, **kw), {"w"})
    if kind == "entries":
        shape = [draw(small), draw(st.sampled_from([-1, -3, 0, 1.5, "2", None]))]
        if draw(st.booleans()):
            shape.reverse()
        return CONSTRUCTION, lambda n: snt.TrainableVariable(shape, name=n), None
    if kind == "not_a_sequence":
        bad = draw(st.sampled_from([3, None, 2.0]))
        return CONSTRUCTION, lambda n: snt.TrainableVariable(bad, name=n), None
    bad = draw(st.sampled_from(["floaty", 3.5, object()]))
    return CONSTRUCTION, lambda n: snt.TrainableVariable([2], dtype=bad, name=n), None


@st.composite
def embed_cases(draw):
    kind = draw(
        st.sampled_from(["dicts", "nothing", "existing_with", "existing_rank", "ids", "sizes"])
    )
    vocab = draw(st.integers(2, 6))
    if kind == "dicts":
        return _dict_kind(draw, lambda n, **kw: snt.Embed(vocab, 3, name=n, **kw), {"embeddings"})
    if kind == "nothing":
        dim = draw(st.one_of(st.none(), small))
        return CONSTRUCTION, lambda n: snt.Embed(embed_dim=dim, name=n), None
    if kind == "existing_with":
        table = np.ones([vocab, 2], np.float32)
        extra = draw(
            st.sampled_from(
                [
                    {"vocab_size": vocab},
                    {"embed_dim": 2},
                    {"initializers": {"embeddings": tf.zeros_initializer()}},
                    {"partitioners": {"embeddings": None}},
                ]
            )
        )
        return CONSTRUCTION, lambda n: snt.Embed(existing_vocab=table, name=n, **extra), None
    if kind == "existing_rank":
        shape = [vocab] * draw(st.sampled_from([0, 1, 3]))
        table = np.ones(shape, np.float32)
        return CONSTRUCTION, lambda n: snt.Embed(existing_vocab=table, name=n), None
    if kind == "ids":
        dtype = draw(st.sampled_from([tf.float32, tf.float64, tf.string, tf.bool]))
        return (
            CONNECTION,
            lambda n: snt.Embed(vocab, 2, name=n),
            lambda m: m(tf.constant(["a"]) if dtype == tf.string else tf.zeros([2], dtype)),
        )
    which = draw(st.sampled_from(["vocab_size", "embed_dim"]))
    bad = draw(st.sampled_from([0, -1, -vocab, 2.5, "3"]))
    sizes_ = {"vocab_size": vocab, "embed_dim": 2, which: bad}
    return CONSTRUCTION, lambda n: snt.Embed(name=n, **sizes_), None


@st.composite
def batch_flatten_cases(draw, trailing_from: bool):
    module = snt.FlattenTrailingDimensions if trailing_from else snt.BatchFlatten
    kind = draw(st.sampled_from(["below_one", "type", "rank"]))
    if kind == "below_one":
        bad = draw(st.integers(-3, 0))
        return CONSTRUCTION, lambda n: module(bad, name=n), None
    if kind == "type":
        bad = draw(st.sampled_from(_NOT_INTS))
        return CONSTRUCTION, lambda n: module(bad, name=n), None
    keep = draw(st.integers(2, 4))
    shape = [2] * draw(st.integers(0, keep - 1))
    return CONNECTION, lambda n: module(keep, name=n), lambda m: m(ones(*shape))


@st.composite
def merge_dims_cases(draw):
    kind = draw(st.sampled_from(["start", "size", "type", "rank", "nested_rank"]))
    if kind == "start":
        # A negative start counts from the end; it must leave `size` dimensions.
        bad = draw(st.integers(-3, -1))
        size = -bad + draw(st.integers(1, 2))
        return CONSTRUCTION, lambda n: snt.MergeDims(bad, size, name=n), None
    if kind == "size":
        bad = draw(st.integers(-2, 1))
        return CONSTRUCTION, lambda n: snt.MergeDims(0, bad, name=n), None
    if kind == "type":
        bad = draw(st.sampled_from(_NOT_INTS))
        args = (bad, 2) if draw(st.booleans()) else (1, bad)
        return CONSTRUCTION, lambda n: snt.MergeDims(*args, name=n), None
    start, size = draw(st.integers(0, 2)), draw(st.integers(2, 3))
    short = [2] * draw(st.integers(0, start + size - 1))
    if kind == "rank":
        if draw(st.booleans()):  # the same dimensions counted from the end
            start = -(start + size)
        return CONNECTION, lambda n: snt.MergeDims(start, size, name=n), lambda m: m(ones(*short))
    good = [2] * (start + size)
    return (
        CONNECTION,
        lambda n: snt.MergeDims(start, size, name=n),
        lambda m: m({"a": ones(*good), "b": [ones(*good), ones(*short)]}),
    )


def _slice_tile_common(draw, module, other_name):
    """Length mismatch, repeated dims, a non-int, empty dims (construction)."""
    kind = draw(st.sampled_from(["length", "repeat", "type", "empty"]))
    dims = [0, 1]
    other = [1, 1]
    if kind == "length":
        other = [1] * draw(st.sampled_from([0, 1, 3]))
    elif kind == "repeat":
        d = draw(st.integers(0, 2))
        dims = [d, d]
    elif kind == "type":
        where = draw(st.sampled_from(["dims", other_name]))
        bad = draw(st.sampled_from(["1", 1.5, None]))
        if where == "dims":
            dims = [0, bad]
        else:
            other = [1, bad]
    else:
        dims, other = [], []
    return CONSTRUCTION, lambda n: module(dims, other, name=n), None


@st.composite
def slice_by_dim_cases(draw):
    kind = draw(st.sampled_from(["common", "dim_range", "begin", "size", "negative"]))
    if kind == "common":

        def slice_(dims, other, name):
            return snt.SliceByDim(dims, [0] * len(other), other, name=name)

        return _slice_tile_common(draw, slice_, "size")
    rank = draw(st.integers(1, 3))
    shape = [draw(st.integers(1, 4)) for _ in range(rank)]
    if kind == "dim_range":
        dim = draw(st.sampled_from([rank, rank + 2, -rank - 1, -rank - 3]))
        return (
            CONNECTION,
            lambda n: snt.SliceByDim([dim], [0], [1], name=n),
            lambda m: m(ones(*shape)),
        )
    if kind == "negative":
        begin, size = draw(st.sampled_from([(-1, 1), (0, -2), (-2, -1)]))
        return CONSTRUCTION, lambda n: snt.SliceByDim([0], [begin], [size], name=n), None
    dim = draw(st.integers(0, rank - 1))
    extent = shape[dim]
    if kind == "begin":
        begin, size = extent + draw(st.integers(1, 2)), -1
    else:
        begin = draw(st.integers(0, extent))
        size = extent - begin + draw(st.integers(1, 2))
    return (
        CONNECTION,
        lambda n: snt.SliceByDim([dim], [begin], [size], name=n),
        lambda m: m(ones(*shape)),
    )


@st.composite
def tile_by_dim_cases(draw):
    kind = draw(st.sampled_from(["common", "dim_range", "negative"]))
    if kind == "common":
        return _slice_tile_common(
            draw, lambda dims, other, name: snt.TileByDim(dims, other, name=name), "multiples"
        )
    if kind == "negative":
        bad = draw(st.integers(-3, -1))
        return CONSTRUCTION, lambda n: snt.TileByDim([0], [bad], name=n), None
    rank = draw(st.integers(1, 3))
    shape = [2] * rank
    dim = draw(st.sampled_from([rank, rank + 2, -rank - 1, -rank - 3]))
    return CONNECTION, lambda n: snt.TileByDim([dim], [2], name=n), lambda m: m(ones(*shape))


@st.composite
def select_input_cases(draw):
    kind = draw(st.sampled_from(["empty", "type", "negative", "range"]))
    if kind == "empty":
        bad = draw(st.sampled_from([[], (), [[], ()]]))
        return CONSTRUCTION, lambda n: snt.SelectInput(bad, name=n), None
    if kind == "type":
        bad = draw(st.sampled_from(["0", 1.0, True, [0, "1"], [0, (None,)]]))
        return CONSTRUCTION, lambda n: snt.SelectInput(bad, name=n), None
    if kind == "negative":
        bad = draw(st.sampled_from([-1, [0, -2], (1, [-1])]))
        return CONSTRUCTION, lambda n: snt.SelectInput(bad, name=n), None
    count = draw(st.integers(0, 3))
    idx = [draw(st.integers(0, count + 1)), count + draw(st.integers(0, 2))]
    return (
        CONNECTION,
        lambda n: snt.SelectInput(idx, name=n),
        lambda m: m(*[ones(2) for _ in range(count)]),
    )


@st.composite
def batch_apply_cases(draw):
    kind = draw(st.sampled_from(["n_dims", "n_dims_type", "callable", "index", "rank"]))
    if kind == "n_dims":
        bad = draw(st.integers(-2, 0))
        return CONSTRUCTION, lambda n: snt.BatchApply(tf.identity, n_dims=bad, name=n), None
    if kind == "n_dims_type":
        bad = draw(st.sampled_from(["2", 2.5, [2]]))
        return CONSTRUCTION, lambda n: snt.BatchApply(tf.identity, n_dims=bad, name=n), None
    if kind == "callable":
        bad = draw(st.sampled_from([3, "relu", None, [tf.identity]]))
        return CONSTRUCTION, lambda n: snt.BatchApply(bad, name=n), None
    if kind == "index":
        count = draw(st.integers(1, 3))
        index = draw(st.sampled_from([count, count + 2, -count - 1]))
        return (
            CONNECTION,
            lambda n: snt.BatchApply(lambda *xs: xs[0], input_example_index=index, name=n),
            lambda m: m(*[ones(2, 2, 1) for _ in range(count)]),
        )
    n_dims = draw(st.integers(2, 3))
    shape = [2] * draw(st.integers(0, n_dims - 1))
    wrapped = draw(st.sampled_from(["identity", "sum"]))
    op = tf.identity if wrapped == "identity" else (lambda x: tf.reduce_sum(x) + tf.zeros([4]))
    return (
        CONNECTION,
        lambda n: snt.BatchApply(op, n_dims=n_dims, name=n),
        lambda m: m(ones(*shape)),
    )


@st.composite
def sequential_cases(draw):
    kind = draw(st.sampled_from(["layer", "not_iterable"]))
    if kind == "layer":
        bad = draw(st.sampled_from([3, "relu", None, [tf.identity], 2.5]))
        count = draw(st.integers(0, 3))
        where = draw(st.integers(0, count))

        def make(n):
            layers = [tf.identity] * count
            layers.insert(where, bad)
            return snt.Sequential(layers, name=n)

        return CONSTRUCTION, make, None
    bad = draw(st.sampled_from([None, 3, 2.5]))
    return CONSTRUCTION, lambda n: snt.Sequential(bad, name=n), None


_BN_KEYS = {"gamma", "beta", "moving_mean", "moving_variance"}


def _bn_common(draw, module):
    """Construction errors BatchNorm and BatchNormV2 share."""
    kind = draw(st.sampled_from(["dicts", "decay"]))
    if kind == "dicts":
        which = draw(st.sampled_from(["initializers", "partitioners", "regularizers"]))
        allowed = _BN_KEYS if which == "initializers" else {"gamma", "beta"}
        if draw(st.booleans()):
            # For partitioners/regularizers the moving statistics' keys are unknown too.
            key = (
                bad_key(draw, allowed)
                if which == "initializers"
                else draw(st.sampled_from(["moving_mean", "moving_variance", "w", "b"]))
            )
            value = tf.zeros_initializer() if which == "initializers" else tf.identity
            return CONSTRUCTION, lambda n: module(name=n, **{which: {key: value}}), None
        key = draw(st.sampled_from(sorted(allowed)))
        bad = draw(st.sampled_from([1, "ones", 0.5]))
        return CONSTRUCTION, lambda n: module(name=n, **{which: {key: bad}}), None
    bad = draw(st.sampled_from([-0.5, 1.5, -1e-3, 2.0]))
    return CONSTRUCTION, lambda n: module(decay_rate=bad, name=n), None


def _bn_connect(shape, other=None, dtype=tf.float32, **kwargs):
    is_training = kwargs.pop("is_training", False)

    def connect(m):
        m(tf.ones(shape, dtype), is_training=is_training, **kwargs)
        if other is not None:
            return m(tf.ones(other, dtype), is_training=is_training, **kwargs)
        return None

    return connect


@st.composite
def batch_norm_cases(draw):
    kind = draw(
        st.sampled_from(
            ["common", "repeat", "axis_type", "axis_range", "aliased", "restat", "dtype", "flag"]
        )
    )
    if kind == "common":
        return _bn_common(draw, snt.BatchNorm)
    if kind == "repeat":
        a = draw(st.integers(0, 2))
        return CONSTRUCTION, lambda n: snt.BatchNorm(axis=[a, 1, a], name=n), None
    if kind == "axis_type":
        bad = draw(st.sampled_from([0, "0", [0.5], ["a", 1], [None]]))
        return CONSTRUCTION, lambda n: snt.BatchNorm(axis=bad, name=n), None
    rank = draw(st.integers(1, 4))
    shape = [draw(st.integers(1, 3)) for _ in range(rank)]
    if kind == "axis_range":
        axis = [draw(st.sampled_from([rank, rank + 1, -rank - 1]))]
        return CONNECTION, lambda n: snt.BatchNorm(axis=axis, name=n), _bn_connect(shape)
    if kind == "aliased":
        # The same axis twice, once counted from the end: only the rank tells.
        a = draw(st.integers(0, rank - 1))
        axis = [a, a - rank]
        return CONNECTION, lambda n: snt.BatchNorm(axis=axis, name=n), _bn_connect(shape)
    if kind == "restat":
        other = list(shape)
        other[-1] += draw(small)
        training = draw(st.booleans())
        return (
            CONNECTION,
            lambda n: snt.BatchNorm(name=n),
            _bn_connect(shape, other, is_training=training),
        )
    if kind == "dtype":
        dtype = draw(st.sampled_from([tf.int32, tf.int64, tf.bool]))
        return CONNECTION, lambda n: snt.BatchNorm(name=n), _bn_connect(shape, dtype=dtype)
    which = draw(st.sampled_from(["is_training", "test_local_stats"]))
    bad = draw(st.sampled_from([None, "yes", 2.5, [True]]))
    return CONNECTION, lambda n: snt.BatchNorm(name=n), _bn_connect(shape, **{which: bad})


@st.composite
def batch_norm_v2_cases(draw):
    kind = draw(st.sampled_from(["common", "format", "rank", "rechannel", "dtype"]))
    if kind == "common":
        return _bn_common(draw, snt.BatchNormV2)
    if kind == "format":
        bad = draw(st.sampled_from(["NHCW", "nhwc", "HWC", "N", "", "NCWH"]))
        return CONSTRUCTION, lambda n: snt.BatchNormV2(data_format=bad, name=n), None
    if kind == "rank":
        data_format = draw(st.sampled_from([None, "NC", "NWC", "NCHW", "NDHWC"]))
        fitting = {len(data_format)} if data_format else {2, 3, 4, 5}
        rank = draw(st.integers(0, 6).filter(lambda r: r not in fitting))
        shape = [2] * rank
        return (
            CONNECTION,
            lambda n: snt.BatchNormV2(data_format=data_format, name=n),
            _bn_connect(shape),
        )
    if kind == "rechannel":
        data_format = draw(st.sampled_from(["NHWC", "NCHW", "NC", "NCW"]))
        channel = 1 if data_format.startswith("NC") else len(data_format) - 1
        shape = [2] * len(data_format)
        other = list(shape)
        other[channel] += draw(small)
        return (
            CONNECTION,
            lambda n: snt.BatchNormV2(data_format=data_format, name=n),
            _bn_connect(shape, other, is_training=draw(st.booleans())),
        )
    dtype = draw(st.sampled_from([tf.int32, tf.bool]))
    return CONNECTION, lambda n: snt.BatchNormV2(name=n), _bn_connect([2, 3], dtype=dtype)


INVALID = {
    "AddBias": add_bias_cases(),
    "ConcatLinear": concat_linear_cases(),
    "TrainableVariable": trainable_variable_cases(),
    "Embed": embed_cases(),
    "BatchFlatten": batch_flatten_cases(False),
    "FlattenTrailingDimensions": batch_flatten_cases(True),
    "MergeDims": merge_dims_cases(),
    "SliceByDim": slice_by_dim_cases(),
    "TileByDim": tile_by_dim_cases(),
    "SelectInput": select_input_cases(),
    "BatchApply": batch_apply_cases(),
    "Sequential": sequential_cases(),
    "BatchNorm": batch_norm_cases(),
    "BatchNormV2": batch_norm_v2_cases(),
}
