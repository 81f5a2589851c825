"""Every exported module against a catalogue of bad (and a few legitimate) inputs.

Each module comes from its plugin's conformance case (``snt.plugins.conformance_cases()``),
so a new export joins the sweep by itself. Every catalogue entry changes the case's
arguments (usually the first one, the module's main input) and the attempt runs in a
``tf.compat.v1`` graph (the graph is run too) and eagerly. Each attempt is classified:

* ``named``: refused with an error naming the module (its name or class);
* ``accepted``: a legitimate input, accepted;
* ``unnamed``: refused, but the message does not say which module;
* ``silent``: a bad input accepted;
* ``refused``: a legitimate input refused.

The test fails on anything but the first two and prints the totals
(``python tests/integration/hardening/test_input_sweep.py`` prints the whole table).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import inspect
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

import sonnet as snt

RAISE, ACCEPT, SKIP = "raise", "accept", "skip"

#: Modules whose main input may have any dtype (reshaping, slicing, selecting).
ANY_DTYPE = {
    "BatchReshape",
    "BatchFlatten",
    "FlattenTrailingDimensions",
    "MergeDims",
    "SliceByDim",
    "TileByDim",
    "SelectInput",
}
#: Modules whose main input may have any size in its last dimension on a later connection.
ANY_SIZE = ANY_DTYPE - {"BatchReshape"} | {"Embed"}
#: Exported abstract bases: their cases connect a subclass written in the case itself.
ABSTRACT = {"RNNCore", "GridWarper"}
#: Modules that ignore their first argument (ModelRNN) or may not select it (SelectInput).
FIRST_UNUSED = {"ModelRNN", "SelectInput"}
#: Entries that change the first argument's value (not the call's shape).
VALUE_ENTRIES = {
    "none",
    "string",
    "dict",
    "object",
    "python_scalar",
    "list_of_tensors",
    "string_tensor",
    "other_dtype",
    "float64_after_float32",
    "rank_down",
    "rank_up",
    "size_change",
    "nested_list",
    "float64",
}
#: Wrappers whose inputs may be any nest: a Python list is a structure there, not a tensor.
NEST_INPUTS = {"BatchApply", "Residual", "ResidualCore", "SkipConnectionCore", "DeepRNN"}
#: Slow cases (large inputs): only the entries refused before anything is computed.
HEAVY = {"nets.AlexNetFull"}
CHEAP_ENTRIES = {
    "none",
    "string",
    "dict",
    "object",
    "list_of_tensors",
    "string_tensor",
    "other_dtype",
    "unknown_kwarg",
    "extra_positional",
    "missing_argument",
    "eager_into_graph",
}
#: Modules that take inputs of any rank (from some minimum) on the first connection.
ANY_RANK = {
    "AddBias",
    "BatchFlatten",
    "FlattenTrailingDimensions",
    "BatchReshape",
    "LayerNorm",
    "BatchNormV2",
    "BatchNorm",
    "SelectInput",
    "TileByDim",
    "SliceByDim",
    "MergeDims",
    "MovingAverage",
    "SpectralNormWrapper",
    "Embed",
    "VectorQuantizer",
    "VectorQuantizerEMA",
}


@dataclasses.dataclass(frozen=True)
class Entry:
    """One catalogue entry: how it changes the arguments, and what must happen."""

    key: str
    make: Callable[[list, dict], tuple[list, dict]]  # (args, kwargs) -> (args, kwargs)
    expect: Callable[[str], str]  # case name -> RAISE / ACCEPT / SKIP
    first: Callable[[list, dict], tuple[list, dict]] | None = None  # an earlier connection
    graph_only: bool = False


def _bad(name: str) -> str:
    return RAISE


def _good(name: str) -> str:
    return ACCEPT


def _dtype_dependent(name: str) -> str:
    return ACCEPT if name in ANY_DTYPE else RAISE


def _main(make: Callable[[Any], Any]) -> Callable[[list, dict], tuple[list, dict]]:
    """Replaces the first argument by ``make(first argument)``."""

    def change(args: list, kwargs: dict) -> tuple[list, dict]:
        if isinstance(args[0], list):  # a list of inputs (ConcatLinear): change its first
            return [[make(args[0][0]), *args[0][1:]], *args[1:]], kwargs
        return [make(args[0]), *args[1:]], kwargs

    return change


def _same(args: list, kwargs: dict) -> tuple[list, dict]:
    return args, kwargs


def _cast(value: np.ndarray, dtype: Any) -> Any:
    return tf.constant(np.asarray(value).astype(dtype))


def _other_dtype(value: Any) -> Any:
    value = np.asarray(value)
    return _cast(value, np.float32 if value.dtype.kind in "iub" else np.int32)


def _wider(value: Any) -> Any:
    value = np.asarray(value)
    if value.ndim == 0:
        return tf.constant(value)
    pad = np.zeros(value.shape[:-1] + (1,), value.dtype)
    return tf.constant(np.concatenate([value, pad], axis=-1))


def _all_leaves(make: Callable[[np.ndarray], Any]) -> Callable[[list, dict], tuple[list, dict]]:
    def change(args: list, kwargs: dict) -> tuple[list, dict]:
        return [_map(make, a) for a in args], kwargs

    return change


def _map(make: Callable[[np.ndarray], Any], structure: Any) -> Any:
    return tf.nest.map_structure(lambda v: v if v is None else make(v), structure)


def _f64(value: np.ndarray) -> Any:
    return value.astype(np.float64) if value.dtype == np.float32 else value


def _double_batch(value: np.ndarray) -> Any:
    return np.concatenate([value, value], axis=0) if value.ndim else value


CATALOGUE = [
    Entry("none", _main(lambda x: None), _bad),
    Entry("string", _main(lambda x: "inputs"), _bad),
    Entry("dict", _main(lambda x: {"inputs": tf.constant(x)}), _bad),
    Entry("object", _main(lambda x: object()), _bad),
    Entry("python_scalar", _main(lambda x: 1.0), _bad),
    Entry("list_of_tensors", _main(lambda x: [tf.constant(x), tf.constant(x)]), _bad),
    Entry("string_tensor", _main(lambda x: tf.fill(np.shape(x), "a")), _dtype_dependent),
    Entry("other_dtype", _main(_other_dtype), _dtype_dependent),
    Entry(
        "float64_after_float32",
        _main(lambda x: _cast(x, np.float64) if np.asarray(x).dtype == np.float32 else None),
        _dtype_dependent,
        first=_same,
    ),
    Entry("unknown_kwarg", lambda a, k: (a, {**k, "is_trainig": False}), _bad),
    Entry("extra_positional", lambda a, k: ([*a, a[0] if a else 1.0], k), _bad),
    Entry("missing_argument", lambda a, k: ([], k), _bad),
    Entry("rank_down", _main(lambda x: tf.constant(np.asarray(x)[0])), _bad),
    Entry("rank_up", _main(lambda x: tf.constant(np.asarray(x)[None])), _bad),
    Entry("size_change", _main(_wider), _bad, first=_same),
    Entry("eager_into_graph", _same, _bad, graph_only=True),
    # Legitimate inputs.
    Entry("numpy", _all_leaves(lambda v: v), _good),
    Entry("nested_list", _main(lambda x: np.asarray(x).tolist()), _good),
    Entry("float64", _all_leaves(_f64), _good),
    Entry("batch_change", _all_leaves(_double_batch), _good, first=_same),
]

#: (case name, entry key) -> what must happen where the defaults above are wrong.
OVERRIDES: dict[tuple[str, str], str] = {
    # A nest of tensors is MergeDims' legitimate input.
    ("MergeDims", "dict"): ACCEPT,
    ("MergeDims", "list_of_tensors"): ACCEPT,
    # ConcatLinear takes a list of tensors; its first argument is already one.
    ("ConcatLinear", "nested_list"): SKIP,
    # The moving average of a scalar is legitimate; its shape then stays fixed.
    ("MovingAverage", "python_scalar"): ACCEPT,
    ("MovingAverage", "batch_change"): RAISE,
    # Time-major: doubling every leading dimension changes time and batch at once.
    ("BidirectionalRNN", "batch_change"): SKIP,
    # [batch, size] is a single step of the Transformer cores.
    ("nets.TransformerXL", "rank_down"): ACCEPT,
    ("nets.CompressiveTransformer", "rank_down"): ACCEPT,
    # Variables of a dtype fixed at construction (float32): float64 is refused, named.
    ("nets.VectorQuantizer", "float64"): RAISE,
    ("nets.VectorQuantizerEMA", "float64"): RAISE,
    ("RNNCellWrapper", "float64"): RAISE,
    ("LSTMBlockCell", "float64"): RAISE,
}


def expectation(name: str, entry: Entry) -> str:
    short = name.rsplit(".", 1)[-1]
    if (name, entry.key) in OVERRIDES:
        return OVERRIDES[(name, entry.key)]
    if name in HEAVY and entry.key not in CHEAP_ENTRIES:
        return SKIP
    if entry.key == "nested_list" and short in NEST_INPUTS:
        return SKIP
    if entry.key in VALUE_ENTRIES and (short in ABSTRACT or short in FIRST_UNUSED):
        return SKIP
    if entry.key == "eager_into_graph" and short in ABSTRACT:  # the case's subclass decides
        return SKIP
    if entry.key in ("rank_down", "rank_up") and short in ANY_RANK:
        return SKIP
    if entry.key == "size_change" and short in ANY_SIZE:
        return ACCEPT
    return entry.expect(short)


def _as_tensors(structure: Any) -> Any:
    """NumPy leaves as tensors; everything else (lists, None, objects) as given."""
    if isinstance(structure, np.ndarray):
        return tf.constant(structure)
    if isinstance(structure, list | tuple | dict) and not _is_numbers(structure):
        return tf.nest.map_structure(
            lambda v: tf.constant(v) if isinstance(v, np.ndarray) else v, structure
        )
    return structure


def _is_numbers(value: Any) -> bool:
    if isinstance(value, list | tuple) and value:
        return all(_is_numbers(v) for v in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numpy_inputs(case: Any) -> list:
    """The case's arguments as NumPy values (computed eagerly, usable in any graph)."""
    with tf.init_scope():
        return [
            tf.nest.map_structure(lambda t: t if t is None else np.asarray(t), a)
            for a in case.inputs()
        ]


