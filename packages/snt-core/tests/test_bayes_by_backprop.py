"""snt.custom_getters.bayes_by_backprop in graph and eager mode, against NumPy formulas."""

import logging
import math

import numpy as np
import pytest
import tensorflow as tf
from getter_helpers import FastAffine, input_batch

import sonnet as snt

bbb = snt.custom_getters.bayes_by_backprop


def _np_log_normal(x, loc, scale):
    return -0.5 * ((x - loc) / scale) ** 2 - np.log(scale) - 0.5 * math.log(2 * math.pi)


def _softplus(x):
    return np.log1p(np.exp(x))


def test_variables_are_replaced_by_posterior_parameters(mode):
    module = FastAffine(custom_getter=bbb.bayes_by_backprop_getter())
    module(input_batch())
    assert sorted(v.name for v in module.variables) == [
        "fast_affine/b/posterior_loc:0",
        "fast_affine/b/posterior_scale:0",
        "fast_affine/w/posterior_loc:0",
        "fast_affine/w/posterior_scale:0",
    ]


def test_samples_differ_per_connection(mode):
    module = FastAffine(custom_getter=bbb.bayes_by_backprop_getter())
    x = input_batch()
    first, second = mode.evaluate([module(x), module(x)])
    assert not np.allclose(first, second)


def test_one_sample_shared_when_fresh_noise_is_off_in_graph_mode():
    with tf.Graph().as_default():
        module = FastAffine(
            custom_getter=bbb.bayes_by_backprop_getter(fresh_noise_per_connection=False)
        )
        x = input_batch()
        first, second = module(x), module(x)
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.global_variables_initializer())
            a, b = session.run([first, second])
    np.testing.assert_allclose(a, b)


def test_fresh_noise_off_is_refused_eagerly(eager):
    module = FastAffine(
        custom_getter=bbb.bayes_by_backprop_getter(fresh_noise_per_connection=False)
    )
    module(input_batch())
    with pytest.raises(
        snt.NotSupportedError, match=r"fresh_noise_per_connection=False needs a graph"
    ):
        module(input_batch())


def test_stochastic_kl_matches_the_formula(mode):
    module = FastAffine(custom_getter=bbb.bayes_by_backprop_getter())
    module(input_batch())
    (meta_b, meta_w) = sorted(bbb.get_variable_metadata(), key=lambda m: m.raw_variable_name)
    assert meta_w.raw_variable_name == "fast_affine/w"
    assert meta_w.scope_name == "fast_affine"
    values = mode.evaluate(
        {
            "kl": meta_w.kl_cost,
            "sample": meta_w.posterior_estimate,
            "loc": meta_w.posterior.loc,
            "scale": meta_w.posterior.scale,
            "total": bbb.get_total_kl_cost(),
            "kl_b": meta_b.kl_cost,
        }
    )
    expected = np.sum(_np_log_normal(values["sample"], values["loc"], values["scale"])) - np.sum(
        _np_log_normal(values["sample"], 0.0, 0.01)
    )
    np.testing.assert_allclose(values["kl"], expected, rtol=1e-4)
    np.testing.assert_allclose(values["total"], values["kl"] + values["kl_b"], rtol=1e-5)


def test_analytic_kl_and_adaptive_prior(mode):
    getter = bbb.bayes_by_backprop_getter(
        prior_builder=bbb.adaptive_gaussian_prior_builder, kl_builder=bbb.analytic_kl_builder
    )
    with tf.compat.v1.variable_scope("s", custom_getter=getter):
        w = tf.compat.v1.get_variable("w", [3, 2], initializer=tf.ones_initializer())
    names = sorted(v.name for v in tf.compat.v1.global_variables()) if not mode.eager else None
    if names is not None:
        assert names == [
            "s/w/posterior_loc:0",
            "s/w/posterior_scale:0",
            "s/w_prior_loc:0",
            "s/w_prior_scale:0",
        ]
    (meta,) = bbb.get_variable_metadata()
    v = mode.evaluate(
        {
            "w": w,
            "kl": meta.kl_cost,
            "ql": meta.posterior.loc,
            "qs": meta.posterior.scale,
            "pl": meta.prior.loc,
            "ps": meta.prior.scale,
        }
    )
    assert v["w"].shape == (3, 2)
    np.testing.assert_allclose(v["ps"], 0.01, rtol=1e-5)
    np.testing.assert_allclose(v["qs"], _softplus(1.0), rtol=1e-5)
    ratio = (v["qs"] / v["ps"]) ** 2
    expected = 0.5 * np.sum(ratio + ((v["ql"] - v["pl"]) / v["ps"]) ** 2 - 1 - np.log(ratio))
    np.testing.assert_allclose(v["kl"], expected, rtol=1e-4)


def test_gradients_reach_the_posterior_parameters(mode):
    module = FastAffine(custom_getter=bbb.bayes_by_backprop_getter())
    x = input_batch()
    if mode.eager:
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(module(x)) + bbb.get_total_kl_cost()
        grads = tape.gradient(loss, module.trainable_variables)
    else:
        loss = tf.reduce_sum(module(x)) + bbb.get_total_kl_cost()
        grads = tf.gradients(loss, list(module.trainable_variables))
    assert all(g is not None for g in grads)
    assert all(np.all(np.isfinite(g)) for g in mode.evaluate(grads))


