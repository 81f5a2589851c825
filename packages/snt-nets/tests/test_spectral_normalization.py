import functools

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def _normalize(t, eps):
    return t / np.sqrt(np.sum(t**2) + eps)


def _power_iteration(matrix, u, num_iters, eps=1e-4):
    """NumPy reference: (sigma, new u) after ``num_iters`` steps from ``u``."""
    for _ in range(num_iters):
        v = _normalize(u @ matrix.T, eps)
        u = _normalize(v @ matrix, eps)
    return float((v @ matrix @ u.T).item()), u


def _spectral_norm_module(weight, **kwargs):
    """spectral_norm inside a module, so its u0 is shared across connections."""
    return snt.Module(lambda: snt.spectral_norm(tf.constant(weight), **kwargs), name="sn")


@pytest.mark.parametrize("num_iters", [1, 3])
def test_one_call_matches_numpy_power_iteration(mode, num_iters):
    weight = np.random.RandomState(0).randn(5, 4).astype(np.float32)
    module = _spectral_norm_module(weight, num_iters=num_iters)
    out = module()
    (u0,) = module.variables
    assert u0.name == "sn/u0:0" and u0.shape.as_list() == [1, 4] and not u0.trainable
    if mode.eager:
        # The call above updated u0: reset it and run again from a known value.
        start = np.random.RandomState(1).randn(1, 4).astype(np.float32)
        u0.assign(start)
        out = module()
        sigma, w_bar, new_u = out["sigma"].numpy(), out["w_bar"].numpy(), u0.numpy()
    else:
        mode.initialize()
        start = mode.session().run(u0)
        sigma, w_bar = mode.session().run([out["sigma"], out["w_bar"]])
        new_u = mode.session().run(u0)
    ref_sigma, ref_u = _power_iteration(weight, start, num_iters)
    np.testing.assert_allclose(sigma, ref_sigma, rtol=1e-5)
    np.testing.assert_allclose(w_bar, weight / ref_sigma, rtol=1e-5)
    np.testing.assert_allclose(new_u, ref_u, rtol=1e-5, atol=1e-6)  # u0 keeps the new vector


def test_converges_to_the_largest_singular_value(mode):
    weight = np.random.RandomState(2).randn(3, 3, 2, 6).astype(np.float32)  # conv-shaped
    out = _spectral_norm_module(weight, num_iters=100)()
    largest = np.linalg.svd(weight.reshape(-1, 6), compute_uv=False)[0]
    sigma, w_bar = mode.evaluate([out["sigma"], out["w_bar"]])
    np.testing.assert_allclose(sigma, largest, rtol=1e-3)
    assert w_bar.shape == weight.shape
    np.testing.assert_allclose(np.linalg.svd(w_bar.reshape(-1, 6), compute_uv=False)[0], 1, 1e-3)


def test_keeps_the_weight_dtype(mode):
    out = _spectral_norm_module(4 * np.eye(8, dtype=np.float32))()
    bf16 = snt.Module(lambda: snt.spectral_norm(4 * tf.eye(8, dtype=tf.bfloat16)), name="b")()
    assert bf16["sigma"].dtype == tf.bfloat16 and bf16["w_bar"].dtype == tf.bfloat16
    sigma, sigma16 = mode.evaluate([out["sigma"], bf16["sigma"]])
    assert abs(sigma - 4.0) < 1e-3 and abs(float(sigma16) - 4.0) < 1e-2


def test_deferred_update(mode):
    weight = np.random.RandomState(3).randn(4, 3).astype(np.float32)
    module = _spectral_norm_module(weight, update_collection="power_iteration")
    out = module()
    (u0,) = module.variables
    if mode.eager:
        before = u0.numpy()
        module()
        np.testing.assert_array_equal(u0.numpy(), before)  # no collection to defer to: skipped
        return
    (update,) = tf.compat.v1.get_collection("power_iteration")
    mode.initialize()
    before = mode.session().run(u0)
    mode.session().run(out["w_bar"])
    np.testing.assert_array_equal(mode.session().run(u0), before)
    mode.session().run(update)
    expected = _power_iteration(weight, before, 1)[1]
    np.testing.assert_allclose(mode.session().run(u0), expected, rtol=1e-5, atol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="num_iters must be a positive integer"):
        snt.spectral_norm(tf.ones([2, 2]), num_iters=0)
    with pytest.raises(ValueError, match="rank >= 1"):
        snt.spectral_norm(tf.ones([]))


