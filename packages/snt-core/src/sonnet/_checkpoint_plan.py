"""Lining up a module's variables with the keys of a name-based checkpoint.

The plan is pure bookkeeping over names, shapes and dtypes (read from the
checkpoint's index, no tensor values): which key each variable reads, which
shapes differ only by size-1 dimensions, what is missing, and what the
checkpoint holds besides. ``restore_from_checkpoint`` applies a plan;
``python -m sonnet checkpoint`` prints one.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

import tensorflow as tf

from sonnet._variable_utils import get_variable_scope_name

#: Keys that are metadata, not variables (object graph of TF2-aware savers).
_METADATA_KEYS = frozenset({"_CHECKPOINTABLE_OBJECT_GRAPH"})
#: Last key component of the slots TF1 optimizers and moving averages create.
_SLOT_NAME = re.compile(
    r"^(Momentum|Adam|RMSProp|Adagrad|AdagradDA|Adadelta|Ftrl|ProximalAdagrad|"
    r"ExponentialMovingAverage|Adamax|Nadam|LazyAdam)(_\d+)?$"
)
#: Last key component of training counters (step counters, Adam's beta powers).
_COUNTERS = frozenset({"global_step", "beta1_power", "beta2_power"})

Shape = tuple[int, ...]


def shape_text(shape: Shape) -> str:
    """``[1, 1, 64]``-style text for a shape (``[]`` for a scalar)."""
    return "[" + ", ".join(str(d) for d in shape) + "]"


def squeezable(a: Shape, b: Shape) -> bool:
    """Whether ``a`` and ``b`` differ only by size-1 dimensions (``[C]`` vs ``[1, 1, C]``)."""
    return [d for d in a if d != 1] == [d for d in b if d != 1]


@dataclasses.dataclass
class Slot:
    """One module variable (all partitions of a partitioned one) and its checkpoint key.

    ``status`` is ``restore``, ``reshape`` (shapes differ by size-1 dimensions),
    ``missing``, ``skip`` (mapped to None), ``shape`` or ``dtype`` (mismatch).
    """

    name: str  # relative to the module's scope (full name for variables outside it)
    full_name: str
    shape: Shape
    dtype: tf.DType
    parts: list[Any]  # the variable, or its partitions in offset order
    #: False for variables of submodules outside the module's scope (passed to its
    #: constructor): they are looked up by their full name, without the prefix.
    inside: bool = True
    key: str | None = None
    checkpoint_shape: Shape | None = None
    checkpoint_dtype: tf.DType | None = None
    status: str = "missing"


@dataclasses.dataclass
class Plan:
    """What a restore would do; see :class:`sonnet.RestoreReport` for the lists."""

    checkpoint: str
    scope_name: str
    prefix: str
    slots: list[Slot]
    unexpected: tuple[str, ...]
    optimizer_state: tuple[str, ...]
    outside_prefix: tuple[str, ...]
    shapes: dict[str, Shape]

    def with_status(self, *statuses: str) -> list[Slot]:
        return [s for s in self.slots if s.status in statuses]


def resolve_checkpoint(path: Any) -> str:
    """The checkpoint prefix for ``path`` (a prefix, or a directory: its latest checkpoint).

    Raises:
      FileNotFoundError: no checkpoint there.
    """
    path = os.fspath(path)
    if tf.io.gfile.isdir(path):
        latest = tf.train.latest_checkpoint(path)
        if latest is None:
            raise FileNotFoundError(
                f"No checkpoint in directory {path!r} (no 'checkpoint' state file naming one)."
            )
        return latest
    return path


def load_reader(prefix: str) -> Any:
    """``tf.train.load_checkpoint(prefix)`` with a clear error for a wrong path."""
    try:
        return tf.train.load_checkpoint(prefix)
    except tf.errors.NotFoundError as e:
        raise FileNotFoundError(
            f"No name-based checkpoint at {prefix!r}: pass the prefix Saver.save returned "
            f"(the files are <prefix>.index and <prefix>.data-*) or its directory."
        ) from e


def checkpoint_shapes(reader: Any) -> tuple[dict[str, Shape], dict[str, tf.DType]]:
    """``key -> shape`` and ``key -> dtype`` of every variable in the checkpoint."""
    shapes = {
        k: tuple(int(d) for d in s)
        for k, s in reader.get_variable_to_shape_map().items()
        if k not in _METADATA_KEYS
    }
    dtypes = {k: tf.as_dtype(d) for k, d in reader.get_variable_to_dtype_map().items()}
    return shapes, dtypes


def is_optimizer_state(key: str, keys: Mapping[str, Any]) -> bool:
    """Whether ``key`` looks like optimizer or training state rather than a model variable.

    Slots live under their variable's name (``w/Momentum``, ``w/Adam_1``), so a
    key whose parent is itself a key counts, whatever the optimizer's name.
    """
    parent, _, last = key.rpartition("/")
    return last in _COUNTERS or bool(_SLOT_NAME.match(last)) or (bool(parent) and parent in keys)


def module_slots(module: Any, collection: str) -> tuple[str, list[Slot]]:
    """The module's scope name and one slot per variable (partitions grouped)."""
    if not (hasattr(module, "get_all_variables") and hasattr(module, "scope_name")):
        raise TypeError(
            "restore_from_checkpoint: expected a Sonnet module (with scope_name and "
            f"get_all_variables), got {type(module).__name__}."
        )
    scope_name = get_variable_scope_name(module)
    if getattr(module, "is_connected", True) is False:
        from sonnet.errors import NotConnectedError

        raise NotConnectedError(
            f"{scope_name}: restore_from_checkpoint needs a connected module (its variables "
            "are created by the first connection); call it on inputs first."
        )
    grouped: dict[str, list[Any]] = {}
    for variable in module.get_all_variables(collection):
        info = getattr(variable, "_save_slice_info", None)
        full = info.full_name if info is not None else variable.name.split(":")[0]
        parts = grouped.setdefault(full, [])
        if info is None and parts:
            raise ValueError(
                f"{scope_name}: two variables of the module are named {full!r}; a name-based "
                "checkpoint cannot tell them apart."
            )
        parts.append(variable)
    slots = []
    scope_prefix = scope_name + "/" if scope_name else ""
    for full, parts in sorted(grouped.items()):
        info = getattr(parts[0], "_save_slice_info", None)
        if info is not None:
            parts.sort(key=lambda p: tuple(p._save_slice_info.var_offset))
            shape = tuple(int(d) for d in info.full_shape)
        else:
            shape = tuple(int(d) for d in parts[0].shape)
        inside = full.startswith(scope_prefix)
        name = full[len(scope_prefix) :] if inside else full
        slots.append(Slot(name, full, shape, parts[0].dtype.base_dtype, parts, inside=inside))
    return scope_name, slots


