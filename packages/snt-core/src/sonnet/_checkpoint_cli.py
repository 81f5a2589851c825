"""``python -m sonnet checkpoint PATH [--module pkg.mod:factory]``: inspect a checkpoint.

Without ``--module``: every variable of a name-based checkpoint with its shape
and dtype, optimizer state marked. With ``--module``: the factory's module is
built and its variables are lined up with the checkpoint's keys exactly as
``snt.restore_from_checkpoint`` would do it (same prefix inference, mapping and
shape rules), without assigning anything.

The factory is ``package.module:function``, importable from the current
directory or the environment, called with no arguments. It returns either a
connected module, or ``(module, inputs)``: the command then connects it with
``module(inputs)``. It runs eagerly, or inside a fresh ``tf.Graph`` with
``--graph`` (for factories that make placeholders).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

from sonnet import _checkpoint_plan as planning

_STATUS = {
    "restore": "ok",
    "reshape": "reshape",
    "missing": "MISSING",
    "skip": "skipped",
    "shape": "SHAPE MISMATCH",
    "dtype": "DTYPE MISMATCH",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sonnet checkpoint",
        description="List a name-based checkpoint's variables, or line them up with a "
        "module's variables as snt.restore_from_checkpoint would.",
    )
    parser.add_argument("path", help="checkpoint prefix (Saver.save's return value) or directory")
    parser.add_argument(
        "--module",
        metavar="PACKAGE.MODULE:FACTORY",
        help="factory returning a connected module, or (module, inputs) to connect it with",
    )
    parser.add_argument("--prefix", help="checkpoint scope of the module (default: inferred)")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="NAME=KEY",
        help="explicit checkpoint key for a variable name relative to the module "
        "(NAME= skips it); repeatable",
    )
    parser.add_argument("--graph", action="store_true", help="call the factory in a tf.Graph")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a variable is missing")
    parser.add_argument("--json", action="store_true", help="print a JSON report")
    return parser


def main(argv: list[str]) -> int:
    """Runs ``python -m sonnet checkpoint``; returns the exit status.

    0: listed, or every variable lines up; 1: a shape or dtype mismatch,
    nothing found, an ambiguous prefix, or (``--strict``) a missing variable;
    2: bad arguments or a factory that cannot be used.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    mapping = _parse_map(parser, args.map)
    try:
        checkpoint = planning.resolve_checkpoint(args.path)
        shapes, dtypes = planning.checkpoint_shapes(planning.load_reader(checkpoint))
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.module is None:
        return _list(checkpoint, shapes, dtypes, args.json)
    try:
        module = _build(args.module, args.graph)
    except _FactoryError as e:
        print(f"error: --module {args.module}: {e}", file=sys.stderr)
        return 2
    try:
        plan = planning.make_plan(module, checkpoint, prefix=args.prefix, mapping=mapping)
    except (ValueError, KeyError) as e:
        print(f"error: {e.args[0] if e.args else e}", file=sys.stderr)
        return 1
    return _align(plan, args)


def _parse_map(parser: argparse.ArgumentParser, items: list[str]) -> dict[str, str | None] | None:
    mapping: dict[str, str | None] = {}
    for item in items:
        name, sep, key = item.partition("=")
        if not sep or not name:
            parser.error(f"--map expects NAME=KEY, got {item!r}")
        mapping[name] = key or None
    return mapping or None


class _FactoryError(Exception):
    pass


def _build(spec: str, graph: bool) -> Any:
    """Imports and calls the factory; returns a connected module."""
    module_path, sep, attr = spec.partition(":")
    if not sep or not module_path or not attr:
        raise _FactoryError("expected package.module:function")
    try:
        target: Any = importlib.import_module(module_path)
        for part in attr.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as e:
        raise _FactoryError(f"cannot load it ({type(e).__name__}: {e})") from e
    if not callable(target):
        raise _FactoryError(f"{attr} is not callable")
    if graph:
        import tensorflow as tf

        with tf.Graph().as_default():
            return _connected(target())
    return _connected(target())


