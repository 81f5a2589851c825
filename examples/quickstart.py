"""Quick start: one Sonnet model trained in graph mode and in eager mode.

A placeholder for the full demo (see the demo issue): fits a small
``snt.nets.MLP`` to a fixed synthetic regression problem, first Sonnet 1 style
(placeholders, a ``tf.compat.v1.Session``), then TF2 style (eager model and a
``tf.function`` training step), and prints the loss before and after.

Run: ``nox -s demo`` (or ``python examples/quickstart.py`` with the packages
installed).
"""

from __future__ import annotations

import numpy as np
import sonnet as snt
import tensorflow as tf

STEPS = 300
RNG = np.random.default_rng(0)
X = RNG.normal(size=(256, 4)).astype(np.float32)
Y = (np.sin(X[:, :1]) + 0.5 * X[:, 1:2] * X[:, 2:3]).astype(np.float32)


def graph_mode() -> tuple[float, float]:
    with tf.Graph().as_default():
        tf.compat.v1.set_random_seed(0)
        x = tf.compat.v1.placeholder(tf.float32, [None, 4])
        y = tf.compat.v1.placeholder(tf.float32, [None, 1])
        mlp = snt.nets.MLP([32, 32, 1])
        loss = tf.reduce_mean((mlp(x) - y) ** 2)
        train = tf.compat.v1.train.AdamOptimizer(0.01).minimize(loss)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            feed = {x: X, y: Y}
            before = sess.run(loss, feed)
            for _ in range(STEPS):
                sess.run(train, feed)
            return float(before), float(sess.run(loss, feed))


def eager_mode() -> tuple[float, float]:
    tf.random.set_seed(0)
    mlp = snt.nets.MLP([32, 32, 1])
    opt = tf.keras.optimizers.Adam(0.01)

    def loss_fn() -> tf.Tensor:
        return tf.reduce_mean((mlp(X) - Y) ** 2)

    @tf.function
    def step() -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = loss_fn()
        grads = tape.gradient(loss, mlp.trainable_variables)
        opt.apply_gradients(zip(grads, mlp.trainable_variables, strict=True))
        return loss

    before = float(loss_fn())
    for _ in range(STEPS):
        step()
    return before, float(loss_fn())


if __name__ == "__main__":
    for mode, run in [("graph (Session)", graph_mode), ("eager + tf.function", eager_mode)]:
        before, after = run()
        print(f"{mode:22s} MSE before {before:.4f} after {after:.4f}")
        if not after < 0.5 * before:
            raise SystemExit(f"{mode}: training did not reduce the loss enough")