def _suffix_index(keys: Mapping[str, Any]) -> dict[str, list[str]]:
    """``suffix -> [prefix, ...]`` for every split of every key at a ``/``."""
    index: dict[str, list[str]] = {}
    for key in keys:
        parts = key.split("/")
        for i in range(len(parts)):
            prefix = "/".join(parts[:i]) + "/" if i else ""
            index.setdefault("/".join(parts[i:]), []).append(prefix)
    return index


def infer_prefix(names: list[str], keys: Mapping[str, Any], scope_name: str) -> str:
    """The checkpoint scope holding the most of ``names`` (relative variable names).

    The module's own scope wins a tie; another tie raises ValueError. With no
    match at all, the module's own scope (everything will be reported missing).
    """
    own = scope_name + "/" if scope_name else ""
    index = _suffix_index(keys)
    counts: dict[str, int] = {}
    for name in names:
        for prefix in set(index.get(name, ())):
            counts[prefix] = counts.get(prefix, 0) + 1
    if not counts:
        return own
    best = max(counts.values())
    winners = sorted(p for p, c in counts.items() if c == best)
    if own in winners or len(winners) == 1:
        return own if own in winners else winners[0]
    listed = ", ".join(f"{p!r}" for p in winners[:5])
    raise ValueError(
        f"{scope_name}: the module's variables are found under several checkpoint scopes "
        f"({listed}; {best} of {len(names)} variables each); pass prefix= to choose one."
    )


