"""A Sonnet 1 program, written as Sonnet 1 code was: TF1 graph mode, legacy imports.

Run by test_sonnet1_program.py in a fresh interpreter; prints one JSON line of
results. Nothing here is specific to this project except the first import line.
"""

# ruff: noqa: E402
import json
import os
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

import sonnet as snt
from sonnet.python.modules import (
    base,
    base_errors,
    basic,
    basic_rnn,
    conv,
    gated_rnn,
    nets,
    sequential,
    util,
)
from sonnet.python.ops import nest

results = {}


class SequenceClassifier(base.AbstractModule):
    """Embeds with a Linear, runs an LSTM with dynamic_rnn, reads out with an MLP."""

    def __init__(self, hidden_size, num_classes, name="sequence_classifier"):
        super(SequenceClassifier, self).__init__(name=name)  # noqa: UP008 (Sonnet 1 style)
        self._hidden_size = hidden_size
        self._num_classes = num_classes
        with self._enter_variable_scope():
            self._embed = basic.BatchApply(basic.Linear(8, name="embed"))
            self._core = gated_rnn.LSTM(hidden_size)
            self._readout = nets.MLP([16, num_classes], name="readout")

    def _build(self, inputs):
        batch_size = tf.shape(inputs)[0]
        embedded = self._embed(inputs)
        state = self._core.initial_state(batch_size)
        outputs, final_state = tf.nn.dynamic_rnn(
            self._core, embedded, initial_state=state, time_major=False
        )
        flat_state = nest.flatten(final_state)
        return self._readout(flat_state[0]), outputs


inputs = tf.placeholder(tf.float32, [None, 5, 3])
labels = tf.placeholder(tf.int32, [None])
model = SequenceClassifier(hidden_size=12, num_classes=2)

try:
    model.get_variables()
    results["not_connected_error"] = False
except base_errors.NotConnectedError:
    results["not_connected_error"] = True

logits, _ = model(inputs)
logits_again, _ = model(inputs)  # shares variables
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train_op = tf.train.AdamOptimizer(0.05).minimize(loss)

variables = util.get_variables_in_module(model)
results["variable_names"] = sorted(v.op.name for v in variables)
results["format_variables"] = "sequence_classifier/lstm/w_gates" in util.format_variables(variables)

# Constants and modules through the other legacy paths.
conv_net = sequential.Sequential(
    [conv.Conv2D(4, 3, padding=conv.SAME), basic.BatchFlatten(), basic.Linear(2)]
)
image_out = conv_net(tf.ones([2, 6, 6, 1]))
results["conv_constants"] = [conv.SAME, sorted(conv.SUPPORTED_2D_DATA_FORMATS), util.SUPPORTED]
results["rnn_paths"] = basic_rnn.VanillaRNN is snt.VanillaRNN and gated_rnn.GRU is snt.GRU

# Custom getters: stop_gradient through a Context, non_trainable, Bayes by Backprop.
ctx = snt.custom_getters.Context(snt.custom_getters.stop_gradient)
frozen = basic.Linear(3, custom_getter=ctx, name="frozen")
free_out = frozen(tf.ones([1, 2]))
with ctx:
    frozen_out = frozen(tf.ones([1, 2]))
frozen_w = [v for v in frozen.get_variables() if v.op.name == "frozen/w"][0]
results["context"] = [
    tf.gradients(free_out, frozen_w)[0] is not None,
    tf.gradients(frozen_out, frozen_w)[0] is None,
]
fixed = basic.Linear(3, custom_getter=snt.custom_getters.non_trainable, name="fixed")
fixed(tf.ones([1, 2]))
results["non_trainable"] = [
    len(fixed.get_variables(tf.GraphKeys.GLOBAL_VARIABLES)),
    len(fixed.get_variables()),
]

bbb = snt.custom_getters.bayes_by_backprop
bayes = nets.MLP([4, 1], custom_getter=bbb.bayes_by_backprop_getter(), name="bayes")
bayes_a, bayes_b = bayes(tf.ones([1, 2])), bayes(tf.ones([1, 2]))
kl = bbb.get_total_kl_cost()
scaled = snt.scale_gradient(snt.clip_gradient(logits, -0.1, 0.1), 0.5)
scaled_grad = tf.gradients(scaled, inputs)[0]

rng = np.random.RandomState(0)
data = rng.randn(32, 5, 3).astype(np.float32)
targets = (data[:, :, 0].sum(axis=1) > 0).astype(np.int32)
saver = util.get_saver(model)
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    feed = {inputs: data, labels: targets}
    first = session.run(loss, feed)
    for _ in range(60):
        session.run(train_op, feed)
    last = session.run(loss, feed)
    a, b = session.run([logits, logits_again], feed)
    results["loss"] = [float(first), float(last)]
    results["shared"] = bool(np.allclose(a, b))
    results["image_shape"] = list(session.run(image_out).shape)
    sample_a, sample_b, kl_value = session.run([bayes_a, bayes_b, kl])
    results["bbb_fresh_noise"] = not np.allclose(sample_a, sample_b)
    results["kl_finite"] = bool(np.isfinite(kl_value))
    results["scaled_grad_finite"] = bool(np.all(np.isfinite(session.run(scaled_grad, feed))))
    path = saver.save(session, os.path.join(tempfile.mkdtemp(), "model.ckpt"))
    before = session.run(variables[0])
    session.run(tf.variables_initializer(list(variables)))
    saver.restore(session, path)
    results["restored"] = bool(np.allclose(before, session.run(variables[0])))

print("RESULTS" + json.dumps(results))
