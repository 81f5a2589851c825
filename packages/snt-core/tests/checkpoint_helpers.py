"""Sonnet 1 style programs that write name-based checkpoints, for the restore tests.

Everything here uses snt-core only (modules written with
``tf.compat.v1.get_variable``), so the tests run with snt-core alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import pathlib

import numpy as np
import tensorflow as tf
from core_test_modules import Affine

import sonnet as snt

v1 = tf.compat.v1
IN, HIDDEN, OUT = 4, 5, 3
INPUTS = np.random.default_rng(7).normal(size=[6, IN]).astype(np.float32)


class Net(snt.AbstractModule):
    """relu(x @ w0 + b0) @ w1 + b1, in Sonnet 1 naming: ``net/dense_0/w`` ... ``net/dense_1/b``.

    ``extra=True`` adds a third layer (``extra/w``, ``extra/b``); ``random=True``
    draws the initial weights (the writer), otherwise they are ones and zeros.
    """

    def __init__(self, extra: bool = False, random: bool = False, name: str = "net"):
        super().__init__(name=name)
        self._extra = extra
        self._init = {"w": v1.truncated_normal_initializer(stddev=0.5)} if random else None

    def _build(self, x):
        h = tf.nn.relu(Affine(HIDDEN, initializers=self._init, name="dense_0")(x))
        y = Affine(OUT, initializers=self._init, name="dense_1")(h)
        if self._extra:
            y = Affine(OUT, name="extra")(y)
        return y


def net_reference(values: dict[str, np.ndarray], prefix: str, x: np.ndarray) -> np.ndarray:
    """NumPy forward pass of :class:`Net` from checkpoint values under ``prefix``."""
    h = np.maximum(x @ values[prefix + "dense_0/w"] + values[prefix + "dense_0/b"], 0)
    return h @ values[prefix + "dense_1/w"] + values[prefix + "dense_1/b"]


class VideoNorm(snt.AbstractModule):
    """Batch-norm inference on ``[B, T, H, W, C]`` with Sonnet 1.36's ``[1, 1, 1, 1, C]``
    statistics (``moving_mean``, ``moving_variance``, non-trainable) and offset ``beta``."""

    def __init__(self, name: str = "batch_norm"):
        super().__init__(name=name)

    def _build(self, x):
        shape = [1, 1, 1, 1, int(x.shape[-1])]
        mean = v1.get_variable(
            "moving_mean", shape, initializer=tf.zeros_initializer(), trainable=False
        )
        var = v1.get_variable(
            "moving_variance", shape, initializer=tf.ones_initializer(), trainable=False
        )
        beta = v1.get_variable("beta", shape, initializer=tf.zeros_initializer())
        return (x - mean) * tf.math.rsqrt(var + 1e-3) + beta


@dataclasses.dataclass
class Written:
    """A checkpoint written by :func:`write_net_checkpoint`."""

    path: str
    outputs: dict[str, np.ndarray]  # outer scope -> the writer's Net outputs on INPUTS
    values: dict[str, np.ndarray]  # checkpoint key -> value

    def keys(self) -> set[str]:
        return set(self.values)


def read_all(path: str) -> dict[str, np.ndarray]:
    reader = tf.train.load_checkpoint(path)
    return {k: reader.get_tensor(k) for k in reader.get_variable_to_shape_map()}


def write_net_checkpoint(
    directory: pathlib.Path,
    scopes: tuple[str, ...] = ("",),
    optimizer: str = "momentum",
    extra: bool = False,
    steps: int = 3,
) -> Written:
    """A TF1 graph program: one :class:`Net` named ``net`` under each outer scope in
    ``scopes`` ("" for none), trained ``steps`` steps, saved with a plain ``Saver``
    (so with the optimizer's slots and ``global_step``)."""
    with tf.Graph().as_default():
        v1.set_random_seed(1)
        x = v1.placeholder(tf.float32, [None, IN])
        target = v1.placeholder(tf.float32, [None, OUT])
        outputs = {}
        for scope in scopes:
            with v1.variable_scope(scope) if scope else contextlib.nullcontext():
                outputs[scope] = Net(extra=extra, random=True, name="net")(x)
        loss = tf.add_n([tf.reduce_mean((y - target) ** 2) for y in outputs.values()])
        step = v1.train.get_or_create_global_step()
        opt = (
            v1.train.MomentumOptimizer(0.1, 0.9)
            if optimizer == "momentum"
            else v1.train.AdamOptimizer(0.01)
        )
        train = opt.minimize(loss, global_step=step)
        rng = np.random.default_rng(3)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for _ in range(steps):
                feed = {
                    x: rng.normal(size=[8, IN]).astype(np.float32),
                    target: rng.normal(size=[8, OUT]).astype(np.float32),
                }
                sess.run(train, feed)
            values = sess.run(outputs, {x: INPUTS})
            path = v1.train.Saver().save(sess, str(directory / "model.ckpt"))
    return Written(path, values, read_all(path))


def write_variables(directory: pathlib.Path, values: dict[str, np.ndarray], name="model.ckpt"):
    """A checkpoint holding exactly ``values`` (key -> array), written by a TF1 Saver."""
    with tf.Graph().as_default():
        variables = [v1.get_variable(k, initializer=tf.constant(v)) for k, v in values.items()]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            return v1.train.Saver(variables).save(sess, str(directory / name))


def restore(mode, module, path, **kwargs):
    """``snt.restore_from_checkpoint`` in the test's mode: in graph mode after the
    initializer, running the op in the mode's session."""
    if mode.eager:
        return snt.restore_from_checkpoint(module, path, **kwargs)
    mode.initialize()
    return snt.restore_from_checkpoint(module, path, session=mode.session(), **kwargs)


# Factories for ``python -m sonnet checkpoint --module checkpoint_helpers:<name>``.


def connected_net():
    """A connected :class:`Net`."""
    net = Net()
    net(tf.constant(INPUTS))
    return net


def net_and_inputs():
    """An unconnected :class:`Net` with an extra layer, and inputs to connect it with."""
    return Net(extra=True), INPUTS


def placeholder_net():
    """A :class:`Net` connected to a placeholder (needs ``--graph``)."""
    net = Net()
    net(v1.placeholder(tf.float32, [None, IN]))
    return net


def video_norm():
    return VideoNorm(name="norm"), np.zeros([1, 2, 2, 2, 3], np.float32)


def unconnected_net():
    return Net()


def not_a_module():
    return 42