def normalize_prefix(prefix: str) -> str:
    if not isinstance(prefix, str):
        raise TypeError(f"restore_from_checkpoint: prefix must be a string, got {prefix!r}.")
    return prefix.rstrip("/") + "/" if prefix.strip("/") else ""


def make_plan(
    module: Any,
    path: Any,
    *,
    prefix: str | None = None,
    mapping: Mapping[str, str | None] | Callable[[str], str | None] | None = None,
    collection: str = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES,
) -> Plan:
    """Lines the module's variables up with the checkpoint's keys (no values read)."""
    scope_name, slots = module_slots(module, collection)
    checkpoint = resolve_checkpoint(path)
    shapes, dtypes = checkpoint_shapes(load_reader(checkpoint))
    explicit = _explicit_keys(scope_name, slots, mapping)
    if prefix is None:
        unmapped = [s.name for s in slots if s.inside and s.name not in explicit]
        prefix = infer_prefix(unmapped, shapes, scope_name)
    else:
        prefix = normalize_prefix(prefix)
    for slot in slots:
        if slot.name in explicit:
            slot.key = explicit[slot.name]
        else:
            slot.key = prefix + slot.name if slot.inside else slot.name
        if slot.key is None:
            slot.status = "skip"
        elif slot.key in shapes:
            slot.checkpoint_shape, slot.checkpoint_dtype = shapes[slot.key], dtypes[slot.key]
            slot.status = _compare(slot)
    used = {s.key for s in slots if s.status not in ("missing", "skip")}
    leftover = sorted(k for k in shapes if k not in used)
    optimizer = tuple(k for k in leftover if is_optimizer_state(k, shapes))
    rest = [k for k in leftover if k not in set(optimizer)]
    return Plan(
        checkpoint=checkpoint,
        scope_name=scope_name,
        prefix=prefix,
        slots=slots,
        unexpected=tuple(k for k in rest if k.startswith(prefix)),
        optimizer_state=optimizer,
        outside_prefix=tuple(k for k in rest if not k.startswith(prefix)),
        shapes=shapes,
    )


def _explicit_keys(
    scope_name: str,
    slots: list[Slot],
    mapping: Mapping[str, str | None] | Callable[[str], str | None] | None,
) -> dict[str, str | None]:
    """``relative name -> checkpoint key (or None: skip)`` from the ``mapping`` argument."""
    if mapping is None:
        return {}
    names = [s.name for s in slots]
    if callable(mapping) and not isinstance(mapping, Mapping):
        result: dict[str, str | None] = {}
        for name in names:
            key = mapping(name)
            if key is not None and not isinstance(key, str):
                raise TypeError(
                    f"{scope_name}: mapping({name!r}) must return a checkpoint key or None, "
                    f"got {key!r}."
                )
            result[name] = key
        return result
    if not isinstance(mapping, Mapping):
        raise TypeError(
            f"restore_from_checkpoint: mapping must be a dict or a callable, got "
            f"{type(mapping).__name__}."
        )
    unknown = sorted(set(mapping) - set(names))
    if unknown:
        raise KeyError(
            f"{scope_name}: mapping names {unknown} which are not variables of the module; "
            f"its variables (relative to {scope_name!r}) are {names}."
        )
    return dict(mapping)


def _compare(slot: Slot) -> str:
    if slot.checkpoint_dtype != slot.dtype:
        return "dtype"
    if slot.checkpoint_shape == slot.shape:
        return "restore"
    assert slot.checkpoint_shape is not None
    return "reshape" if squeezable(slot.checkpoint_shape, slot.shape) else "shape"


def mismatch_lines(plan: Plan) -> list[str]:
    """One line per variable whose checkpoint value cannot be restored into it."""
    lines = []
    for s in plan.with_status("shape", "dtype"):
        assert s.checkpoint_shape is not None and s.checkpoint_dtype is not None
        if s.status == "shape":
            what = (
                f"checkpoint shape {shape_text(s.checkpoint_shape)}, variable shape "
                f"{shape_text(s.shape)}"
            )
        else:
            what = f"checkpoint dtype {s.checkpoint_dtype.name}, variable dtype {s.dtype.name}"
        lines.append(f"  {s.full_name} <- {s.key}: {what}")
    return lines
