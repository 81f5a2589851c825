"""Property strategies for attention, the Transformers and the vector quantizers.

AttentiveRead, nets.TransformerTower, nets.VectorQuantizer and
nets.VectorQuantizerEMA (snt-nets); nets.TransformerXL and
nets.CompressiveTransformer (snt-rnn). Every connection is an evaluation one
(``is_training=False``: no dropout, no code updates), so graph mode, eager mode
and ``tf.function`` compute the same. Expected shapes and variable counts come
from the drawn configuration only.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf
from hypothesis import strategies as st
from property_support import CONNECTION, CONSTRUCTION, Drawn, batches, case, ramp

import sonnet as snt

BAD_SIZES = [0, -1, 2.5, "3", None, True]
BAD_RATES = [-0.1, 1.0, 1.5, "0.1", None]
EVAL = {"is_training": False}


def _mask(draw, batch: int, slots: int) -> np.ndarray:
    """A memory mask keeping at least one slot per example."""
    rows = []
    for _ in range(batch):
        row = draw(st.lists(st.booleans(), min_size=slots, max_size=slots))
        row[draw(st.integers(0, slots - 1))] = True
        rows.append(row)
    return np.array(rows, dtype=bool)


# --------------------------------------------------------------------------- VALID


@st.composite
def attentive_read(draw):
    b, m, word, query = (
        draw(batches),
        draw(st.integers(1, 4)),
        draw(st.integers(1, 4)),
        draw(st.integers(1, 3)),
    )
    hidden = draw(st.sampled_from([None, 2, 3]))
    mask = _mask(draw, b, m) if draw(st.booleans()) else None

    def create():
        scorer = snt.Linear(1) if hidden is None else snt.nets.MLP([hidden, 1])
        return snt.AttentiveRead(scorer)

    def inputs():
        extra = () if mask is None else (tf.constant(mask),)
        return (ramp(b, m, word), ramp(b, query), *extra)

    return Drawn(
        case("AttentiveRead", create, inputs),
        [(b, word), (b, m), (b, m)],
        2 if hidden is None else 4,
    )


def _tower_config(draw) -> dict:
    heads = draw(st.integers(1, 2))
    value = draw(st.sampled_from([2, 4] if heads == 1 else [1, 2]))
    return {
        "value_size": value,
        "num_heads": heads,
        "num_layers": draw(st.integers(1, 2)),
        "key_size": draw(st.sampled_from([None, 1, 3])),
        "mlp_hidden_sizes": draw(st.lists(st.integers(1, 4), min_size=1, max_size=2)),
        "causal": draw(st.booleans()),
        "shared_attention": draw(st.booleans()),
        "use_relative_positions": draw(st.booleans()),
        "layer_norm": draw(st.sampled_from(["input", "output", "both", "none"])),
        "output_size": draw(st.sampled_from([None, 3])),
    }


def _tower_variables(config: dict, memory_types: int) -> int:
    """How many variables a tower with ``config`` makes (``memory_types`` encodings)."""
    attention = 5  # query, key, value projections; the head mixer's w and b
    if config["use_relative_positions"]:
        attention += 1 + 2 * memory_types  # r_w_bias; relative_keys and r_r_bias per type
    norms = {"input": 2, "output": 2, "both": 4, "none": 0}[config["layer_norm"]]
    mlp = 2 * (len(config["mlp_hidden_sizes"]) + 1)
    layers = config["num_layers"]
    # A shared attention block (its layer norms too) lives in layer_0 only.
    shared = 1 if config["shared_attention"] else layers
    output = 1 if config["output_size"] is not None else 0
    return shared * (attention + norms) + layers * (norms + mlp) + output


def _attention_shapes(config: dict, b: int, n: int, window: int) -> list:
    heads, value = config["num_heads"], config["value_size"]
    key = config["key_size"] or value
    width = heads * value
    return [
        (b, heads, n, key),  # queries
        (b, heads, window, key),  # keys
        (b, heads, window, value),  # values
        (b, heads, n, window),  # logits
        (b, heads, n, window),  # weights
        (b, n, width),  # embeddings
        (b, n, width),  # read_words
    ]


@st.composite
def transformer_tower(draw):
    config = _tower_config(draw)
    width = config["num_heads"] * config["value_size"]
    b, n = draw(batches), draw(st.integers(1, 4))
    memories = (
        [draw(st.integers(1, 3)) for _ in range(config["num_layers"])]
        if draw(st.booleans())
        else None
    )
    out = config["output_size"] or width

    def inputs():
        if memories is None:
            return (ramp(b, n, width),)
        return (ramp(b, n, width), [ramp(b, m, width) / 2 for m in memories])

    shapes = [(b, n, out)]
    for layer in range(config["num_layers"]):
        shapes += _attention_shapes(config, b, n, n + (memories[layer] if memories else 0))
    return Drawn(
        case("nets.TransformerTower", lambda: snt.nets.TransformerTower(**config), inputs, EVAL),
        shapes,
        _tower_variables(config, 1),
    )


@st.composite
def vector_quantizer(draw, ema: bool):
    dim, codes = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    lead = draw(st.lists(st.integers(1, 3), min_size=0, max_size=3))
    extra = {"decay": draw(st.sampled_from([0.5, 0.99]))} if ema else {}
    cls = snt.nets.VectorQuantizerEMA if ema else snt.nets.VectorQuantizer
    count = math.prod(lead)
    shapes = {  # flattened in key order, like the output dict
        "encoding_indices": tuple(lead),
        "encodings": (count, codes),
        "loss": (),
        "perplexity": (),
        "quantize": (*lead, dim),
    }
    name = "nets.VectorQuantizerEMA" if ema else "nets.VectorQuantizer"
    return Drawn(
        case(
            name,
            lambda: cls(dim, codes, commitment_cost=0.25, **extra),
            lambda: (ramp(*lead, dim),),
            EVAL,
        ),
        shapes,
        7 if ema else 1,
    )


def _core_config(draw) -> dict:
    config = _tower_config(draw)
    config["dropout_rate"] = draw(st.sampled_from([0.0, 0.5]))
    return config


@st.composite
def transformer_xl(draw):
    config = _core_config(draw)
    width = config["num_heads"] * config["value_size"]
    b, d_in, memory = draw(batches), draw(st.integers(1, 4)), draw(st.integers(0, 3))
    chunk = draw(st.integers(0, 3))
    out = config["output_size"] or width
    step = (b, d_in) if chunk == 0 else (b, chunk, d_in)
    layers = config["num_layers"]

    def inputs():
        return (ramp(*step), [ramp(b, memory, width) / 3 for _ in range(layers)])

    shapes = [(b, out) if chunk == 0 else (b, chunk, out)] + [(b, memory, width)] * layers
    return Drawn(
        case(
            "nets.TransformerXL",
            lambda: snt.nets.TransformerXL(config, memory_size=memory, chunk_size=chunk),
            inputs,
            EVAL,
        ),
        shapes,
        2 + _tower_variables(config, 1),
    )


@st.composite
def compressive_transformer(draw):
    config = _core_config(draw)
    width = config["num_heads"] * config["value_size"]
    b, d_in = draw(batches), draw(st.integers(1, 4))
    rate = draw(st.integers(1, 2))
    chunk = draw(st.integers(0, 3))
    steps = max(chunk, 1)
    episodic = draw(st.integers(max(1, rate - steps + 1), 3))  # enough slots to compress
    compressed = draw(st.integers(1, 2))
    pool = draw(st.booleans())
    ctor = snt.nets.transformer.PoolCompressor if pool else snt.nets.transformer.ConvCompressor
    out = config["output_size"] or width
    layers = config["num_layers"]
    state = snt.nets.transformer.CompressedMemoryState

    def inputs():
        memory = tuple(
            state(
                episodic_memory=ramp(b, episodic, width) / 3,
                compressed_memory=ramp(b, compressed, width) / 4,
                index=tf.fill([b, 1], float(i)),
            )
            for i in range(layers)
        )
        return (ramp(b, d_in) if chunk == 0 else ramp(b, chunk, d_in), memory)

    shapes = [(b, out) if chunk == 0 else (b, chunk, out)]
    shapes += [((b, episodic, width), (b, compressed, width), (b, 1))] * layers
    return Drawn(
        case(
            "nets.CompressiveTransformer",
            lambda: snt.nets.CompressiveTransformer(
                config,
                chunk_size=chunk,
                episodic_memory_size=episodic,
                compressed_memory_size=compressed,
                compression_rate=rate,
                compression_ctor=ctor,
            ),
            inputs,
            EVAL,
        ),
        shapes,
        2 + _tower_variables(config, 2) + (0 if pool else layers),
    )


VALID = {
    "AttentiveRead": attentive_read(),
    "nets.TransformerTower": transformer_tower(),
    "nets.VectorQuantizer": vector_quantizer(False),
    "nets.VectorQuantizerEMA": vector_quantizer(True),
    "nets.TransformerXL": transformer_xl(),
    "nets.CompressiveTransformer": compressive_transformer(),
}


# --------------------------------------------------------------------------- INVALID


@st.composite
def attentive_read_cases(draw):
    kind = draw(st.sampled_from(["scorer", "memory", "query", "mask", "logits"]))
    if kind == "scorer":
        bad = draw(st.sampled_from([None, 3, "linear"]))
        return CONSTRUCTION, lambda n: snt.AttentiveRead(bad, name=n), None
    memory, query, mask = [2, 3, 4], [2, 2], None
    make = lambda n: snt.AttentiveRead(snt.Linear(1), name=n)  # noqa: E731
    if kind == "memory":
        memory = draw(st.sampled_from([[2, 3], [2, 3, 4, 1], [6]]))
    elif kind == "query":
        query = draw(st.sampled_from([[2], [2, 2, 1]]))
    elif kind == "mask":
        mask = draw(st.sampled_from([[2], [2, 3, 1]]))
    else:
        rank = draw(st.sampled_from([1, 3]))
        make = lambda n: snt.AttentiveRead(  # noqa: E731
            lambda x: tf.zeros([tf.shape(x)[0]] + [1] * (rank - 1)), name=n
        )

    def connect(module):
        extra = () if mask is None else (tf.ones(mask, tf.bool),)
        return module(ramp(*memory), ramp(*query), *extra)

    return CONNECTION, make, connect


@st.composite
def transformer_tower_cases(draw):
    kind = draw(st.sampled_from(["size", "rate", "layer_norm", "odd", "rank", "state"]))
    base = {"value_size": 2, "num_heads": 2, "num_layers": 2, "mlp_hidden_sizes": [3]}
    if kind == "size":
        key = draw(st.sampled_from(["value_size", "num_heads", "num_layers", "key_size"]))
        config = dict(base, **{key: draw(st.sampled_from(BAD_SIZES))})
        if config[key] is None:  # key_size=None means value_size
            config[key] = 0
        return CONSTRUCTION, lambda n: snt.nets.TransformerTower(**config, name=n), None
    if kind == "rate":
        rate = draw(st.sampled_from(BAD_RATES))
        return (
            CONSTRUCTION,
            lambda n: snt.nets.TransformerTower(**base, dropout_rate=rate, name=n),
            None,
        )
    if kind == "layer_norm":
        where = draw(st.sampled_from(["pre", "post", "Input", 1]))
        return (
            CONSTRUCTION,
            lambda n: snt.nets.TransformerTower(**base, layer_norm=where, name=n),
            None,
        )
    make = lambda n: snt.nets.TransformerTower(**base, name=n)  # noqa: E731
    if kind == "odd":
        width = draw(st.sampled_from([1, 3, 5]))
        return CONNECTION, make, lambda m: m(ramp(2, 3, width), is_training=False)
    if kind == "rank":
        shape = draw(st.sampled_from([[4], [2, 4], [2, 3, 2, 4]]))
        return CONNECTION, make, lambda m: m(ramp(*shape), is_training=False)
    count = draw(st.sampled_from([1, 3]))
    return (
        CONNECTION,
        make,
        lambda m: m(ramp(2, 3, 4), state=[ramp(2, 2, 4)] * count, is_training=False),
    )


@st.composite
def vector_quantizer_cases(draw, ema: bool):
    cls = snt.nets.VectorQuantizerEMA if ema else snt.nets.VectorQuantizer
    extra = {"decay": 0.9} if ema else {}
    kinds = ["size", "last_dim", "dtype", "scalar"] + (["decay"] if ema else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "size":
        key = draw(st.sampled_from(["embedding_dim", "num_embeddings"]))
        sizes = dict(
            {"embedding_dim": 3, "num_embeddings": 4}, **{key: draw(st.sampled_from(BAD_SIZES))}
        )
        return CONSTRUCTION, lambda n: cls(**sizes, commitment_cost=0.25, name=n, **extra), None
    if kind == "decay":
        decay = draw(st.sampled_from(BAD_RATES[:1] + [1.5, "0.9", None]))
        return CONSTRUCTION, lambda n: cls(3, 4, 0.25, decay=decay, name=n), None
    make = lambda n: cls(3, 4, 0.25, name=n, **extra)  # noqa: E731
    if kind == "last_dim":
        last = draw(st.sampled_from([1, 2, 4, 6]))
        return CONNECTION, make, lambda m: m(ramp(2, last), is_training=False)
    if kind == "dtype":
        dtype = draw(st.sampled_from([tf.float64, tf.int32, tf.float16]))
        return CONNECTION, make, lambda m: m(tf.ones([2, 3], dtype), is_training=False)
    return CONNECTION, make, lambda m: m(tf.constant(1.0), is_training=False)


def _core_cases(draw, build, state_of):
    """Shared invalid scenarios of the two Transformer cores."""
    config = {"value_size": 2, "num_heads": 2, "num_layers": 2, "mlp_hidden_sizes": [3]}
    kind = draw(st.sampled_from(["config", "not_dict", "size", "state", "rank"]))
    if kind == "config":
        missing = draw(st.sampled_from(["value_size", "num_heads", "num_layers"]))
        partial = {k: v for k, v in config.items() if k != missing}
        return CONSTRUCTION, lambda n: build(partial, n), None
    if kind == "not_dict":
        bad = draw(st.sampled_from([None, [("value_size", 2)], "config"]))
        return CONSTRUCTION, lambda n: build(bad, n), None
    if kind == "size":
        bad = draw(st.sampled_from([-1, 2.5, "3", None, True]))
        return CONSTRUCTION, lambda n: build(config, n, size=bad), None
    make = lambda n: build(config, n)  # noqa: E731
    if kind == "state":
        count = draw(st.sampled_from([1, 3]))
        return CONNECTION, make, lambda m: m(ramp(2, 2, 3), state_of(count), is_training=False)
    shape = draw(st.sampled_from([[3], [2, 2, 1, 3]]))
    return CONNECTION, make, lambda m: m(ramp(*shape), state_of(2), is_training=False)


@st.composite
def transformer_xl_cases(draw):
    def build(config, name, size=3):
        return snt.nets.TransformerXL(config, memory_size=size, chunk_size=2, name=name)

    return _core_cases(draw, build, lambda count: [ramp(2, 3, 4)] * count)


@st.composite
def compressive_transformer_cases(draw):
    def build(config, name, size=3):
        return snt.nets.CompressiveTransformer(
            config, chunk_size=2, episodic_memory_size=size, compressed_memory_size=2, name=name
        )

    def state_of(count):
        layer = snt.nets.transformer.CompressedMemoryState(
            ramp(2, 3, 4), ramp(2, 2, 4), tf.zeros([2, 1])
        )
        return (layer,) * count

    if draw(st.booleans()):
        return _core_cases(draw, build, state_of)
    config = {"value_size": 2, "num_heads": 2, "num_layers": 1}
    if draw(st.booleans()):
        rate = draw(st.sampled_from([0, -2, 1.5, "2"]))
        return (
            CONSTRUCTION,
            lambda n: snt.nets.CompressiveTransformer(
                config, 2, 3, 2, compression_rate=rate, name=n
            ),
            None,
        )
    ctor = draw(st.sampled_from([None, "conv", 3]))
    return (
        CONSTRUCTION,
        lambda n: snt.nets.CompressiveTransformer(config, 2, 3, 2, compression_ctor=ctor, name=n),
        None,
    )


INVALID = {
    "AttentiveRead": attentive_read_cases(),
    "nets.TransformerTower": transformer_tower_cases(),
    "nets.VectorQuantizer": vector_quantizer_cases(False),
    "nets.VectorQuantizerEMA": vector_quantizer_cases(True),
    "nets.TransformerXL": transformer_xl_cases(),
    "nets.CompressiveTransformer": compressive_transformer_cases(),
}
