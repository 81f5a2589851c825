"""Name-based checkpoints with Sonnet 1's variable names (graph mode, tf.compat.v1).

A hand-written TensorFlow program stands in for a Sonnet 1 program: it creates
``mlp/linear_{i}/{w,b}`` and ``lstm/{w_gates,b_gates}`` itself, with Sonnet 1's
layouts (``w`` is ``[in, out]``; ``w_gates`` is ``[in + hidden, 4 * hidden]``
over ``concat([inputs, hidden])``, gates ordered i, j, f, o). Outputs are also
checked against NumPy.
"""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

v1 = tf.compat.v1
IN, HIDDEN, OUT, LSTM_H, BATCH = 3, 5, 2, 4, 2
RNG = np.random.default_rng(8)
VALUES = {
    "mlp/linear_0/w": RNG.normal(size=(IN, HIDDEN)),
    "mlp/linear_0/b": RNG.normal(size=(HIDDEN,)),
    "mlp/linear_1/w": RNG.normal(size=(HIDDEN, OUT)),
    "mlp/linear_1/b": RNG.normal(size=(OUT,)),
    "lstm/w_gates": RNG.normal(size=(IN + LSTM_H, 4 * LSTM_H)) * 0.5,
    "lstm/b_gates": RNG.normal(size=(4 * LSTM_H,)),
}
VALUES = {k: v.astype(np.float32) for k, v in VALUES.items()}
X = RNG.normal(size=(BATCH, IN)).astype(np.float32)
H0 = RNG.normal(size=(BATCH, LSTM_H)).astype(np.float32)
C0 = RNG.normal(size=(BATCH, LSTM_H)).astype(np.float32)


def numpy_outputs(values):
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h = np.maximum(X @ values["mlp/linear_0/w"] + values["mlp/linear_0/b"], 0)
    mlp = h @ values["mlp/linear_1/w"] + values["mlp/linear_1/b"]
    gates = np.concatenate([X, H0], 1) @ values["lstm/w_gates"] + values["lstm/b_gates"]
    i, j, f, o = np.split(gates, 4, axis=1)
    cell = sig(f + 1.0) * C0 + sig(i) * np.tanh(j)
    return mlp, np.tanh(cell) * sig(o), cell


def hand_written(init=None):
    """Sonnet 1's variables and maths with plain tf.compat.v1 calls; returns outputs."""

    def var(name, shape):
        value = None if init is None else tf.constant_initializer(init[name])
        return v1.get_variable(name.split("/", 1)[1], shape, initializer=value)

    with v1.variable_scope("mlp"):
        w0, b0 = var("mlp/linear_0/w", [IN, HIDDEN]), var("mlp/linear_0/b", [HIDDEN])
        w1, b1 = var("mlp/linear_1/w", [HIDDEN, OUT]), var("mlp/linear_1/b", [OUT])
        mlp = tf.matmul(tf.nn.relu(tf.matmul(X, w0) + b0), w1) + b1
    with v1.variable_scope("lstm"):
        w = var("lstm/w_gates", [IN + LSTM_H, 4 * LSTM_H])
        b = var("lstm/b_gates", [4 * LSTM_H])
        i, j, f, o = tf.split(tf.matmul(tf.concat([X, H0], 1), w) + b, 4, axis=1)
        cell = tf.sigmoid(f + 1.0) * C0 + tf.sigmoid(i) * tf.tanh(j)
        hidden = tf.tanh(cell) * tf.sigmoid(o)
    return mlp, hidden, cell


def with_modules(mlp_name="mlp"):
    mlp = snt.nets.MLP([HIDDEN, OUT], name=mlp_name)
    lstm = snt.LSTM(LSTM_H)
    state = snt.LSTMState(hidden=tf.constant(H0), cell=tf.constant(C0))
    hidden, state = lstm(tf.constant(X), state)
    return (mlp(tf.constant(X)), hidden, state.cell), mlp


@pytest.fixture(scope="module")
def sonnet1_checkpoint(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("s1") / "model.ckpt")
    with tf.Graph().as_default(), v1.Session() as sess:
        hand_written(VALUES)
        sess.run(v1.global_variables_initializer())
        v1.train.Saver().save(sess, path)
    return path


def test_modules_create_sonnet1_names():
    with tf.Graph().as_default():
        with_modules()
        names = {v.op.name: v.shape.as_list() for v in v1.global_variables()}
    assert names == {k: list(v.shape) for k, v in VALUES.items()}


def test_checkpoint_has_sonnet1_keys(sonnet1_checkpoint):
    shapes = tf.train.load_checkpoint(sonnet1_checkpoint).get_variable_to_shape_map()
    assert shapes == {k: list(v.shape) for k, v in VALUES.items()}


