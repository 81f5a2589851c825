"""Hand-written TensorFlow: the reference every subject is timed against.

Eager and ``tf.function``: ``tf.Variable`` plus ops. Graph mode:
``tf.compat.v1.get_variable`` inside ``tf.compat.v1.make_template``. The maths
matches Sonnet 1 (an LSTM is one matmul over ``concat([x, h])``, forget bias 1, its
gate bias initialized like its weights).
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


Params = list[tuple[tf.Variable, tf.Variable]]


def variables(fan_in: int, sizes: list[int], seed: int = 0) -> Params:
    """``(w, b)`` per layer, ``w`` scaled by ``1/sqrt(fan_in)``."""
    rng = np.random.default_rng(seed)
    params = []
    for size in sizes:
        w = rng.normal(scale=1 / math.sqrt(fan_in), size=(fan_in, size)).astype(np.float32)
        params.append((tf.Variable(w), tf.Variable(np.zeros(size, np.float32))))
        fan_in = size
    return params


def mlp(params: Params, x: tf.Tensor) -> tf.Tensor:
    for i, (w, b) in enumerate(params):
        x = tf.matmul(x, w) + b
        if i < len(params) - 1:
            x = tf.nn.relu(x)
    return x


def lstm_step(w: tf.Tensor, b: tf.Tensor, x: tf.Tensor, state: tuple) -> tuple:
    """One LSTM step; ``state`` is ``(hidden, cell)``."""
    hidden, cell = state
    gates = tf.matmul(tf.concat([x, hidden], axis=1), w) + b
    i, j, f, o = tf.split(gates, 4, axis=1)
    cell = tf.sigmoid(f + 1.0) * cell + tf.sigmoid(i) * tf.tanh(j)
    hidden = tf.tanh(cell) * tf.sigmoid(o)
    return hidden, (hidden, cell)


def _get_linear(
    fan_in: int, size: int, bias_like_w: bool = False
) -> tuple[tf.Variable, tf.Variable]:
    """``w`` truncated normal with stddev ``1/sqrt(fan_in)``; ``b`` zeros or, as
    Sonnet 1's LSTM initializes its gate bias, the same as ``w``."""
    init = v1.truncated_normal_initializer(stddev=1 / math.sqrt(fan_in))
    w = v1.get_variable("w", [fan_in, size], initializer=init)
    b = v1.get_variable("b", [size], initializer=init if bias_like_w else tf.zeros_initializer())
    return w, b


def template_mlp(sizes: list[int]):
    """A graph-mode MLP: connect it any number of times, it shares its variables."""

    def build(x):
        fan_in = x.shape[-1]
        for i, size in enumerate(sizes):
            with v1.variable_scope(f"linear_{i}"):
                w, b = _get_linear(fan_in, size)
            x = tf.matmul(x, w) + b
            if i < len(sizes) - 1:
                x = tf.nn.relu(x)
            fan_in = size
        return x

    return v1.make_template("mlp", build)


class TemplateDeepLSTM:
    """A stack of LSTMs as a ``dynamic_rnn`` cell: state/output sizes plus a template."""

    def __init__(self, size: int, layers: int) -> None:
        self.state_size = tuple((size, size) for _ in range(layers))
        self.output_size = size
        self._size = size
        self._step = v1.make_template("deep_lstm", self._build)

    def _build(self, x, state):
        next_state = []
        for k, layer_state in enumerate(state):
            with v1.variable_scope(f"lstm_{k}"):
                w, b = _get_linear(x.shape[-1] + self._size, 4 * self._size, bias_like_w=True)
            x, layer_state = lstm_step(w, b, x, layer_state)
            next_state.append(layer_state)
        return x, tuple(next_state)

    def zero_state(self, batch_size, dtype=tf.float32):
        return tuple(
            (tf.zeros([batch_size, h], dtype), tf.zeros([batch_size, c], dtype))
            for h, c in self.state_size
        )

    def __call__(self, x, state):
        return self._step(x, state)


# -- convolutional network (3×3 convolutions, SAME padding, ReLU between layers) ----


def conv_variables(in_channels: int, channels: list[int], kernel: int, seed: int = 0) -> Params:
    """``(w, b)`` per layer, ``w`` of shape [k, k, in, out] scaled by ``1/sqrt(fan_in)``."""
    rng = np.random.default_rng(seed)
    params = []
    for out in channels:
        fan_in = kernel * kernel * in_channels
        w = rng.normal(scale=1 / math.sqrt(fan_in), size=(kernel, kernel, in_channels, out))
        params.append((tf.Variable(w.astype(np.float32)), tf.Variable(np.zeros(out, np.float32))))
        in_channels = out
    return params


