import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.moving_average import _pass_through_gradients


def _reference(values, decay):
    """NumPy: the first value starts the average; each next one blends in."""
    averages, average = [], None
    for value in values:
        average = value if average is None else decay * average + (1 - decay) * value
        averages.append(average)
    return averages


VALUES = [np.array([3.0, -1.0]), np.array([5.0, 2.0]), np.array([-4.0, 0.5]), np.zeros(2)]


def _run(mode, module, values):
    """One update per value: a placeholder feed per run in graph mode, a call eagerly."""
    if mode.eager:
        return [module(tf.constant(v, tf.float32)).numpy() for v in values]
    x = tf.compat.v1.placeholder(tf.float32, [2])
    out = module(x)
    return [mode.evaluate(out, {x: v}) for v in values]


@pytest.mark.parametrize("decay", [0.9, 0.5, 0.0, 1.0])
def test_matches_numpy_reference(mode, decay):
    module = snt.MovingAverage(decay=decay)
    got = _run(mode, module, VALUES)
    np.testing.assert_allclose(got, _reference(VALUES, decay), rtol=1e-6, atol=1e-6)
    assert [(v.name, v.shape.as_list(), v.trainable) for v in module.variables] == [
        ("moving_average/initialized:0", [], False),
        ("moving_average/moving_average:0", [2], False),
    ]
    assert module.decay == decay


def test_tf_function_updates_on_every_call(eager):
    module = snt.MovingAverage(decay=0.75)
    step = tf.function(lambda v: module(v))
    got = [step(tf.constant(v, tf.float32)).numpy() for v in VALUES]
    np.testing.assert_allclose(got, _reference(VALUES, 0.75), rtol=1e-6)
    assert len(module.variables) == 2


def test_reset_restarts_the_average(mode):
    module = snt.MovingAverage(decay=0.9)
    if mode.eager:
        assert module(tf.constant([10.0, 10.0])).numpy().tolist() == [10.0, 10.0]
        module.reset()
        np.testing.assert_allclose(module(tf.constant([100.0, 0.0])).numpy(), [100.0, 0.0])
        return
    x = tf.compat.v1.placeholder(tf.float32, [2])
    out = module(x)
    reset = module.reset()
    mode.evaluate(out, {x: [10.0, 10.0]})
    mode.session().run(reset)
    np.testing.assert_allclose(mode.evaluate(out, {x: [100.0, 0.0]}), [100.0, 0.0])


def test_reset_before_connection_raises():
    with pytest.raises(snt.NotConnectedError):
        snt.MovingAverage(name="m_avg").reset()


def test_gradient_flows_to_the_last_value(mode):
    module = snt.MovingAverage(decay=0.99)
    x = tf.constant(3.0)
    if mode.eager:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = module(x)
            z = module(2 * x)
        grads = [tape.gradient(y, x), tape.gradient(z, x)]
    else:
        y = module(x)
        z = module(2 * x)
        grads = [tf.gradients(y, x)[0], tf.gradients(z, x)[0]]
    assert [float(g) for g in mode.evaluate(grads)] == [1.0, 2.0]


def test_local_variables_in_graph_mode(graph):
    module = snt.MovingAverage(local=True)
    module(tf.ones([3]))
    local = [v.name for v in tf.compat.v1.local_variables()]
    assert local == ["moving_average/initialized:0", "moving_average/moving_average:0"]
    assert tf.compat.v1.global_variables() == []
    assert tf.compat.v1.trainable_variables() == []
    snt.MovingAverage(name="global_avg")(tf.ones([3]))
    assert len(tf.compat.v1.global_variables()) == 2


def test_shared_by_a_parent_module(mode):
    average = snt.MovingAverage(decay=0.5)
    parent = snt.Module(lambda x: average(x) * 2.0, name="parent")
    first = parent(tf.constant([4.0]))
    if mode.eager:
        second = parent(tf.constant([2.0]))
        np.testing.assert_allclose([first.numpy(), second.numpy()], [[8.0], [6.0]])
    else:
        np.testing.assert_allclose(mode.evaluate(first), [8.0])
    assert [v.name for v in parent.get_all_variables(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)] == [
        "moving_average/initialized:0",
        "moving_average/moving_average:0",
    ]


def test_pass_through_gradients(mode):
    x, avg = tf.constant([1.0, 2.0]), tf.constant([5.0, 6.0])
    if mode.eager:
        with tf.GradientTape() as tape:
            tape.watch([x, avg])
            out = _pass_through_gradients(x, avg)
            loss = tf.reduce_sum(out * [3.0, 4.0])
        gx, gavg = tape.gradient(loss, [x, avg])
    else:
        out = _pass_through_gradients(x, avg)
        gx, gavg = tf.gradients(tf.reduce_sum(out * [3.0, 4.0]), [x, avg])
    assert gavg is None
    np.testing.assert_array_equal(mode.evaluate(out), [5.0, 6.0])
    np.testing.assert_array_equal(mode.evaluate(gx), [3.0, 4.0])
    with pytest.raises(TypeError, match="same type"):
        _pass_through_gradients(tf.ones([1]), tf.ones([1], tf.float64))


def test_errors_name_the_module(mode):
    with pytest.raises(ValueError, match="m_avg: Decay must be a float in the \\[0, 1\\] range"):
        snt.MovingAverage(decay=2.0, name="m_avg")
    with pytest.raises(TypeError, match="m_avg"):
        snt.MovingAverage(decay="0.5", name="m_avg")
    module = snt.MovingAverage(name="m_avg")
    with pytest.raises(TypeError, match="m_avg.*floating point"):
        module(tf.constant([1, 2]))
    module(tf.ones([2]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_avg.*\[2\].*\[3\]"):
        module(tf.ones([3]))
    if not mode.eager:
        with pytest.raises(snt.IncompatibleShapeError, match="m_avg.*fully defined"):
            snt.MovingAverage(name="m_avg")(tf.compat.v1.placeholder(tf.float32, [None]))