def test_hand_written_checkpoint_restores_into_modules(sonnet1_checkpoint):
    with tf.Graph().as_default(), v1.Session() as sess:
        outputs, _ = with_modules()
        v1.train.Saver().restore(sess, sonnet1_checkpoint)
        got = sess.run(outputs)
    for g, want in zip(got, numpy_outputs(VALUES), strict=True):
        np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-5)


def test_module_checkpoint_restores_into_hand_written(tmp_path):
    path = str(tmp_path / "snt.ckpt")
    with tf.Graph().as_default(), v1.Session() as sess:
        outputs, _ = with_modules()
        sess.run(v1.global_variables_initializer())
        values = {v.op.name: sess.run(v) for v in v1.global_variables()}
        from_modules = sess.run(outputs)
        v1.train.Saver().save(sess, path)
    with tf.Graph().as_default(), v1.Session() as sess:
        outputs = hand_written()
        v1.train.Saver().restore(sess, path)
        got = sess.run(outputs)
    for g, m, want in zip(got, from_modules, numpy_outputs(values), strict=True):
        np.testing.assert_allclose(g, m, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-5)


def test_get_saver_keys_are_relative_and_restore_under_another_name(tmp_path):
    path = str(tmp_path / "relative.ckpt")
    with tf.Graph().as_default(), v1.Session() as sess:
        _, mlp = with_modules()
        sess.run(v1.global_variables_initializer())
        want = {v.op.name[len("mlp/") :]: sess.run(v) for v in mlp.get_variables()}
        snt.get_saver(mlp).save(sess, path)
    keys = tf.train.load_checkpoint(path).get_variable_to_shape_map()
    assert sorted(keys) == ["linear_0/b", "linear_0/w", "linear_1/b", "linear_1/w"]
    with tf.Graph().as_default(), v1.Session() as sess:
        _, student = with_modules(mlp_name="student")
        snt.get_saver(student).restore(sess, path)
        got = {v.op.name[len("student/") :]: sess.run(v) for v in student.get_variables()}
    assert sorted(got) == sorted(want)
    for name, value in want.items():
        np.testing.assert_array_equal(got[name], value)


def test_init_from_checkpoint_maps_scopes(sonnet1_checkpoint):
    with tf.Graph().as_default(), v1.Session() as sess:
        _, student = with_modules(mlp_name="student")
        v1.train.init_from_checkpoint(sonnet1_checkpoint, {"mlp/": "student/"})
        sess.run(v1.global_variables_initializer())
        got = {v.op.name.replace("student/", "mlp/"): sess.run(v) for v in student.get_variables()}
    assert sorted(got) == sorted(k for k in VALUES if k.startswith("mlp/"))
    for name, value in got.items():
        np.testing.assert_array_equal(value, VALUES[name])


def test_load_checkpoint_into_an_eager_module(sonnet1_checkpoint):
    reader = tf.train.load_checkpoint(sonnet1_checkpoint)
    mlp = snt.nets.MLP([HIDDEN, OUT])
    mlp(X)  # create the variables (eager names may be uniquified: mlp_1/...)
    for v in mlp.variables:
        relative = v.name[len(mlp.scope_name) + 1 :].split(":")[0]
        v.assign(reader.get_tensor("mlp/" + relative))
    np.testing.assert_allclose(mlp(X).numpy(), numpy_outputs(VALUES)[0], rtol=1e-5, atol=1e-5)


def test_restore_from_checkpoint_into_eager_modules(sonnet1_checkpoint):
    v1.reset_default_graph()  # eager scope-name counters start again
    snt.nets.MLP([HIDDEN, OUT])(X)  # takes the scope "mlp": the next one is mlp_1
    mlp, lstm = snt.nets.MLP([HIDDEN, OUT]), snt.LSTM(LSTM_H)
    state = snt.LSTMState(hidden=tf.constant(H0), cell=tf.constant(C0))
    mlp(X), lstm(tf.constant(X), state)
    assert mlp.scope_name == "mlp_1"
    for module, prefix in ((mlp, "mlp/"), (lstm, "lstm/")):
        report = snt.restore_from_checkpoint(module, sonnet1_checkpoint, strict=True)
        assert report.prefix == prefix and report.unexpected == ()
    hidden, state = lstm(tf.constant(X), state)
    want_mlp, want_hidden, want_cell = numpy_outputs(VALUES)
    np.testing.assert_allclose(mlp(X).numpy(), want_mlp, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(hidden.numpy(), want_hidden, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(state.cell.numpy(), want_cell, rtol=1e-5, atol=1e-5)