def _names(module: Any, depth: int = 3) -> list[str]:
    """The names of ``module`` and of the modules it holds (a wrapper's error may come
    from the module it wraps, which names itself)."""
    names = [type(module).__name__]
    for attribute in ("module_name", "scope_name"):
        with contextlib.suppress(Exception):
            if getattr(module, attribute):
                names.append(getattr(module, attribute))
    if depth:
        for value in vars(module).values():
            values = value if isinstance(value, list | tuple) else [value]
            for held in values:
                if isinstance(held, snt.AbstractModule) and held is not module:
                    names += _names(held, depth - 1)
    return names


def _takes_another_positional(module: Any, count: int) -> bool:
    parameters = list(inspect.signature(type(module)._build).parameters.values())[1:]
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return True
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(p.kind in positional for p in parameters) > count


def _connect(module: Any, args: list, kwargs: dict) -> Any:
    return module(*[_as_tensors(a) for a in args], **kwargs)


def attempt(case: Any, entry: Entry, base: list, mode: str) -> tuple[str, str]:
    """Runs one attempt; returns ``(outcome, detail)``."""
    expect = expectation(case.name, entry)
    kwargs = dict(case.kwargs)
    if not base and entry.key not in ("unknown_kwarg", "extra_positional"):
        return SKIP, "no inputs"
    if expect == SKIP:
        return SKIP, "not applicable"
    module = None
    graph = tf.Graph()
    eager_args = [_as_tensors(a) for a in base] if entry.key == "eager_into_graph" else None
    try:
        with graph.as_default() if mode == "graph" else contextlib.nullcontext():
            module = case.create()
            if entry.key == "extra_positional" and _takes_another_positional(module, len(base)):
                return SKIP, "the next positional parameter is a legitimate one"
            if entry.first is not None:
                _connect(module, *entry.first(list(base), kwargs))
            if eager_args is not None:
                out = module(*eager_args, **kwargs)
            else:
                args, call_kwargs = entry.make(list(base), kwargs)
                if any(a is None for a in args[:1]) and entry.key == "float64_after_float32":
                    return SKIP, "not a float input"
                out = _connect(module, args, call_kwargs)
            if mode == "graph":
                fetches = [
                    t for t in tf.nest.flatten(out) if isinstance(t, tf.Tensor | tf.Variable)
                ]
                with tf.compat.v1.Session(graph=graph) as session:
                    session.run(tf.compat.v1.global_variables_initializer())
                    session.run(tf.compat.v1.local_variables_initializer())
                    session.run(fetches)
    except Exception as error:  # noqa: BLE001 - every error is classified
        message = f"{type(error).__name__}: {error}"
        if expect == ACCEPT:
            return "refused", message
        names = _names(module) if module is not None else [case.name.rsplit(".", 1)[-1]]
        if any(n and n in str(error) for n in names):
            return "named", message
        return "unnamed", message
    if expect == ACCEPT:
        return "accepted", ""
    return "silent", "accepted"


