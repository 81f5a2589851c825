"""Model 3, recurrent: two ``snt.LSTM`` cores in an ``snt.DeepRNN`` with skip connections.

Each image is read row by row (8 steps of 8 pixels) with ``snt.dynamic_unroll``
inside a ``tf.function`` training step; with skip connections every LSTM sees
the input row and the DeepRNN's output is both LSTMs' outputs concatenated. A
``snt.Linear`` classifies the output of the last step.
"""

from __future__ import annotations

import pathlib
import time

import numpy as np
import tensorflow as tf

import sonnet as snt
from digits_demo import tf2_training
from digits_demo.data import NUM_CLASSES, Digits
from digits_demo.results import ModelResult, classification_samples, count_parameters
from digits_demo.strategy import check_variables, describe
from digits_demo.summaries import ScalarWriter

HIDDEN = 64
LEARNING_RATE = 3e-3
BATCH_SIZE = 64


class RowClassifier(snt.AbstractModule):
    """``[N, rows, cols]`` images -> ``[N, 10]`` logits, reading one row per step."""

    def __init__(self, hidden_size: int = HIDDEN, name: str = "row_classifier") -> None:
        super().__init__(name=name)
        with self._enter_variable_scope():
            self._core = snt.DeepRNN(
                [snt.LSTM(hidden_size, name="lstm_0"), snt.LSTM(hidden_size, name="lstm_1")],
                skip_connections=True,
                name="deep_rnn",
            )
            self._readout = snt.Linear(NUM_CLASSES, name="readout")

    def _build(self, images: tf.Tensor) -> tf.Tensor:
        rows = tf.transpose(images, [1, 0, 2])  # time-major: [rows, N, cols]
        state = self._core.initial_state(tf.shape(images)[0])
        outputs, _ = snt.dynamic_unroll(self._core, rows, state)
        return self._readout(outputs[-1])


def train(
    data: Digits,
    steps: int,
    logdir: pathlib.Path,
    seed: int,
    strategy: tf.distribute.Strategy,
) -> ModelResult:
    """Trains the classifier and evaluates its accuracy on the test split."""
    start = time.perf_counter()
    tf.random.set_seed(seed)
    with strategy.scope():
        model = RowClassifier()
        model(tf.constant(data.x_train[:2]))  # creates the variables
        optimizer = tf.keras.optimizers.Adam(LEARNING_RATE)
    distribution_note = check_variables(strategy, model.trainable_variables)

    def per_example_loss(images: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
        return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=model(images))

    writer = ScalarWriter(logdir)
    dataset = tf2_training.make_dataset(data.x_train, data.y_train, BATCH_SIZE, seed)
    losses = tf2_training.fit(
        strategy=strategy,
        per_example_loss=per_example_loss,
        variables=model.trainable_variables,
        optimizer=optimizer,
        dataset=dataset,
        batch_size=BATCH_SIZE,
        steps=steps,
        description="rnn (tf.function)",
        writer=writer,
    )
    predictions = tf.function(model)(tf.constant(data.x_test)).numpy().argmax(axis=1)
    accuracy = float(np.mean(predictions == data.y_test))
    writer.scalar("test/accuracy", accuracy, steps)
    writer.close()
    return ModelResult(
        model="rnn",
        mode="eager + tf.function" + describe(strategy),
        parameters=count_parameters(model.trainable_variables),
        metric="accuracy",
        value=accuracy,
        seconds=time.perf_counter() - start,
        losses=losses,
        samples=classification_samples(data.x_test, predictions, data.y_test),
        notes=[distribution_note] if distribution_note else [],
    )
