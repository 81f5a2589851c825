"""snt.restore_from_checkpoint with snt-nets modules: an I3D-style Conv3D + BatchNorm model.

A TF1 graph program trains the model under ``RGB/inception_i3d`` and saves it
with a plain Saver (Sonnet 1.36's layout: BatchNorm statistics ``[1, 1, 1, 1, C]``
for 5-D inputs). A copy of its values with the statistics and ``beta`` stored as
``[C]`` stands for the checkpoints 2017 releases wrote. Both restore into the
model rebuilt in eager mode, a ``tf.function`` and a graph, bit-identically.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from sonnet.mode_testing import MODES, run_in_mode

v1 = tf.compat.v1
CHANNELS = (4, 6)
CLASSES = 3
VIDEO = np.random.default_rng(5).normal(size=[2, 3, 4, 4, 2]).astype(np.float32)
STATISTICS = ("batch_norm/beta", "batch_norm/moving_mean", "batch_norm/moving_variance")


class Unit3D(snt.AbstractModule):
    """I3D's unit: ``conv_3d`` (no bias), ``batch_norm``, relu."""

    def __init__(self, channels: int, name: str = "unit_3d"):
        super().__init__(name=name)
        self._channels = channels

    def _build(self, x, is_training):
        x = snt.Conv3D(self._channels, kernel_shape=[1, 3, 3], use_bias=False, name="conv_3d")(x)
        x = snt.BatchNorm()(x, is_training=is_training, test_local_stats=False)
        return tf.nn.relu(x)


class TinyI3D(snt.AbstractModule):
    """Two units and 1x1x1 logits, named like DeepMind's I3D (``Conv3d_1a_7x7``, ...)."""

    def __init__(self, name: str = "inception_i3d"):
        super().__init__(name=name)

    def _build(self, x, is_training):
        x = Unit3D(CHANNELS[0], name="Conv3d_1a_7x7")(x, is_training)
        x = Unit3D(CHANNELS[1], name="Conv3d_2b_1x1")(x, is_training)
        logits = snt.Conv3D(CLASSES, kernel_shape=1, name="Logits/Conv3d_0c_1x1")
        return tf.reduce_mean(logits(x), axis=[1, 2, 3])


@pytest.fixture(scope="module")
def sonnet136(tmp_path_factory):
    """(path, eval logits on VIDEO): a Sonnet 1.36-layout checkpoint from a graph program."""
    directory = tmp_path_factory.mktemp("i3d")
    with tf.Graph().as_default():
        v1.set_random_seed(0)
        x = v1.placeholder(tf.float32, [None, 3, 4, 4, 2])
        labels = v1.placeholder(tf.int32, [None])
        with v1.variable_scope("RGB"):
            model = TinyI3D()
            train_logits = model(x, is_training=True)
            eval_logits = model(x, is_training=False)
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=train_logits)
        )
        step = v1.train.get_or_create_global_step()
        with tf.control_dependencies(v1.get_collection(v1.GraphKeys.UPDATE_OPS)):
            train = v1.train.MomentumOptimizer(0.05, 0.9).minimize(loss, global_step=step)
        rng = np.random.default_rng(1)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for _ in range(4):
                video = rng.normal(size=[4, 3, 4, 4, 2]).astype(np.float32)
                sess.run(train, {x: video, labels: rng.integers(0, CLASSES, 4)})
            expected = sess.run(eval_logits, {x: VIDEO})
            path = v1.train.Saver().save(sess, str(directory / "model.ckpt"))
    return path, expected


@pytest.fixture(scope="module")
def sonnet2017(sonnet136, tmp_path_factory):
    """The same values with BatchNorm ``beta``/statistics stored as ``[C]`` (2017 layout)."""
    path, expected = sonnet136
    reader = tf.train.load_checkpoint(path)
    values = {k: reader.get_tensor(k) for k in reader.get_variable_to_shape_map()}
    values = {k: v.reshape(-1) if k.endswith(STATISTICS) else v for k, v in values.items()}
    assert values["RGB/inception_i3d/Conv3d_1a_7x7/batch_norm/moving_mean"].shape == (4,)
    with tf.Graph().as_default():
        variables = [v1.get_variable(k, initializer=tf.constant(v)) for k, v in values.items()]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            out = tmp_path_factory.mktemp("i3d_2017") / "model.ckpt"
            return v1.train.Saver(variables).save(sess, str(out)), expected


