"""One MultiWorkerMirroredStrategy worker (``TF_CONFIG`` from the environment), or
with ``--reference`` the single-process run on the concatenated batches.

Prints one ``RESULT{json}`` line: the final variables by module-relative name.
"""

from __future__ import annotations

import json
import sys

import common
import tensorflow as tf

STEPS = 3
KINDS = ("mlp", "lstm")
HALF = common.GLOBAL_BATCH // 2
SUM = tf.distribute.ReduceOp.SUM


def train(strategy, kind):
    with strategy.scope():
        module, forward, x, y = common.make(kind)
        if kind == "lstm":  # connected eagerly; the MLP is first connected in the step
            forward(module, x[:1])

    def per_worker(array):
        def fn(ctx):
            r = ctx.replica_id_in_sync_group
            return tf.constant(array[r * HALF : (r + 1) * HALF])

        return strategy.experimental_distribute_values_from_function(fn)

    def replica_grads(xs, ys):
        with tf.GradientTape() as tape:
            loss = common.loss_sum(module, forward, xs, ys)
        return tape.gradient(loss, module.trainable_variables)

    @tf.function
    def step(xs, ys):
        grads = strategy.run(replica_grads, args=(xs, ys))
        for v, g in zip(module.trainable_variables, grads, strict=True):
            v.assign_sub(common.LR * strategy.reduce(SUM, g, axis=None))

    xs, ys = per_worker(x), per_worker(y)
    for _ in range(STEPS):
        step(xs, ys)
    return {
        common.relative(module, v): {
            "value": v.numpy().tolist(),
            "type": type(v).__name__,
        }
        for v in module.trainable_variables
    }


def main():
    if "--reference" in sys.argv:
        out = {
            kind: {n: {"value": a.tolist()} for n, a in common.reference_run(kind, STEPS).items()}
            for kind in KINDS
        }
        print("RESULT" + json.dumps(out))
        return
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    out = {kind: train(strategy, kind) for kind in KINDS}
    out["num_replicas"] = strategy.num_replicas_in_sync
    out["task"] = strategy.cluster_resolver.task_id
    print("RESULT" + json.dumps(out))


if __name__ == "__main__":
    main()
