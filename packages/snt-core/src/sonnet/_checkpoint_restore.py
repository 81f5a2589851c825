"""``snt.restore_from_checkpoint``: a name-based (TF1 ``Saver``) checkpoint into a module."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import tensorflow as tf

from sonnet import _checkpoint_plan as planning

__all__ = ["RestoreReport", "restore_from_checkpoint"]

_GLOBAL = tf.compat.v1.GraphKeys.GLOBAL_VARIABLES
_LISTED = 8  # names shown per list in error messages


@dataclasses.dataclass(frozen=True)
class RestoreReport:
    """What :func:`restore_from_checkpoint` did (or, for a graph op not run yet, will do).

    Variable names are relative to the module's scope (``linear_0/w`` for
    ``mlp_1/linear_0/w``); checkpoint keys are full keys.

    Attributes:
      checkpoint: The checkpoint prefix read (a directory resolves to its latest).
      prefix: The checkpoint scope the module's names were looked up under
        (``"mlp/"``, ``"RGB/inception_i3d/"``, or ``""``).
      restored: ``{variable name: checkpoint key}`` of every variable given a value,
        including the reshaped ones.
      reshaped: ``{variable name: (checkpoint shape, variable shape)}`` for values
        whose shape differs only by size-1 dimensions (``(64,)`` into ``(1, 1, 1, 1, 64)``).
      missing: ``{variable name: checkpoint key looked for}``, not in the checkpoint;
        these variables keep their values.
      skipped: Variables the mapping sent to ``None``.
      unexpected: Keys under ``prefix`` that no variable read, optimizer state aside.
      optimizer_state: Optimizer slots and training counters anywhere in the
        checkpoint (``.../Momentum``, ``.../Adam``, ``.../Adam_1``, ``beta1_power``,
        ``global_step``), never restored.
      outside_prefix: Other keys of the checkpoint, outside ``prefix``.
      applied: Whether the values are in the variables already (eager mode, or
        graph mode with a session); False when ``op`` still has to run.
      op: The restore op in graph mode and inside ``tf.function``; None eagerly.
    """

    checkpoint: str
    prefix: str
    restored: Mapping[str, str]
    reshaped: Mapping[str, tuple[tuple[int, ...], tuple[int, ...]]]
    missing: Mapping[str, str]
    skipped: tuple[str, ...]
    unexpected: tuple[str, ...]
    optimizer_state: tuple[str, ...]
    outside_prefix: tuple[str, ...]
    applied: bool
    op: Any = None

    def __str__(self) -> str:
        def count(names: Any) -> str:
            return f"{len(names)} ({_listing(sorted(names))})" if names else "0"

        lines = [
            f"restored {len(self.restored)} variables from {self.checkpoint} "
            f"(prefix {self.prefix!r}), reshaped {count(self.reshaped)}",
            f"missing in the checkpoint: {count(self.missing)}",
            f"unexpected in the checkpoint: {count(self.unexpected)}",
            f"optimizer state (not restored): {len(self.optimizer_state)}",
            f"outside the prefix: {len(self.outside_prefix)}",
        ]
        if self.skipped:
            lines.append(f"skipped: {count(self.skipped)}")
        return "\n".join(lines)


def restore_from_checkpoint(
    module: Any,
    path: Any,
    *,
    prefix: str | None = None,
    mapping: Mapping[str, str | None] | Callable[[str], str | None] | None = None,
    strict: bool = False,
    session: tf.compat.v1.Session | None = None,
    collection: str = _GLOBAL,
) -> RestoreReport:
    """Restores a name-based (``tf.compat.v1.train.Saver``) checkpoint into a connected module.

    Each variable of the module (``module.get_all_variables(collection)``,
    partitions grouped) is named relative to the module's scope, so the
    uniquified eager scope ``mlp_1/linear_0/w`` reads the checkpoint key
    ``prefix + "linear_0/w"``. Variables of submodules outside the module's
    scope (modules passed to its constructor) are looked up by their full
    name; ``mapping`` renames them. Values whose shape differs from the variable's
    only by size-1 dimensions are reshaped: Sonnet 1 releases of 2017 saved
    BatchNorm statistics of 5-D inputs as ``[C]``, Sonnet 1.36 (and this
    project) creates ``[1, 1, 1, 1, C]``. Any other shape or dtype difference
    is refused before anything is assigned.

    Modes:
      - Eagerly, the values are read with ``tf.train.load_checkpoint`` and
        assigned now. For ``tf.function`` code, connect the module (eagerly,
        or by calling the function once) and restore eagerly; the function
        uses the same variables, so there is no need to retrace.
      - In graph mode (the module's ``tf.Graph``), one ``RestoreV2`` op reads
        every value, so no value passes through Python; the report's ``op``
        assigns them. Run it after the variable initializer, or pass
        ``session`` to have it run now.
      - Inside a ``tf.function`` the same op becomes part of the function and
        runs on every call: only useful in a function that just restores.

    Example:
      >>> import sonnet as snt, tensorflow as tf
      >>> with tf.Graph().as_default(), tf.compat.v1.Session() as sess:  # a TF1 program
      ...     w = tf.compat.v1.get_variable("model/scale/w", initializer=[2.0])
      ...     sess.run(w.initializer)
      ...     path = tf.compat.v1.train.Saver().save(sess, "/tmp/snt_restore/model.ckpt")
      >>> scale = snt.Module(lambda x: x * tf.compat.v1.get_variable("w", [1]), name="scale")
      >>> y = scale(tf.ones([1]))  # eagerly; creates scale/w
      >>> report = snt.restore_from_checkpoint(scale, path, prefix="model/scale/")
      >>> dict(report.restored), scale(tf.ones([1])).numpy()
      ({'w': 'model/scale/w'}, array([2.], dtype=float32))

    Args:
      module: A connected Sonnet module.
      path: A checkpoint prefix (what ``Saver.save`` returned) or a directory
        (its latest checkpoint).
      prefix: The checkpoint scope holding the module's variables
        (``"RGB/inception_i3d/"``; ``""`` for keys relative to the module, as
        ``snt.get_saver`` writes them). None: the scope under which most of the
        module's names are found; the module's own scope name wins a tie, any
        other tie raises ValueError.
      mapping: Explicit checkpoint keys, overriding the prefix rule: a dict
        ``{variable name relative to the module: full checkpoint key or None}``,
        or a callable taking the relative name and returning either (then it
        decides for every variable). None skips the variable.
      strict: Raise if a variable is missing in the checkpoint.
      session: Graph mode only: run the restore op in this session.
      collection: Which of the module's variables to restore;
        ``tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES`` leaves e.g. BatchNorm
        moving statistics alone.

    Returns:
      A :class:`RestoreReport`.

    Raises:
      ValueError: A shape (beyond size-1 dimensions) or dtype differs, naming
        each variable, its key and both shapes; ``strict`` and a variable is
        missing; no variable of the module is found at all; ``prefix=None``
        and the module's names are found under several scopes equally; a
        session is given outside graph mode.
      KeyError: ``mapping`` names something that is not a variable of the module.
      FileNotFoundError: No checkpoint at ``path``.
      NotConnectedError: The module has not been connected yet.
    """
    plan = planning.make_plan(module, path, prefix=prefix, mapping=mapping, collection=collection)
    _check(plan, strict)
    mode = _mode(module)
    if session is not None and mode != "graph":
        raise ValueError(
            f"{plan.scope_name}: session= is for graph mode; in {mode} mode the variables "
            "are assigned directly."
        )
    op = None
    if mode == "eager":
        _assign_eagerly(plan)
    else:
        op = _restore_op(plan, getattr(module, "graph", None) if mode == "graph" else None)
        if session is not None:
            session.run(op)
    return _report(plan, applied=mode == "eager" or session is not None, op=op)


def _mode(module: Any) -> str:
    if getattr(module, "graph", None) is not None:
        return "graph"
    if tf.executing_eagerly():
        return "eager"
    if tf.inside_function():
        return "tf.function"
    raise ValueError(
        f"{module.scope_name}: the module's variables were created eagerly but "
        "restore_from_checkpoint was called in a tf.Graph; call it eagerly."
    )


def _listing(names: list[str]) -> str:
    more = f", ... ({len(names)} in all)" if len(names) > _LISTED else ""
    return ", ".join(names[:_LISTED]) + more


def _check(plan: planning.Plan, strict: bool) -> None:
    where = f"{plan.scope_name}: checkpoint {plan.checkpoint}"
    mismatches = planning.mismatch_lines(plan)
    if mismatches:
        raise ValueError(
            f"{where} does not fit the module; shapes may differ only by size-1 dimensions, "
            "dtypes not at all:\n" + "\n".join(mismatches)
        )
    missing = plan.with_status("missing")
    wanted = [s for s in plan.slots if s.status != "skip"]
    if wanted and len(missing) == len(wanted):
        sample = _listing(sorted(plan.shapes))
        hint = ""
        if any(k.endswith(".ATTRIBUTES/VARIABLE_VALUE") for k in plan.shapes):
            hint = (
                " It is an object-based checkpoint (tf.train.Checkpoint): restore it with "
                "tf.train.Checkpoint(...).restore(path)."
            )
        raise ValueError(
            f"{where}: none of the module's variables is there under prefix {plan.prefix!r} "
            f"(looked for {_listing([s.key or '' for s in missing])}); the checkpoint holds "
            f"{sample}. Pass prefix= or mapping=.{hint}"
        )
    if strict and missing:
        raise ValueError(
            f"{where}: strict=True and {len(missing)} variables are missing in the checkpoint: "
            + _listing([f"{s.name} (key {s.key})" for s in missing])
        )


def _ready(plan: planning.Plan) -> list[planning.Slot]:
    return plan.with_status("restore", "reshape")


def _parts_values(slot: planning.Slot, full: Any, slice_fn: Callable[..., Any]) -> list[Any]:
    """The value of each partition of ``slot`` cut from the full value."""
    if len(slot.parts) == 1 and getattr(slot.parts[0], "_save_slice_info", None) is None:
        return [full]
    values = []
    for part in slot.parts:
        info = part._save_slice_info
        values.append(slice_fn(full, list(info.var_offset), list(info.var_shape)))
    return values


def _numpy_slice(value: np.ndarray, begin: list[int], size: list[int]) -> np.ndarray:
    return value[tuple(slice(b, b + s) for b, s in zip(begin, size, strict=True))]


def _assign_eagerly(plan: planning.Plan) -> None:
    reader = planning.load_reader(plan.checkpoint)
    for slot in _ready(plan):
        full = np.reshape(reader.get_tensor(slot.key), slot.shape)
        for part, value in zip(slot.parts, _parts_values(slot, full, _numpy_slice), strict=True):
            part.assign(value)


def _restore_op(plan: planning.Plan, graph: tf.Graph | None) -> Any:
    slots = _ready(plan)
    if not slots:
        return tf.no_op(name="restore_from_checkpoint")
    with graph.as_default() if graph is not None else contextlib.nullcontext():
        with tf.name_scope("restore_from_checkpoint"):
            values = tf.raw_ops.RestoreV2(
                prefix=plan.checkpoint,
                tensor_names=[s.key for s in slots],
                shape_and_slices=[""] * len(slots),
                dtypes=[s.dtype for s in slots],
            )
            assigns = []
            for slot, value in zip(slots, values, strict=True):
                full = tf.reshape(value, slot.shape)
                for part, part_value in zip(
                    slot.parts, _parts_values(slot, full, tf.slice), strict=True
                ):
                    assigns.append(part.assign(part_value, read_value=False))
            return tf.group(*assigns, name="assign")


def _report(plan: planning.Plan, *, applied: bool, op: Any) -> RestoreReport:
    ready = _ready(plan)
    return RestoreReport(
        checkpoint=plan.checkpoint,
        prefix=plan.prefix,
        restored={s.name: s.key for s in ready if s.key is not None},
        reshaped={
            s.name: (s.checkpoint_shape, s.shape)
            for s in ready
            if s.status == "reshape" and s.checkpoint_shape is not None
        },
        missing={s.name: s.key for s in plan.with_status("missing") if s.key is not None},
        skipped=tuple(s.name for s in plan.with_status("skip")),
        unexpected=plan.unexpected,
        optimizer_state=plan.optimizer_state,
        outside_prefix=plan.outside_prefix,
        applied=applied,
        op=op,
    )
