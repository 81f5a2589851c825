"""Connecting any exported module prints nothing the user did not cause.

Every plugin hands core one ``ConformanceCase`` per exported module (the
``snt_conformance_cases`` hook, read through ``snt.plugins.conformance_cases()``).
A fresh interpreter builds each case in ``tf.compat.v1`` graph mode (connect twice,
initialise, run), in eager mode (call twice) and inside ``tf.function``, while
recording Python warnings (``simplefilter("always")``) and every record of
WARNING or above that reaches TensorFlow's logger, absl's logger or the root
logger (TensorFlow's deprecation notices go through ``tf.get_logger()``).

A fresh interpreter matters: TensorFlow prints most deprecation notices once per
process, so a test run that had already triggered one would hide it here.
"""

from __future__ import annotations

import json

#: The plugins whose modules are checked: the first-party ones and the example plugin
#: users copy (the fixtures under tests/fixtures misbehave on purpose).
PLUGINS = "snt-nets,snt-rnn,snt-transpose,snt-plugin-example"

PROBE = r"""
import json, logging, warnings

import tensorflow as tf
import sonnet as snt

records = []


class Capture(logging.Handler):
    def emit(self, record):
        entry = [CURRENT[0], record.name, record.getMessage()[:500]]
        if entry not in records:  # a record propagating to the root logger comes twice
            records.append(entry)


CURRENT = ["import"]
handler = Capture(level=logging.WARNING)
for logger in {tf.get_logger(), logging.getLogger("absl"), logging.getLogger()}:
    logger.addHandler(handler)


def run(label, fn):
    CURRENT[0] = label
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    for w in caught:
        records.append([label, w.category.__name__, f"{w.filename}:{w.lineno}: {w.message}"])


def graph(case):
    with tf.Graph().as_default():
        module = case.create()
        inputs = case.inputs()
        outputs = [module(*inputs, **case.kwargs), module(*inputs, **case.kwargs)]
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            sess.run(outputs)


def eager(case):
    module = case.create()
    inputs = case.inputs()
    module(*inputs, **case.kwargs)
    module(*inputs, **case.kwargs)
    tf.function(lambda *a: module(*a, **case.kwargs))(*inputs)


def unrolled_lstm():
    lstm = snt.LSTM(4)
    inputs = tf.ones([3, 2, 5])  # time-major
    snt.dynamic_unroll(lstm, inputs, lstm.initial_state(2))
    snt.static_unroll(lstm, inputs, lstm.initial_state(2))


def bayes_by_backprop():
    bbb = snt.custom_getters.bayes_by_backprop
    lin = snt.Linear(3, custom_getter=bbb.bayes_by_backprop_getter())
    lin(tf.ones([2, 4]))
    bbb.get_total_kl_cost()


def saver_and_regularizers():
    mlp = snt.nets.MLP([4, 2], regularizers={"w": snt.regularizers.l2(0.1)})
    mlp(tf.ones([2, 3]))
    snt.get_saver(mlp)
    snt.format_variables(mlp.get_all_variables())


# Public helpers beyond module connections, in graph mode (where TF1 APIs warn).
EXTRAS = {"snt.dynamic_unroll": unrolled_lstm, "bayes_by_backprop": bayes_by_backprop,
          "get_saver/regularizers": saver_and_regularizers}

names = []
for name, fn in EXTRAS.items():
    names.append(name)
    def in_graph(fn=fn):
        with tf.Graph().as_default():
            fn()
    run(f"{name} (graph)", in_graph)
for case, info in snt.plugins.conformance_cases():
    names.append(case.name)
    run(f"{case.name} (graph)", lambda: graph(case))
    tf.compat.v1.reset_default_graph()
    run(f"{case.name} (eager, tf.function)", lambda: eager(case))
print("PROBE" + json.dumps({"cases": names, "records": records}))
"""


def test_connecting_every_exported_module_emits_no_warning(run_python):
    proc = run_python(PROBE, SNT_PLUGINS=PLUGINS)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("PROBE")]
    assert proc.returncode == 0 and lines, f"probe failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    out = json.loads(lines[-1][len("PROBE") :])
    # The probe itself makes one tf.function per case from the same lambda, which
    # TensorFlow reports as frequent retracing of that lambda; nothing else is excused.
    ours = "calls to <function eager.<locals>.<lambda>"
    records = [r for r in out["records"] if ours not in r[2]]
    # Every first-party plugin and the example handed over cases (or nothing was checked).
    expected = {"Linear", "LSTM", "Conv2DTranspose", "contrib.GatedLinearUnit", "bayes_by_backprop"}
    assert expected <= set(out["cases"])
    assert records == [], "\n".join(" | ".join(r) for r in records)
