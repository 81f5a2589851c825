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


def _collections_of(variable: Any) -> str:
    if tf.executing_eagerly():
        return ""
    graph = variable.graph
    names = [
        k
        for k in graph.get_all_collection_keys()
        if any(v is variable for v in graph.get_collection(k))
    ]
    return ", ".join(sorted(names))


def _rows(variables: Iterable[Any], keys: Iterable[str] | None = None) -> list[list[str]]:
    rows = []
    keys = list(keys) if keys is not None else None
    for i, v in enumerate(variables):
        row = [
            v.name.split(":")[0],
            "x".join(str(d) for d in v.shape.as_list()) or "scalar",
            v.dtype.base_dtype.name,
            _collections_of(v),
            v.device or "(default)",
        ]
        if keys is not None:
            row.insert(0, keys[i])
        rows.append(row)
    return rows


def _table(header: list[str], rows: list[list[str]], join_lines: bool) -> str | list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "   ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
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
    items = sorted(variable_map_items(variable_map), key=lambda kv: kv[0])
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


def summarize_variables(variables: Iterable[Any] | None = None) -> None:
    """Logs how many variables and scalars there are, per dtype."""
    counts = count_variables_by_type(variables)
    total = sum(c["num_scalars"] for c in counts.values())
    logger.info(
        "%d variables, %d scalars in total", sum(c["num_variables"] for c in counts.values()), total
    )
    for dtype, c in sorted(counts.items(), key=lambda kv: kv[0].name):
        logger.info(
            "  %s: %d variables, %d scalars", dtype.name, c["num_variables"], c["num_scalars"]
        )
