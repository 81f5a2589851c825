"""The TF2 training loop shared by the eager models.

A ``tf.function`` step running under ``strategy.run`` (the default strategy
when not distributed), per-example losses averaged over the global batch,
gradients applied by a Keras optimizer, the loss logged every 10 steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import tensorflow as tf

from digits_demo.progress import train_loop
from digits_demo.summaries import ScalarWriter

PerExampleLoss = Callable[[tf.Tensor, tf.Tensor], tf.Tensor]


def make_dataset(
    inputs: np.ndarray, targets: np.ndarray, batch_size: int, seed: int
) -> tf.data.Dataset:
    """Endless shuffled minibatches (seeded) of ``(inputs, targets)``."""
    return (
        tf.data.Dataset.from_tensor_slices((inputs, targets))
        .shuffle(len(inputs), seed=seed, reshuffle_each_iteration=True)
        .repeat()
        .batch(batch_size, drop_remainder=True)
        .prefetch(2)
    )


def fit(
    *,
    strategy: tf.distribute.Strategy,
    per_example_loss: PerExampleLoss,
    variables: Sequence[tf.Variable],
    optimizer: tf.keras.optimizers.Optimizer,
    dataset: tf.data.Dataset,
    batch_size: int,
    steps: int,
    description: str,
    writer: ScalarWriter,
) -> list[float]:
    """Trains ``variables`` for ``steps`` batches; returns the loss of every step.

    The model's variables must exist already (connect the modules once under
    ``strategy.scope()``), so that they are mirrored when distributed.
    """
    variables = list(variables)
    with strategy.scope():
        optimizer.build(variables)

    def replica_step(inputs: tf.Tensor, targets: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            losses = per_example_loss(inputs, targets)
            loss = tf.nn.compute_average_loss(losses, global_batch_size=batch_size)
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables, strict=True))
        return loss

    @tf.function
    def train_step(inputs: tf.Tensor, targets: tf.Tensor) -> tf.Tensor:
        per_replica = strategy.run(replica_step, args=(inputs, targets))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    batches = iter(strategy.experimental_distribute_dataset(dataset))
    losses = []
    for step, loss in train_loop(steps, description, lambda _: train_step(*next(batches))):
        losses.append(loss)
        if step % 10 == 0:
            writer.scalar("loss", loss, step)
    return losses
