"""Stage 2, TF2: rebuild the model eagerly, restore the TF1 checkpoint, fine-tune.

The model code is the same ``DigitsConvNet``. Two instances are built: the one
to fine-tune gets the scope ``digits_convnet``, a frozen copy gets the
uniquified ``digits_convnet_1``; ``snt.restore_from_checkpoint`` maps both onto
the checkpoint's ``digits_convnet/...`` keys (names relative to the module).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import tensorflow as tf
from digits_demo.data import Digits
from digits_demo.progress import train_loop

import sonnet as snt
from checkpoint_migration.model import DigitsConvNet

LEARNING_RATE = 0.01
BATCH_SIZE = 64


@dataclasses.dataclass
class Outcome:
    """What stage 2 found."""

    report: snt.RestoreReport
    frozen_scope: str
    identical: bool
    max_difference: float
    accuracy_before: float
    accuracy_after: float
    losses: list[float]


def accuracy(logits: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def run(checkpoint: str, writer_logits: np.ndarray, data: Digits, steps: int, seed: int) -> Outcome:
    """Restores ``checkpoint`` eagerly, compares with ``writer_logits``, fine-tunes ``steps``."""
    tf.random.set_seed(seed)
    model, frozen = DigitsConvNet(), DigitsConvNet()
    x_test = tf.constant(data.x_test)
    for module in (model, frozen):
        module(x_test[:1], is_training=False)  # connect: creates the variables
    report = snt.restore_from_checkpoint(model, checkpoint, strict=True)
    snt.restore_from_checkpoint(frozen, checkpoint, strict=True)

    @tf.function
    def predict(images: tf.Tensor) -> tf.Tensor:
        return model(images, is_training=False)

    eager_logits = model(x_test, is_training=False).numpy()
    function_logits = predict(x_test).numpy()
    identical = np.array_equal(eager_logits, writer_logits) and np.array_equal(
        function_logits, writer_logits
    )
    difference = float(np.max(np.abs(function_logits - writer_logits)))

    optimizer = tf.keras.optimizers.SGD(LEARNING_RATE, momentum=0.9)
    variables = list(model.trainable_variables)
    optimizer.build(variables)

    @tf.function
    def train_step(images: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            logits = model(images, is_training=True)
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
            )
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables, strict=True))
        return loss

    rng = np.random.default_rng(seed)

    def step(_: int) -> tf.Tensor:
        idx = rng.choice(len(data.y_train), BATCH_SIZE, replace=False)
        return train_step(tf.constant(data.x_train[idx]), tf.constant(data.y_train[idx]))

    losses = [loss for _, loss in train_loop(steps, "fine-tune (eager + tf.function)", step)]
    return Outcome(
        report=report,
        frozen_scope=frozen.scope_name,
        identical=identical,
        max_difference=difference,
        accuracy_before=accuracy(frozen(x_test, is_training=False).numpy(), data.y_test),
        accuracy_after=accuracy(predict(x_test).numpy(), data.y_test),
        losses=losses,
    )
