"""One Markdown table from the subjects' results: ratios, absolute medians, targets.

Ratios are subject / hand-written TF, each the median of per-repetition ratios
measured in the subject's own process. The hand-written column shows the
absolute medians measured in this project's process.
"""

from __future__ import annotations

from typing import Any

SUBJECTS = {
    "project": "this project",
    "sonnet2": "Sonnet 2 (dm-sonnet)",
    "tf_module": "tf.Module",
    "keras3": "Keras 3",
}


def _at_most(limit: float):
    return lambda value: value <= limit


#: (key, label, target text, target check on the project's number). Keys name a
#: workload; ``.ops`` its op counts; ``import``/``first_lookup`` the import probe.
ROWS: list[tuple[str, str, str, Any]] = [
    ("eager_linear", "eager Linear(256) call on [32, 256]", "≤ 1.03×", _at_most(1.03)),
    ("eager_mlp", "eager MLP 4×256 forward", "≤ 1.05×", _at_most(1.05)),
    ("eager_lstm_step", "eager LSTM(256) single step", "≤ 1.07×", _at_most(1.07)),
    ("eager_user_module", "eager user module (v1.get_variable)", "≤ 1.3×", _at_most(1.3)),
    ("function_step", "tf.function MLP training step", "≤ 1.01×", _at_most(1.01)),
    ("function_trace", "tf.function tracing (MLP training step)", "≤ 1.3×", _at_most(1.3)),
    (
        "function_trace_forward",
        "tracing `tf.function(lambda x: model(x))` over a built MLP 4×256",
        "≤ 1.25×",
        _at_most(1.25),
    ),
    ("graph_mlp_build", "graph: build MLP 4×256, connect 10×", "≤ 1.05×", _at_most(1.05)),
    ("graph_mlp_build.ops", "graph: op count, MLP connected 10×", "equal", lambda r: r == 1),
    ("graph_mlp_session", "graph: Session training step, MLP", "≤ 1.03×", _at_most(1.03)),
    ("graph_lstm_build", "graph: build 2-layer LSTM(256), dynamic_rnn", "≤ 1.3×", _at_most(1.3)),
    ("graph_lstm_build.ops", "graph: op count, 2-layer LSTM", "equal", lambda r: r == 1),
    ("graph_lstm_session", "graph: Session train step, LSTM 50 steps", "≤ 1.03×", _at_most(1.03)),
    (
        "eager_convnet",
        "eager ConvNet2D 3×32ch forward on [8, 32, 32, 3]",
        "≤ 1.15×",
        _at_most(1.15),
    ),
    ("function_convnet_step", "tf.function ConvNet2D training step", "≤ 1.03×", _at_most(1.03)),
    ("graph_convnet_build", "graph: build ConvNet2D, connect 10×", "≤ 1.15×", _at_most(1.15)),
    (
        "graph_convnet_build.ops",
        "graph: op count, ConvNet2D connected 10×",
        "equal",
        lambda r: r == 1,
    ),
    ("graph_convnet_session", "graph: Session training step, ConvNet2D", "≤ 1.03×", _at_most(1.03)),
    (
        "function_lstm_unroll_step",
        "tf.function train step, 2-layer LSTM(256), dynamic_unroll 50 steps",
        "≤ 1.05×",
        _at_most(1.05),
    ),
    (
        "graph_conv_bn_build",
        "graph: build 57× (Conv3D → BatchNorm(test) → ReLU), CPU time",
        "≤ 1.05×",
        _at_most(1.05),
    ),
    ("graph_conv_bn_build.ops", "graph: op count, 57 conv+BN units", "equal", lambda r: r == 1),
    (
        "function_first_call",
        "tf.function first call (trace + variables), MLP 4×256 step, CPU time",
        "≤ 1.5×, ≤ Sonnet 2",
        _at_most(1.5),
    ),
    ("import", "import beyond `import tensorflow`", "≤ 25 ms", _at_most(25)),
    ("first_lookup", "first plugin lookup (`snt.SAME`)", "≤ 30 ms", _at_most(30)),
]


#: Rows whose target also asks for no more than Sonnet 2's ratio.
NO_WORSE_THAN_SONNET2 = {"function_first_call"}


def fmt_time(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.2f} s"
    if us >= 1e3:
        return f"{us / 1e3:.1f} ms"
    return f"{us:.1f} µs"


def _value(result: dict, key: str) -> tuple[str, float | None, str]:
    """(cell text, the number the target checks, hand-written cell) for one subject."""
    if "unavailable" in result:
        return f"unavailable: {result['unavailable']}", None, ""
    if key in ("import", "first_lookup"):
        probe = result.get("imports", {})
        if "error" in probe:
            return f"error: {probe['error']}", None, ""
        field = "module" if key == "import" else "first"
        if field not in probe:
            return "n/a", None, ""
        ms = probe[field] * 1e3
        if key == "import" and probe.get("preloaded"):
            return "0 ms (imported by `import tensorflow`)", None, f"TF: {probe['tf']:.2f} s"
        return f"{ms:.1f} ms", ms, f"TF: {probe['tf']:.2f} s" if key == "import" else ""
    name, _, part = key.partition(".")
    row = result["workloads"].get(name)
    if row is None:
        return "not run", None, ""
    if "na" in row or "error" in row:
        text = f"n/a: {row['na']}" if "na" in row else f"error: {row['error']}"
        return text, None, ""
    if part == "ops":
        ops = row["ops"]
        ratio = ops["sub"] / ops["ref"]
        return f"{ops['sub']} ({ratio:.2f}×)", ratio, str(ops["ref"])
    return f"{row['ratio']:.2f}× ({fmt_time(row['sub_us'])})", row["ratio"], fmt_time(row["ref_us"])


def table(results: dict[str, dict]) -> str:
    """``results``: subject key -> subject result (see ``_subject.py``)."""
    subjects = [s for s in SUBJECTS if s in results]
    head = ["workload", "hand-written TF", *(SUBJECTS[s] for s in subjects), "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, label, target, check in ROWS:
        cells, hand, met = [], "", "–"
        numbers = {}
        for subject in subjects:
            text, number, hand_text = _value(results[subject], key)
            cells.append(text)
            hand = hand or hand_text
            numbers[subject] = number
            if subject == "project" and number is not None:
                met = "✓" if check(number) else "✗"
        peer = numbers.get("sonnet2")
        if key in NO_WORSE_THAN_SONNET2 and met == "✓" and peer is not None:
            met = "✓" if numbers["project"] <= peer else "✗"
        lines.append("| " + " | ".join([label, hand or "–", *cells, target, met]) + " |")
    return "\n".join(lines)


def header(results: dict[str, dict]) -> str:
    """Machine and versions, one line per subject process."""
    lines = []
    for subject, result in results.items():
        if "unavailable" in result:
            continue
        versions = ", ".join(f"{k} {v}" for k, v in result["versions"].items())
        m = result["machine"]
        lines.append(f"- {SUBJECTS.get(subject, subject)}: {versions}; Python {m['python']}")
    first = next((r for r in results.values() if "machine" in r), None)
    if first:
        m = first["machine"]
        cfg = first["config"]
        lines.insert(
            0,
            f"- machine: {m['cpu']}, {m['cores']} cores, {m['system']}; "
            f"1 intra-op and 1 inter-op thread; warm-up then {cfg['reps']} repetitions",
        )
    return "\n".join(lines)
