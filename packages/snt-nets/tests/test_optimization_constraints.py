import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets import optimization_constraints as oc


def _softplus(x):
    return np.log1p(np.exp(x))


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _grads(mode, y, xs):
    """Gradients of ``y()`` (built inside the function) with respect to ``xs``."""
    if mode.eager:
        with tf.GradientTape() as tape:
            out = y()
        return [g for g in tape.gradient(out, xs)], out
    out = y()
    return tf.gradients(out, xs), out


@pytest.mark.parametrize(
    "initializer, expected",
    [
        (0.5, 0.5),
        (17.3, 17.3),
        (None, 1.0),
        (tf.compat.v1.constant_initializer(3.14), 3.14),
        (tf.compat.v1.ones_initializer(), 1.0),
        (tf.constant_initializer(2.5), 2.5),
        (np.array([0.25, 4.0]), [0.25, 4.0]),
    ],
)
def test_initial_values(mode, initializer, expected):
    shape = np.shape(expected)
    multiplier = snt.get_lagrange_multiplier(shape=shape, initializer=initializer)
    assert multiplier.shape.as_list() == list(shape)
    np.testing.assert_allclose(mode.evaluate(multiplier), expected, rtol=1e-5)
    if not mode.eager:
        (variable,) = tf.compat.v1.get_collection(oc.LAGRANGE_MULTIPLIERS)
        assert variable.name == "lagrange_multiplier/w:0"


@pytest.mark.parametrize("rate", [1.0, 0.1, 7.3])
def test_gradient_is_negated_and_scaled(mode, rate):
    # penalty = softplus(w)^2 * c, and the multiplier's gradient is scaled by -rate.
    constraint = -2.0
    module = snt.Module(
        lambda: snt.get_lagrange_multiplier(rate=rate, initializer=0.7) * constraint, name="m"
    )
    module()
    (variable,) = module.variables
    grads, _ = _grads(mode, module, [variable])
    w = mode.evaluate(variable)
    expected = -rate * constraint * 2 * _softplus(w) * _sigmoid(w)
    np.testing.assert_allclose(mode.evaluate(grads[0]), expected, rtol=1e-5)


def test_minimize_false_negates(mode):
    multiplier = snt.get_lagrange_multiplier(initializer=2.0, maximize=False)
    np.testing.assert_allclose(mode.evaluate(multiplier), -2.0, rtol=1e-5)


@pytest.mark.parametrize(
    "value, sign, expected_grad",
    [(0.5, 1, 1.0), (1.5, 1, 0.0), (1.5, -1, -1.0), (-0.5, 1, 1.0), (-0.5, -1, 0.0)],
)
def test_constrain_to_range(mode, value, sign, expected_grad):
    x = tf.constant(value)
    if mode.eager:
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = oc._constrain_to_range(x, 0.0, 1.0)
            out = sign * z
        grad = tape.gradient(out, x)
    else:
        z = oc._constrain_to_range(x, 0.0, 1.0)
        grad = tf.gradients(sign * z, x)[0]
    clipped, g = mode.evaluate([z, grad])
    assert clipped == np.clip(value, 0.0, 1.0)
    assert g == expected_grad


def test_constrain_to_range_in_tf_function(eager):
    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = oc._constrain_to_range(x, -1.0, 1.0)
        return z, tape.gradient(z, x)

    z, g = step(tf.constant([-3.0, 0.5, 2.0]))
    np.testing.assert_array_equal(z.numpy(), [-1.0, 0.5, 1.0])
    np.testing.assert_array_equal(g.numpy(), [1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="non-float"):
        oc._constrain_to_range(tf.constant([1]), 0, 1)


def test_valid_range_clips(mode):
    for container_range, add_range in [((1.0, 2.0), None), (None, (1.0, 2.0))]:
        constraints = snt.OptimizationConstraints(valid_range=container_range)
        constraints.add_leq(tf.constant(0.0), 1.0, initializer=3.0, valid_range=add_range)
        np.testing.assert_allclose(mode.evaluate(constraints.lagrange_multipliers[0]), 2.0)


def test_penalty_matches_numpy(mode):
    lhs = tf.constant([1.0, -2.0, 0.5])
    constraints = snt.OptimizationConstraints()
    constraints.add_leq(lhs, 0.25, initializer=[1.0, 2.0, 3.0])
    constraints.add_geq(tf.constant(0.5), 2.0, initializer=0.5)
    penalty = constraints()
    assert constraints() is penalty
    expected = np.sum(np.array([1.0, 2.0, 3.0]) * (np.array([1.0, -2.0, 0.5]) - 0.25))
    expected += 0.5 * (2.0 - 0.5)
    np.testing.assert_allclose(mode.evaluate(penalty), expected, rtol=1e-5)
    assert len(constraints.constraints) == len(constraints.lagrange_multipliers) == 2


def test_add_parses_comparisons(graph):
    a, b = tf.constant(1.0), tf.constant(3.0)
    constraints = snt.OptimizationConstraints()
    for expression in (a < b, a <= b, a > b, a >= b):
        constraints.add(expression)
    values = graph.evaluate(constraints.constraints)
    np.testing.assert_allclose(values, [-2.0, -2.0, 2.0, 2.0])  # each must become <= 0
    with pytest.raises(TypeError, match="only supports parsing"):
        constraints.add(tf.equal(a, b))


def test_add_refuses_eager_tensors(eager):
    with pytest.raises(TypeError, match="add_leq"):
        snt.OptimizationConstraints().add(tf.constant(1.0) < 2.0)


def test_no_constraint_after_connection(mode):
    x = tf.constant(1.0)
    constraints = snt.OptimizationConstraints().add_geq(x, 0.5)
    constraints()
    for add in (constraints.add_geq, constraints.add_leq):
        with pytest.raises(ValueError, match="Cannot add further constraints"):
            add(x, 0.5)


def test_training_reaches_the_constraint_graph(graph):
    x = snt.TrainableVariable(shape=(), initializers={"w": tf.compat.v1.ones_initializer()})()
    constraints = snt.OptimizationConstraints().add(x > 0.5)
    loss = x**2 + constraints()
    update = tf.compat.v1.train.AdamOptimizer(1e-2, beta1=0.0).minimize(loss)
    graph.initialize()
    for _ in range(600):
        graph.session().run(update)
    np.testing.assert_allclose(graph.session().run(x), 0.5, atol=0.02)


def test_training_reaches_the_constraint_eagerly(eager):
    x = tf.Variable(1.0)

    def penalized_loss():
        constraints = snt.OptimizationConstraints().add_geq(x, 0.5)
        return x**2 + constraints()

    loss_module = snt.Module(penalized_loss, name="loss")
    loss_module()  # creates the multiplier, shared by later calls
    optimizer = tf.keras.optimizers.Adam(1e-2, beta_1=0.0)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = loss_module()
        variables = [x, *loss_module.trainable_variables]
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))

    for _ in range(600):
        step()
    assert [v.name for v in loss_module.variables] == ["loss/lagrange_multiplier/w:0"]
    np.testing.assert_allclose(x.numpy(), 0.5, atol=0.02)


def test_bad_arguments():
    with pytest.raises(TypeError, match="m_lag.*initializer"):
        snt.get_lagrange_multiplier(initializer="one", name="m_lag")
    with pytest.raises(ValueError, match="m_lag.*valid_range"):
        snt.get_lagrange_multiplier(valid_range=(1.0,), name="m_lag")
