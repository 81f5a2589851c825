"""Shared by the subprocess scripts: deterministic models and data, no TF device setup.

Imported by path from the scripts (they run as ``python scripts/<name>.py``),
never by pytest. Initial values come from a closed-form initializer, not a
random generator, so two processes (or a strategy and a single device) build
bit-identical starting points without sharing any state.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

GLOBAL_BATCH = 8
LR = 0.1
TIME = 3


def det_init(salt: float):
    """An initializer whose values depend only on the shape and ``salt``."""

    def init(shape, dtype=tf.float32, partition_info=None):
        n = int(np.prod(shape))
        return 0.3 * tf.sin(tf.reshape(tf.range(n, dtype=dtype) * 0.71 + salt, shape))

    return init


def data(shape: tuple[int, ...], salt: float) -> np.ndarray:
    n = int(np.prod(shape))
    return np.cos(np.arange(n, dtype=np.float32) * 0.37 + salt).reshape(shape).astype(np.float32)


def make(kind: str):
    """Returns ``(module, forward, inputs, targets)`` for one module kind.

    ``forward(module, x)`` maps a batch-major batch to a batch-major output.
    Must be called inside the intended strategy scope (if any).
    """
    import sonnet as snt

    if kind == "linear":
        module = snt.Linear(3, initializers={"w": det_init(0.1), "b": det_init(0.2)})
        x, out = data((GLOBAL_BATCH, 4), 0.0), (3,)
        forward = lambda m, x: m(x)  # noqa: E731
    elif kind == "mlp":
        module = snt.nets.MLP([5, 3], initializers={"w": det_init(0.3), "b": det_init(0.4)})
        x, out = data((GLOBAL_BATCH, 4), 1.0), (3,)
        forward = lambda m, x: m(x)  # noqa: E731
    elif kind == "conv2d":
        module = snt.Conv2D(2, 3, initializers={"w": det_init(0.5), "b": det_init(0.6)})
        x, out = data((GLOBAL_BATCH, 5, 5, 2), 2.0), (5, 5, 2)
        # Conv2D rejects NumPy arrays (it reads inputs.dtype.is_floating): pass a tensor.
        # 0.1 keeps plain SGD at LR from blowing up over 25 positions per example.
        forward = lambda m, x: 0.1 * m(tf.convert_to_tensor(x))  # noqa: E731
    elif kind == "lstm":
        module = snt.LSTM(4, initializers={"w_gates": det_init(0.7), "b_gates": det_init(0.8)})
        x, out = data((GLOBAL_BATCH, TIME, 2), 3.0), (TIME, 4)

        def forward(m, x):
            batch = tf.shape(x)[0]
            outputs, _ = snt.dynamic_unroll(
                m, tf.transpose(x, [1, 0, 2]), m.initial_state(batch), time_major=True
            )
            return tf.transpose(outputs, [1, 0, 2])

    else:
        raise ValueError(kind)
    targets = data((GLOBAL_BATCH, *out), 9.0)
    return module, forward, x, targets


def loss_sum(module, forward, x, y):
    """Sum of per-example losses, divided by the *global* batch size."""
    return tf.reduce_sum((forward(module, x) - y) ** 2) / GLOBAL_BATCH


def relative(module, variable) -> str:
    """``linear_1/w:0`` of module ``linear_1`` -> ``w`` (eager scopes are uniquified)."""
    prefix = module.scope_name + "/"
    name = variable.name.split(":")[0]
    assert name.startswith(prefix), (name, prefix)
    return name[len(prefix) :]


def reference_run(kind: str, steps: int) -> dict[str, np.ndarray]:
    """Plain SGD on one device over the whole global batch; no strategy anywhere."""
    module, forward, x, y = make(kind)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = loss_sum(module, forward, x, y)
        variables = module.trainable_variables
        for v, g in zip(variables, tape.gradient(loss, variables), strict=True):
            v.assign_sub(LR * g)
    return {relative(module, v): v.numpy() for v in module.trainable_variables}


def initial_values(kind: str) -> dict[str, np.ndarray]:
    """The variables of a freshly connected ``kind`` module (single device)."""
    module, forward, x, _ = make(kind)
    forward(module, x[:1])
    return {relative(module, v): v.numpy() for v in module.trainable_variables}