def test_mean_mode_returns_the_posterior_mean(mode):
    mode_value = tf.constant(bbb.EstimatorModes.mean)
    module = FastAffine(custom_getter=bbb.bayes_by_backprop_getter(sampling_mode_tensor=mode_value))
    x = input_batch()
    y1, y2 = module(x), module(x)
    meta = {m.raw_variable_name: m for m in bbb.get_variable_metadata()}
    w, b, a, c, xv = mode.evaluate(
        [meta["fast_affine/w"].posterior.loc, meta["fast_affine/b"].posterior.loc, y1, y2, x]
    )
    np.testing.assert_allclose(a, xv @ w + b, rtol=1e-5)
    np.testing.assert_allclose(a, c)


def test_sampling_mode_fed_through_a_placeholder():
    with tf.Graph().as_default():
        sampling = tf.compat.v1.placeholder(tf.string, [])
        module = FastAffine(
            custom_getter=bbb.bayes_by_backprop_getter(sampling_mode_tensor=sampling)
        )
        y = module(input_batch())
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.global_variables_initializer())
            mean1 = session.run(y, {sampling: "mean"})
            mean2 = session.run(y, {sampling: "mean"})
            sample = session.run(y, {sampling: "sample"})
            np.testing.assert_allclose(mean1, mean2)
            assert not np.allclose(mean1, sample)
            with pytest.raises(tf.errors.InvalidArgumentError, match="invalid sampling mode"):
                session.run(y, {sampling: "median"})


def test_invalid_sampling_mode_string(mode):
    module = FastAffine(custom_getter=bbb.bayes_by_backprop_getter(sampling_mode_tensor="median"))
    with pytest.raises(
        ValueError,
        match=r"sampling mode for 'fast_affine/w' must be one of "
        r"\['mean', 'sample'\], got 'median'",
    ):
        module(input_batch())


def test_non_trainable_variables_pass_through(mode):
    getter = bbb.bayes_by_backprop_getter()
    with tf.compat.v1.variable_scope("s", custom_getter=getter):
        v = tf.compat.v1.get_variable("counter", [2], trainable=False)
    assert isinstance(v, tf.Variable) and v.name == "s/counter:0"
    assert bbb.get_variable_metadata() == []


def test_integer_variables_are_refused(mode):
    with tf.compat.v1.variable_scope("s", custom_getter=bbb.bayes_by_backprop_getter()):
        with pytest.raises(ValueError, match=r"variable 's/n' has dtype int32; expected one of"):
            tf.compat.v1.get_variable("n", [2], dtype=tf.int32)


def test_posterior_must_be_reparameterized(mode):
    class NotReparameterized:
        reparameterization_type = "NOT_REPARAMETERIZED"

    getter = bbb.bayes_by_backprop_getter(posterior_builder=lambda *a, **k: NotReparameterized())
    with tf.compat.v1.variable_scope("s", custom_getter=getter):
        with pytest.raises(ValueError, match=r"posterior of 's/v' must be fully reparameterized"):
            tf.compat.v1.get_variable("v", [2])


def test_metadata_filter_and_empty_total(mode, caplog):
    with caplog.at_level(logging.WARNING, logger="sonnet.custom_getters"):
        assert mode.evaluate(bbb.get_total_kl_cost()) == 0.0
    assert "no Bayes by Backprop variables" in caplog.text
    FastAffine(custom_getter=bbb.bayes_by_backprop_getter(), name="one")(input_batch())
    FastAffine(custom_getter=bbb.bayes_by_backprop_getter(), name="two")(input_batch())
    assert {m.scope_name for m in bbb.get_variable_metadata("two")} == {"two"}
    total, one, two = mode.evaluate(
        [
            bbb.get_total_kl_cost(),
            bbb.get_total_kl_cost(filter_by_name_substring="one"),
            bbb.get_total_kl_cost(filter_by_name_substring="two"),
        ]
    )
    np.testing.assert_allclose(total, one + two, rtol=1e-5)


def test_inverse_softplus_and_scale_initializer(mode):
    for y in (0.01, 1.0, 50.0):
        np.testing.assert_allclose(_softplus(bbb.inverse_softplus(y)), y, rtol=1e-6)
    init = bbb.scale_variable_initializer(0.5)
    np.testing.assert_allclose(mode.evaluate(tf.nn.softplus(init([2]))), [0.5, 0.5], rtol=1e-6)
    with pytest.raises(ValueError, match=r"inverse_softplus: expected a positive number, got -1"):
        bbb.inverse_softplus(-1.0)


def test_normal_matches_numpy(mode):
    dist = bbb.Normal(tf.constant([0.5, -1.0]), tf.constant([2.0, 0.3]))
    x = np.array([1.0, 0.0], np.float32)
    log_prob, mean = mode.evaluate([dist.log_prob(x), dist.mean()])
    np.testing.assert_allclose(log_prob, _np_log_normal(x, [0.5, -1.0], [2.0, 0.3]), rtol=1e-5)
    np.testing.assert_allclose(mean, [0.5, -1.0])
    with pytest.raises(TypeError, match=r"Normal.kl_divergence: expected a Gaussian"):
        dist.kl_divergence(object())


def test_works_in_tf_function():
    module = FastAffine(custom_getter=bbb.bayes_by_backprop_getter())

    @tf.function
    def step(x):
        return module(x), bbb.get_total_kl_cost()

    (y1, kl1), (y2, _) = step(input_batch()), step(input_batch())
    assert np.isfinite(kl1.numpy()) and not np.allclose(y1.numpy(), y2.numpy())