Row = tuple[str, str, str, str, str]


def sweep(select: Callable[[str], bool] = lambda name: True) -> list[Row]:
    """``(case, entry, mode, outcome, detail)`` for every attempt."""
    rows = []
    exported = _module_exports()
    for case, _ in snt.plugins.conformance_cases():
        if case.name not in exported or not select(case.name):
            continue
        started = time.process_time()
        base = _numpy_inputs(case)
        for entry in CATALOGUE:
            for mode in ("graph", "eager"):
                if entry.graph_only and mode == "eager":
                    continue
                outcome, detail = attempt(case, entry, base, mode)
                rows.append((case.name, entry.key, mode, outcome, detail))
        TIMES[case.name] = time.process_time() - started
    return rows


TIMES: dict[str, float] = {}


FIRST_PARTY = {"snt-nets", "snt-rnn", "snt-transpose"}


def _module_exports() -> set[str]:
    return {
        f"{export.namespace}.{export.name}" if export.namespace else export.name
        for export, info in snt.plugins.exports()
        if export.kind == "module" and info.distribution in FIRST_PARTY
    }


def totals(rows: list) -> collections.Counter:
    return collections.Counter(row[3] for row in rows)


def test_every_bad_input_is_named_and_every_legitimate_one_accepted():
    rows = sweep()
    counts = totals(rows)
    print(f"\ninput sweep: {sum(counts.values())} attempts: {dict(sorted(counts.items()))}")
    bad = [row for row in rows if row[3] not in ("named", "accepted", SKIP)]
    assert not bad, "\n".join(f"{r[0]} {r[1]} ({r[2]}): {r[3]}: {r[4][:200]}" for r in bad)


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    result = sweep(lambda name: not wanted or name in wanted)
    for row in result:
        if row[3] not in ("named", "accepted", SKIP) or "-v" in wanted:
            print(f"{row[3]:9} {row[0]:28} {row[1]:22} {row[2]:6} {row[4][:160]}")
    print(dict(totals(result)))
    print(sorted(TIMES.items(), key=lambda kv: -kv[1])[:12])