def convnet(params: Params, x: tf.Tensor) -> tf.Tensor:
    for i, (w, b) in enumerate(params):
        x = tf.nn.bias_add(tf.nn.convolution(x, w, padding="SAME"), b)
        if i < len(params) - 1:
            x = tf.nn.relu(x)
    return x


def template_convnet(channels: list[int], kernel: int):
    """A graph-mode ConvNet: Sonnet 1's Conv2D initializers, shared across connections."""

    def build(x):
        in_channels = x.shape[-1]
        for i, out in enumerate(channels):
            with v1.variable_scope(f"conv_{i}"):
                fan_in = kernel * kernel * in_channels
                init = v1.truncated_normal_initializer(stddev=1 / math.sqrt(fan_in))
                w = v1.get_variable("w", [kernel, kernel, in_channels, out], initializer=init)
                b = v1.get_variable("b", [out], initializer=tf.zeros_initializer())
            x = tf.nn.bias_add(tf.nn.convolution(x, w, padding="SAME"), b)
            if i < len(channels) - 1:
                x = tf.nn.relu(x)
            in_channels = out
        return x

    return v1.make_template("convnet", build)


# -- unrolling with tf.while_loop (what snt.dynamic_unroll does, by hand) ------------


def deep_lstm_step(params: Params, x: tf.Tensor, state: tuple) -> tuple:
    """One step of stacked LSTMs; ``state`` holds one ``(hidden, cell)`` per layer."""
    next_state = []
    for (w, b), layer_state in zip(params, state, strict=True):
        x, layer_state = lstm_step(w, b, x, layer_state)
        next_state.append(layer_state)
    return x, tuple(next_state)


def while_unroll(step, inputs: tf.Tensor, state) -> tuple[tf.Tensor, object]:
    """``step`` over the time-major ``inputs`` with a ``tf.while_loop``: (outputs, state)."""
    steps = tf.shape(inputs)[0]
    element = inputs.shape[1:]
    input_array = tf.TensorArray(inputs.dtype, size=steps, element_shape=element).unstack(inputs)
    output_array = tf.TensorArray(inputs.dtype, size=steps, element_shape=element)

    def body(t, outputs, state):
        output, state = step(input_array.read(t), state)
        return t + 1, outputs.write(t, output), state

    _, output_array, state = tf.while_loop(
        lambda t, *_: t < steps, body, (tf.constant(0), output_array, state)
    )
    return output_array.stack(), state


# -- build cost (issue 22): variables from TensorFlow initializers, a large conv model --


def tf_variables(fan_in: int, sizes: list[int]) -> Params:
    """``(w, b)`` per layer, ``w`` truncated normal ``1/sqrt(fan_in)`` (a TF op, as a module's
    initializer runs it), ``b`` zeros: the variable creation a first call pays for."""
    params = []
    for size in sizes:
        w = tf.random.truncated_normal([fan_in, size], stddev=1 / math.sqrt(fan_in))
        params.append((tf.Variable(w), tf.Variable(tf.zeros([size]))))
        fan_in = size
    return params


def template_conv_bn(units: int, channels: int, kernel: int):
    """Sonnet 1's video-model unit ``units`` times: Conv3D (no bias, SAME) → BatchNorm with
    ``is_training=False, test_local_stats=False`` (moving statistics, offset only) → ReLU."""
    moving = dict(
        trainable=False,
        collections=[v1.GraphKeys.MOVING_AVERAGE_VARIABLES, v1.GraphKeys.GLOBAL_VARIABLES],
    )

    def build(x):
        for i in range(units):
            in_channels = x.shape[-1]
            with v1.variable_scope(f"conv_3d_{i}"):
                fan_in = kernel**3 * in_channels
                init = v1.truncated_normal_initializer(stddev=1 / math.sqrt(fan_in))
                shape = [kernel] * 3 + [in_channels, channels]
                w = v1.get_variable("w", shape, initializer=init)
            x = tf.nn.convolution(x, w, padding="SAME")
            with v1.variable_scope(f"batch_norm_{i}"):
                stats = [1, 1, 1, 1, channels]
                zeros, ones = tf.zeros_initializer(), tf.ones_initializer()
                mm = v1.get_variable("moving_mean", stats, initializer=zeros, **moving)
                mv = v1.get_variable("moving_variance", stats, initializer=ones, **moving)
                beta = v1.get_variable("beta", stats, initializer=zeros)
            x = tf.nn.batch_normalization(x, tf.identity(mm), tf.identity(mv), beta, None, 1e-3)
            x = tf.nn.relu(x)
        return x

    return v1.make_template("video_net", build)