@pytest.fixture(params=MODES)
def mode(request):
    with run_in_mode(request.param) as runner:
        yield runner


def _restore(mode, model, path, **kwargs):
    if mode.eager:
        return snt.restore_from_checkpoint(model, path, **kwargs)
    mode.initialize()
    return snt.restore_from_checkpoint(model, path, session=mode.session(), **kwargs)


def test_sonnet136_layout_restores_bit_identically(mode, sonnet136):
    path, expected = sonnet136
    model = TinyI3D()
    model(tf.constant(VIDEO), is_training=False)
    report = _restore(mode, model, path, strict=True)
    assert report.prefix == "RGB/inception_i3d/" and report.reshaped == {}
    assert len(report.restored) == 2 * 4 + 2  # two units (w, beta, mean, variance), logits w, b
    assert "global_step" in report.optimizer_state
    assert "RGB/inception_i3d/Conv3d_1a_7x7/conv_3d/w/Momentum" in report.optimizer_state
    assert report.unexpected == () and report.outside_prefix == ()
    got = mode.evaluate(model(tf.constant(VIDEO), is_training=False))
    np.testing.assert_array_equal(got, expected)


def test_2017_layout_is_reshaped_into_5d_batch_norm(mode, sonnet2017):
    path, expected = sonnet2017
    model = TinyI3D()
    model(tf.constant(VIDEO), is_training=False)
    report = _restore(mode, model, path, prefix="RGB/inception_i3d/", strict=True)
    assert report.reshaped == {
        f"{unit}/{stat}": ((c,), (1, 1, 1, 1, c))
        for unit, c in zip(("Conv3d_1a_7x7", "Conv3d_2b_1x1"), CHANNELS, strict=True)
        for stat in STATISTICS
    }
    got = mode.evaluate(model(tf.constant(VIDEO), is_training=False))
    np.testing.assert_array_equal(got, expected)


def test_a_plain_saver_does_not_reconcile_the_2017_layout(sonnet2017):
    # The obstacle the function exists for. Sonnet 1.36's reference variables made
    # Saver.restore refuse these files; TF 2.21's resource variables accept them
    # unchecked, so the restored value no longer has the variable's declared shape.
    path, _ = sonnet2017
    with tf.Graph().as_default():
        with v1.variable_scope("RGB"):
            TinyI3D()(tf.constant(VIDEO), is_training=False)
        [mean] = [v for v in v1.global_variables() if "1a_7x7/batch_norm/moving_mean" in v.name]
        with v1.Session() as sess:
            v1.train.Saver().restore(sess, path)
            assert mean.shape == (1, 1, 1, 1, 4) and sess.run(mean).shape == (4,)


def test_tf_function_after_restore(sonnet2017):
    path, expected = sonnet2017
    with run_in_mode("eager"):
        model = TinyI3D()
        forward = tf.function(lambda x: model(x, is_training=False))
        forward(tf.constant(VIDEO))  # variables created by the first trace
        snt.restore_from_checkpoint(model, path, prefix="RGB/inception_i3d", strict=True)
        np.testing.assert_array_equal(forward(tf.constant(VIDEO)).numpy(), expected)


FACTORY = """
import numpy as np
import sonnet as snt

def mlp():
    return snt.nets.MLP([5, 3], name="mlp"), np.zeros([1, 4], np.float32)
"""


def test_command_line_with_a_module_factory(run_python, tmp_path):
    with tf.Graph().as_default():
        mlp = snt.nets.MLP([5, 3], name="mlp")
        mlp(v1.placeholder(tf.float32, [None, 4]))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            path = v1.train.Saver().save(sess, str(tmp_path / "mlp.ckpt"))
    (tmp_path / "factories.py").write_text(FACTORY)
    args = ("-m", "sonnet", "checkpoint", path, "--module", "factories:mlp")
    proc = run_python("", *args, PYTHONPATH=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "module scope 'mlp', 4 variables; checkpoint prefix 'mlp/' (inferred)" in proc.stdout
    assert "linear_0/w  [4, 5]  mlp/linear_0/w  [4, 5]" in proc.stdout
    assert "result: 4 would be restored (0 reshaped), 0 missing" in proc.stdout