def test_wrapper_normalizes_w_only(mode):
    sn_linear = snt.SpectralNormWrapper(snt.Linear, {"num_iters": 60}, None, 3)
    assert sn_linear.module_name == "sn_wrapper" and isinstance(sn_linear.module, snt.Linear)
    x = np.random.RandomState(4).randn(2, 5).astype(np.float32)
    y = sn_linear(tf.constant(x))
    assert sorted(v.name for v in sn_linear.variables) == [
        "sn_wrapper/linear/b:0",
        "sn_wrapper/linear/u0:0",
        "sn_wrapper/linear/w:0",
    ]
    variables = {v.name: v for v in sn_linear.variables}
    w, b = variables["sn_wrapper/linear/w:0"], variables["sn_wrapper/linear/b:0"]
    if mode.eager:
        b.assign([1.0, -1.0, 0.5])
        y = sn_linear(tf.constant(x))
    else:
        mode.initialize()
        mode.session().run(b.assign([1.0, -1.0, 0.5]))
    w_value, b_value, out = mode.evaluate([w, b, y])
    sigma = np.linalg.svd(w_value, compute_uv=False)[0]
    np.testing.assert_allclose(out, x @ (w_value / sigma) + b_value, rtol=1e-3, atol=1e-4)


def test_wrap_with_spectral_norm_names_and_sharing(mode):
    sn_linear = snt.wrap_with_spectral_norm(snt.Linear, {"eps": 1e-4})
    assert isinstance(sn_linear, functools.partial)
    first, second = sn_linear(4), sn_linear(4, name="head")
    x = tf.ones([2, 3])
    outs = [first(x), first(x), second(x)]
    assert [first.module_name, second.module_name] == ["sn_wrapper", "head_wrapper"]
    assert sorted(v.name for v in second.variables) == [
        "head_wrapper/head/b:0",
        "head_wrapper/head/u0:0",
        "head_wrapper/head/w:0",
    ]
    assert len(first.variables) == 3
    assert [v.shape for v in mode.evaluate(outs)] == [(2, 4)] * 3


def test_wrappers_built_inside_a_parent(mode):
    def build(x):
        sn_linear = snt.wrap_with_spectral_norm(snt.Linear, {"eps": 1e-4})
        return sn_linear(16)(x), sn_linear(16)(x)

    parent = snt.Module(build, name="parent")
    parent(tf.zeros([4, 12]))
    parent(tf.zeros([4, 12]))
    names = sorted(v.name for v in parent.get_all_variables())
    assert names == [
        "parent/sn_wrapper/linear/b:0",
        "parent/sn_wrapper/linear/w:0",
        "parent/sn_wrapper_1/linear/b:0",
        "parent/sn_wrapper_1/linear/w:0",
    ]


def test_enable_power_iteration_false(graph):
    sn_linear = snt.SpectralNormWrapper(snt.Linear, {}, "POWER_ITERATION_OPS", 16)
    x = tf.constant(np.random.RandomState(6).randn(8, 8).astype(np.float32))
    updating = sn_linear(x)
    deferred = sn_linear(x, enable_power_iteration=False)
    (update,) = tf.compat.v1.get_collection("POWER_ITERATION_OPS")
    u0 = [v for v in sn_linear.variables if "u0" in v.name][0]
    graph.initialize()
    session = graph.session()
    start = session.run(u0)
    implicit = session.run(updating)
    session.run(u0.assign(start))
    explicit, _ = session.run([deferred, update])
    np.testing.assert_array_equal(implicit, explicit)
    assert not np.array_equal(session.run(u0), start)


def test_tf_function_and_training(eager, check_trains):
    sn_linear = snt.wrap_with_spectral_norm(snt.Linear)(2)
    x = tf.constant(np.random.RandomState(5).randn(3, 4).astype(np.float32))
    eager_out = sn_linear(x)
    function_out = tf.function(lambda v: sn_linear(v))(x)
    assert eager_out.shape == function_out.shape and len(sn_linear.variables) == 3
    check_trains(
        eager,
        lambda: tf.reduce_sum(tf.square(sn_linear(x) - 3.0)),
        lambda: sn_linear.trainable_variables,
    )


def test_wrapper_errors():
    with pytest.raises(TypeError, match="m_wrapper.*sn_kwargs"):
        snt.SpectralNormWrapper(snt.Linear, [1], None, 3, name="m")
    with pytest.raises(TypeError, match="sn_wrapper.*module"):
        snt.SpectralNormWrapper("Linear", {}, None, 3)


def test_sn_kwargs_are_checked_on_construction():
    with pytest.raises(TypeError, match="m_wrapper.*num_iters and eps.*'iters'"):
        snt.SpectralNormWrapper(snt.Linear, {"iters": 2}, None, 3, name="m")
    with pytest.raises(ValueError, match="m_wrapper.*num_iters must be a positive integer"):
        snt.SpectralNormWrapper(snt.Linear, {"num_iters": 0}, None, 3, name="m")
