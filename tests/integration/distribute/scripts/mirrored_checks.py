"""MirroredStrategy over 2 logical CPUs vs one device; prints one JSON line.

Run in a fresh interpreter: logical devices must be configured before
TensorFlow initializes its runtime. For each module kind and each way of
driving it, reports whether its variables are mirrored, whether both replicas
hold equal values, and the largest difference to plain single-device SGD on
the same global batch.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import common  # noqa: E402  (after device setup, like every TF user)

KINDS = ("linear", "mlp", "conv2d", "lstm")
STEPS = 3
HALF = common.GLOBAL_BATCH // 2
SUM = tf.distribute.ReduceOp.SUM


def split(strategy, array):
    """Replica r gets rows [r*HALF, (r+1)*HALF) of the global batch."""

    def fn(ctx):
        r = ctx.replica_id_in_sync_group
        return tf.constant(array[r * HALF : (r + 1) * HALF])

    return strategy.experimental_distribute_values_from_function(fn)


def in_function(strategy, kind):
    """Built in the scope, first connected inside tf.function under strategy.run;
    gradients summed across replicas with strategy.reduce, SGD in cross-replica context."""
    with strategy.scope():
        module, forward, x, y = common.make(kind)

    def replica_grads(xs, ys):
        with tf.GradientTape() as tape:
            loss = common.loss_sum(module, forward, xs, ys)
        return tape.gradient(loss, module.trainable_variables)

    if kind == "lstm":
        # TensorFlow itself (no Sonnet involved) cannot differentiate through a
        # tf.while_loop in replica 1 when the variables are created by the same
        # trace (AddN shape [0] error); connect once in a forward-only
        # tf.function first. See docs/distribute-and-checkpoints.md.
        tf.function(lambda xs: strategy.run(forward, args=(module, xs)))(split(strategy, x))

    @tf.function
    def step(xs, ys):
        per_replica = strategy.run(replica_grads, args=(xs, ys))
        grads = [strategy.reduce(SUM, g, axis=None) for g in per_replica]
        for v, g in zip(module.trainable_variables, grads, strict=True):
            v.assign_sub(common.LR * g)

    xs, ys = split(strategy, x), split(strategy, y)
    for _ in range(STEPS):
        step(xs, ys)
    return module


def eager_keras(strategy, kind):
    """Connected eagerly in the scope first, then eager strategy.run steps (replica
    threads, replayed connections) with a Keras SGD that all-reduces the gradients."""
    with strategy.scope():
        module, forward, x, y = common.make(kind)
        forward(module, x[:1])
        opt = tf.keras.optimizers.SGD(common.LR)

    def replica_step(xs, ys):
        with tf.GradientTape() as tape:
            loss = common.loss_sum(module, forward, xs, ys)
        variables = module.trainable_variables
        opt.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))

    xs, ys = split(strategy, x), split(strategy, y)
    for _ in range(STEPS):
        strategy.run(replica_step, args=(xs, ys))
    return module


def report(strategy, module, reference, initial):
    variables = module.trainable_variables
    locals_ = {
        common.relative(module, v): [t.numpy() for t in strategy.experimental_local_results(v)]
        for v in variables
    }
    return {
        "names": sorted(locals_),
        "reference_names": sorted(reference),
        "types": sorted({type(v).__name__ for v in variables}),
        "replica_devices": sorted(
            {t.device for v in variables for t in strategy.experimental_local_results(v)}
        ),
        "replicas_max_diff": max(float(np.abs(a[0] - a[1]).max()) for a in locals_.values()),
        "max_diff": max(
            float(np.abs(locals_[n][0] - reference[n]).max()) for n in reference if n in locals_
        ),
        "moved": max(float(np.abs(reference[n] - initial[n]).max()) for n in reference),
    }


def checkpoint_to_single_device(strategy, module, kind):
    """A tf.train.Checkpoint of mirrored variables restores into a one-device module."""
    path = tf.train.Checkpoint(model=module).write(os.path.join(tempfile.mkdtemp(), "ckpt"))
    fresh, forward, x, _ = common.make(kind)
    status = tf.train.Checkpoint(model=fresh).read(path)
    forward(fresh, x[:1])  # deferred restore: values land as variables are created
    status.assert_consumed()
    want = {common.relative(module, v): v.numpy() for v in module.trainable_variables}
    got = {common.relative(fresh, v): v.numpy() for v in fresh.trainable_variables}
    assert sorted(got) == sorted(want), (sorted(got), sorted(want))
    return max(float(np.abs(got[n] - want[n]).max()) for n in want)


def main():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    results = {"num_replicas": strategy.num_replicas_in_sync}
    for kind in KINDS:
        reference = common.reference_run(kind, STEPS)
        initial = common.initial_values(kind)
        for mode, run in (("function", in_function), ("eager", eager_keras)):
            module = run(strategy, kind)
            results[f"{kind}/{mode}"] = report(strategy, module, reference, initial)
        results[f"{kind}/checkpoint"] = checkpoint_to_single_device(strategy, module, kind)
    print("RESULT" + json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
