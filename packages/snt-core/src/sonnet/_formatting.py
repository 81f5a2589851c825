"""Human-readable tables and counts of variables."""

from __future__ import annotations

import collections
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import tensorflow as tf

from sonnet._variable_utils import variable_map_items

logger = logging.getLogger("sonnet")


def _default_variables(variables: Iterable[Any] | None) -> list[Any]:
    if variables is not None:
        return list(variables)
    if tf.executing_eagerly():
        return []
    return list(tf.compat.v1.global_variables()) + list(tf.compat.v1.local_variables())


#: TensorFlow's name for the global-variables collection is ``"variables"``.
_COLLECTION_LABELS = {tf.compat.v1.GraphKeys.GLOBAL_VARIABLES: "global_variables"}


def _collections_by_variable(variables: list[Any]) -> dict[int, list[str]]:
    """``id(variable)`` -> the names of the graph collections holding it."""
    found: dict[int, list[str]] = collections.defaultdict(list)
    wanted = {id(v) for v in variables}
    graphs: list[Any] = []
    for v in variables:
        graph = getattr(v, "graph", None)
        if graph is not None and not tf.executing_eagerly() and all(graph is not g for g in graphs):
            graphs.append(graph)
    for graph in graphs:
        for key in graph.get_all_collection_keys():
            label = _COLLECTION_LABELS.get(key, key)
            for entry in graph.get_collection(key):
                if id(entry) in wanted and isinstance(entry, tf.Variable):
                    found[id(entry)].append(label)
    return found


def _device(variable: Any) -> str:
    """The variable's device and its kind: ``/device:GPU:* (resource)``, ``(legacy)``."""
    kind = "(legacy)" if variable.dtype.name.endswith("_ref") else "(resource)"
    return f"{variable.device} {kind}" if variable.device else kind


def _shape(variable: Any) -> str:
    shape = variable.shape
    if not shape.is_fully_defined():
        return "undefined"
    return "x".join(str(d) for d in shape.as_list()) or "scalar"


def _rows(variables: list[Any], keys: list[str] | None = None) -> list[list[str]]:
    in_collections = _collections_by_variable(variables)
    rows = []
    for i, v in enumerate(variables):
        row = [
            v.name.split(":")[0],
            _shape(v),
            v.dtype.base_dtype.name,
            ", ".join(sorted(in_collections.get(id(v), []))),
            _device(v),
        ]
        if keys is not None:
            row.insert(0, keys[i])
        rows.append(row)
    return rows


def _table(header: list[str], rows: list[list[str]], join_lines: bool) -> str | list[str]:
    """Columns left-aligned, two spaces apart, trailing spaces dropped."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    return "\n".join(lines) if join_lines else lines


def format_variables(variables: Iterable[Any], join_lines: bool = True) -> str | list[str]:
    """A table of variables: name, shape, type, collections, device (sorted by name)."""
    variables = sorted(variables, key=lambda v: v.name)
    header = ["Variable", "Shape", "Type", "Collections", "Device"]
    return _table(header, _rows(variables), join_lines)


def format_variable_map(
    variable_map: Mapping[str, Any], join_lines: bool = True
) -> str | list[str]:
    """Like :func:`format_variables`, with the map's keys in a first column."""
    items = sorted(variable_map_items(variable_map), key=lambda kv: (kv[0], kv[1].name))
    header = ["Key", "Variable", "Shape", "Type", "Collections", "Device"]
    return _table(header, _rows([v for _, v in items], [k for k, _ in items]), join_lines)


def log_variables(variables: Iterable[Any] | None = None) -> None:
    """Logs :func:`format_variables` (default: all global and local variables)."""
    for line in format_variables(_default_variables(variables), join_lines=False):
        logger.info(line)


def count_variables_by_type(
    variables: Iterable[Any] | None = None,
) -> dict[tf.DType, dict[str, int]]:
    """``{dtype: {"num_variables": n, "num_scalars": m}}`` for the given variables."""
    counts: dict[tf.DType, dict[str, int]] = collections.defaultdict(
        lambda: {"num_variables": 0, "num_scalars": 0}
    )
    for v in _default_variables(variables):
        entry = counts[v.dtype.base_dtype]
        entry["num_variables"] += 1
        entry["num_scalars"] += int(np.prod(v.shape.as_list(), dtype=np.int64))
    return dict(counts)


def num_bytes_to_human_readable(num_bytes: int) -> str:
    """``5 B``, ``1.500 KB``, ``2.000 MB``, ``1.000 GB`` (powers of 1024)."""
    for unit, power in (("GB", 30), ("MB", 20), ("KB", 10)):
        if num_bytes >= 2**power:
            return f"{num_bytes / 2**power:.3f} {unit}"
    return f"{int(num_bytes)} B"


def summarize_variables(variables: Iterable[Any] | None = None) -> None:
    """Logs, per dtype and in total, how many variables and scalars there are, and their size.

    Lines read ``float32: 2 variables comprising 105000 scalars, 410.156 KB``
    and ``Total: ...`` (default: all global and local variables of the default
    graph). Strings count as the size of their pointers.
    """
    counts = count_variables_by_type(variables)
    total_scalars = total_bytes = total_variables = 0
    for dtype in sorted(counts, key=lambda d: d.name):
        entry = counts[dtype]
        size = entry["num_scalars"] * (8 if dtype == tf.string else dtype.size)
        total_scalars += entry["num_scalars"]
        total_bytes += size
        total_variables += entry["num_variables"]
        logger.info(
            "tf.%s: %d variables comprising %d scalars, %s",
            dtype.name,
            entry["num_variables"],
            entry["num_scalars"],
            num_bytes_to_human_readable(size),
        )
    logger.info(
        "Total: %d variables comprising %d scalars, %s",
        total_variables,
        total_scalars,
        num_bytes_to_human_readable(total_bytes),
    )
