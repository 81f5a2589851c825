"""Stage 1, a Sonnet 1 program: TF1 graph mode, placeholders, a Session, a ``Saver``.

``python examples/checkpoint_migration/sonnet1_train.py --out DIR --steps N``
trains :class:`DigitsConvNet` with momentum SGD (BatchNorm moving averages
updated through ``UPDATE_OPS``), then writes under ``DIR``:

- ``sonnet1/model.ckpt-N.*``: the name-based checkpoint, with the optimizer's
  ``Momentum`` slots and ``global_step`` as a TF1 program saves them;
- ``writer_logits.npy``: the trained model's test logits (``is_training=False``),
  which the second process must reproduce exactly.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()  # the whole process runs as TensorFlow 1 did

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # examples/

from digits_demo.data import BatchSampler, load  # noqa: E402
from digits_demo.progress import train_loop  # noqa: E402

import sonnet as snt  # noqa: E402
from checkpoint_migration.model import DigitsConvNet  # noqa: E402

LEARNING_RATE = 0.05
MOMENTUM = 0.9
BATCH_SIZE = 64
SEED = 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sonnet 1 style training, saved with a Saver.")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--steps", type=int, default=400)
    args = parser.parse_args(argv)
    data = load(seed=SEED)
    tf.set_random_seed(SEED)
    images = tf.placeholder(tf.float32, [None, 8, 8], name="images")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    model = DigitsConvNet()
    train_logits = model(images, is_training=True)
    test_logits = model(images, is_training=False)
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=train_logits)
    )
    global_step = tf.train.get_or_create_global_step()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.MomentumOptimizer(LEARNING_RATE, MOMENTUM).minimize(
            loss, global_step=global_step
        )
    correct = tf.equal(tf.argmax(test_logits, axis=1, output_type=tf.int32), labels)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    print(snt.format_variables(model.get_all_variables(tf.GraphKeys.GLOBAL_VARIABLES)))
    saver = tf.train.Saver()
    sampler = BatchSampler(len(data.y_train), BATCH_SIZE, SEED)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def step(_: int) -> float:
            idx = sampler.next()
            feed = {images: data.x_train[idx], labels: data.y_train[idx]}
            return sess.run([train_op, loss], feed)[1]

        for _ in train_loop(args.steps, "sonnet1 (TF1 graph + Session)", step):
            pass
        test_feed = {images: data.x_test, labels: data.y_test}
        logits, test_accuracy = sess.run([test_logits, accuracy], test_feed)
        path = saver.save(sess, str(args.out / "sonnet1" / "model.ckpt"), global_step=global_step)
    np.save(args.out / "writer_logits.npy", logits)
    print(f"sonnet1: test accuracy {test_accuracy:.1%}; saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