def _connected(result: Any) -> Any:
    if isinstance(result, tuple) and len(result) == 2 and hasattr(result[0], "get_all_variables"):
        module, inputs = result
        module(inputs)
        return module
    if not hasattr(result, "get_all_variables"):
        raise _FactoryError(
            f"expected a Sonnet module or (module, inputs), got {type(result).__name__}"
        )
    if getattr(result, "is_connected", True) is False:
        raise _FactoryError(
            f"the module {result.scope_name!r} is not connected: call it in the factory, "
            "or return (module, inputs)"
        )
    return result


def _shape(shape: tuple[int, ...] | None) -> str:
    return "-" if shape is None else planning.shape_text(shape)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]


def _list(checkpoint: str, shapes: dict, dtypes: dict, as_json: bool) -> int:
    keys = sorted(shapes)
    optimizer = {k for k in keys if planning.is_optimizer_state(k, shapes)}
    if as_json:
        entries = [
            {
                "key": k,
                "shape": list(shapes[k]),
                "dtype": dtypes[k].name,
                "optimizer_state": k in optimizer,
            }
            for k in keys
        ]
        print(json.dumps({"checkpoint": checkpoint, "variables": entries}, indent=2))
        return 0
    values = sum(_size(shapes[k]) for k in keys if k not in optimizer)
    print(
        f"checkpoint {checkpoint}: {len(keys)} variables ({len(optimizer)} optimizer state); "
        f"{values:,} model values"
    )
    rows = [
        [k, planning.shape_text(shapes[k]), dtypes[k].name, "optimizer" if k in optimizer else ""]
        for k in keys
    ]
    print("\n".join(_table(["key", "shape", "dtype", ""], rows)))
    return 0


def _size(shape: tuple[int, ...]) -> int:
    size = 1
    for d in shape:
        size *= d
    return size


def _align(plan: planning.Plan, args: argparse.Namespace) -> int:
    counts = {s: len(plan.with_status(s)) for s in _STATUS}
    bad = counts["shape"] + counts["dtype"]
    nothing = counts["restore"] + counts["reshape"] == 0 and len(plan.with_status("skip")) < len(
        plan.slots
    )
    failed = bool(bad) or nothing or (args.strict and counts["missing"] > 0)
    if nothing:
        print(
            f"error: none of the module's variables is in the checkpoint under prefix "
            f"{plan.prefix!r}; pass --prefix or --map",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(_plan_json(plan, counts), indent=2))
        return 1 if failed else 0
    how = "given" if args.prefix is not None else "inferred"
    print(
        f"checkpoint {plan.checkpoint}; module scope {plan.scope_name!r}, "
        f"{len(plan.slots)} variables; checkpoint prefix {plan.prefix!r} ({how})"
    )
    rows = [
        [
            s.name,
            _shape(s.shape),
            s.key or "-",
            _shape(s.checkpoint_shape),
            _STATUS[s.status],
        ]
        for s in plan.slots
    ]
    header = ["variable", "shape", "checkpoint key", "checkpoint shape", "status"]
    print("\n".join(_table(header, rows)))
    for title, keys in (
        (f"unexpected in the checkpoint (under {plan.prefix!r})", plan.unexpected),
        ("optimizer state (never restored)", plan.optimizer_state),
        ("outside the prefix", plan.outside_prefix),
    ):
        if keys:
            shown = ", ".join(keys[:10]) + (", ..." if len(keys) > 10 else "")
            print(f"{title}: {len(keys)}: {shown}")
    print(
        f"result: {counts['restore'] + counts['reshape']} would be restored "
        f"({counts['reshape']} reshaped), {counts['missing']} missing, "
        f"{counts['skip']} skipped, {bad} mismatched"
    )
    return 1 if failed else 0


def _plan_json(plan: planning.Plan, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "checkpoint": plan.checkpoint,
        "scope_name": plan.scope_name,
        "prefix": plan.prefix,
        "variables": [
            {
                "name": s.name,
                "shape": list(s.shape),
                "dtype": s.dtype.name,
                "key": s.key,
                "checkpoint_shape": None
                if s.checkpoint_shape is None
                else list(s.checkpoint_shape),
                "status": s.status,
            }
            for s in plan.slots
        ],
        "unexpected": list(plan.unexpected),
        "optimizer_state": list(plan.optimizer_state),
        "outside_prefix": list(plan.outside_prefix),
        "counts": counts,
    }
