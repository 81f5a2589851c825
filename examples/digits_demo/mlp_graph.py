"""Model 1, Sonnet 1 style: an ``snt.nets.MLP`` classifier in graph mode.

Placeholders, a ``tf.compat.v1.Session``, and L2 weight regularizers given in
the module's ``regularizers`` dict; Sonnet adds their losses to the
``REGULARIZATION_LOSSES`` collection, which the training loss sums.
"""

from __future__ import annotations

import pathlib
import time

import tensorflow as tf

import sonnet as snt
from digits_demo.data import NUM_CLASSES, BatchSampler, Digits
from digits_demo.progress import train_loop
from digits_demo.results import ModelResult, classification_samples, count_parameters

HIDDEN = (128,)
L2_SCALE = 1e-4
LEARNING_RATE = 3e-3
BATCH_SIZE = 64


def train(data: Digits, steps: int, logdir: pathlib.Path, seed: int) -> ModelResult:
    """Builds the graph, trains ``steps`` minibatches, evaluates on the test split."""
    start = time.perf_counter()
    with tf.Graph().as_default() as graph:
        tf.compat.v1.set_random_seed(seed)
        images = tf.compat.v1.placeholder(tf.float32, [None, 64], name="images")
        labels = tf.compat.v1.placeholder(tf.int32, [None], name="labels")
        mlp = snt.nets.MLP(
            [*HIDDEN, NUM_CLASSES],
            regularizers={"w": snt.regularizers.l2(L2_SCALE)},
            name="mlp",
        )
        logits = mlp(images)
        xent = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        )
        reg_losses = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
        if len(reg_losses) != len(HIDDEN) + 1:
            raise RuntimeError(f"expected one regularization loss per layer, got {reg_losses}")
        loss = xent + tf.add_n(reg_losses)
        predictions = tf.argmax(logits, axis=1, output_type=tf.int32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predictions, labels), tf.float32))
        train_op = tf.compat.v1.train.AdamOptimizer(LEARNING_RATE).minimize(loss)
        summaries = tf.compat.v1.summary.merge(
            [
                tf.compat.v1.summary.scalar("loss", loss),
                tf.compat.v1.summary.scalar("regularization", tf.add_n(reg_losses)),
            ]
        )
        parameters = count_parameters(mlp.get_all_variables())
        writer = tf.compat.v1.summary.FileWriter(str(logdir), graph)
        sampler = BatchSampler(len(data.y_train), BATCH_SIZE, seed)
        x_train, y_train = data.flat_train, data.y_train
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())

            def step(i: int) -> float:
                idx = sampler.next()
                feed = {images: x_train[idx], labels: y_train[idx]}
                if i % 10 == 0:
                    _, value, summary = sess.run([train_op, loss, summaries], feed)
                    writer.add_summary(summary, i)
                    return value
                return sess.run([train_op, loss], feed)[1]

            losses = [loss_value for _, loss_value in train_loop(steps, "mlp (graph)", step)]
            test_feed = {images: data.flat_test, labels: data.y_test}
            test_accuracy, test_predictions = sess.run([accuracy, predictions], test_feed)
        writer.add_summary(_scalar_summary("test/accuracy", test_accuracy), steps)
        writer.close()
    return ModelResult(
        model="mlp",
        mode="graph + Session",
        parameters=parameters,
        metric="accuracy",
        value=float(test_accuracy),
        seconds=time.perf_counter() - start,
        losses=losses,
        samples=classification_samples(data.x_test, test_predictions, data.y_test),
        notes=[f"{len(reg_losses)} L2 losses from REGULARIZATION_LOSSES in the objective"],
    )


def _scalar_summary(tag: str, value: float) -> tf.compat.v1.Summary:
    """A scalar ``Summary`` protocol buffer (no graph op needed)."""
    return tf.compat.v1.Summary(value=[tf.compat.v1.Summary.Value(tag=tag, simple_value=value)])
