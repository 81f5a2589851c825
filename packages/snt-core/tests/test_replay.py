"""Replayed connections keep Sonnet 1 semantics (snt.get_variable modules)."""

import numpy as np
import pytest
import tensorflow as tf
from core_test_modules import Affine

import sonnet as snt

v1 = tf.compat.v1


class FastAffine(snt.AbstractModule):
    def __init__(self, output_size, regularizers=None, custom_getter=None, name="fast_affine"):
        super().__init__(custom_getter=custom_getter, name=name)
        self._output_size = output_size
        self._regularizers = regularizers or {}

    def _build(self, x):
        w = snt.get_variable(
            "w",
            [x.shape[-1], self._output_size],
            initializer=tf.ones_initializer(),
            regularizer=self._regularizers.get("w"),
        )
        b = snt.get_variable("b", [self._output_size], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


class FastMLP(snt.AbstractModule):
    """Layers built in __init__ (replay eligible)."""

    def __init__(self, name="fast_mlp"):
        super().__init__(name=name)
        with self._enter_variable_scope():
            self._layers = [FastAffine(3, name="l0"), FastAffine(2, name="l1")]

    def _build(self, x):
        return self._layers[1](tf.nn.relu(self._layers[0](x)))


class BuildsInBuild(snt.AbstractModule):
    """Submodule made inside _build (not eligible: needs the template store)."""

    def _build(self, x):
        return FastAffine(2, name="inner")(x)


def test_replay_taken_and_correct(mode):
    mod = FastAffine(2)
    x = tf.ones([1, 3])
    first, second = mod(x), mod(x * 2.0)
    np.testing.assert_allclose(mode.evaluate([first, second]), [[[3.0, 3.0]], [[6.0, 6.0]]])
    assert (mod._snt_state.replay is not None) is mode.eager  # graph mode never takes it
    assert [v.name for v in mod.variables] == ["fast_affine/b:0", "fast_affine/w:0"]


def test_replay_sees_variable_updates_and_gradients(eager):
    mod = FastAffine(1)
    x = tf.ones([1, 2])
    mod(x)
    mod.get_variables()[1].assign([[2.0], [3.0]])
    with tf.GradientTape() as tape:
        y = mod(x)
    np.testing.assert_allclose(y.numpy(), [[5.0]])
    grads = tape.gradient(y, mod.trainable_variables)
    assert all(g is not None for g in grads)


def test_nested_modules_built_in_init_are_replayed(eager):
    mlp = FastMLP()
    x = tf.ones([2, 4])
    y1 = mlp(x)
    assert mlp._snt_state.replay and all(layer._snt_state.replay for layer in mlp._layers)
    np.testing.assert_allclose(mlp(x).numpy(), y1.numpy())
    assert [v.name for v in mlp.variables] == [
        "fast_mlp/l0/b:0",
        "fast_mlp/l0/w:0",
        "fast_mlp/l1/b:0",
        "fast_mlp/l1/w:0",
    ]


def test_submodules_built_in_build_stay_on_full_path(eager):
    mod = BuildsInBuild()
    x = tf.ones([1, 3])
    mod(x)
    mod(x)
    assert mod._snt_state.replay is None
    assert [v.name for v in mod.variables] == [
        "builds_in_build/inner/b:0",
        "builds_in_build/inner/w:0",
    ]


def test_custom_getters_still_run_every_call(eager):
    calls = []

    def counting(getter, *args, **kwargs):
        calls.append(args[0] if args else kwargs["name"])
        return getter(*args, **kwargs)

    own = FastAffine(1, custom_getter=counting, name="own_getter")
    own(tf.ones([1, 2]))
    own(tf.ones([1, 2]))
    assert len(calls) == 4 and own._snt_state.replay is None

    with v1.variable_scope("outer", custom_getter=counting):
        scoped = FastAffine(1, name="scoped")
    scoped(tf.ones([1, 2]))
    calls.clear()
    scoped(tf.ones([1, 2]))  # a getter of the creation scope applies on every call
    assert calls == ["outer/scoped/w", "outer/scoped/b"] and scoped._snt_state.replay is None


def test_observers_and_last_subgraph_on_replay(eager):
    mod = FastAffine(2)
    x = tf.ones([1, 3])
    mod(x)
    mod(x)
    assert mod._snt_state.replay is not None
    seen = []
    with snt.observe_connections(seen.append):
        y = mod(x)
    assert [s.module for s in seen] == [mod]
    assert seen[0].outputs is y and seen[0].inputs["x"] is x


def test_regularizers_on_replay(eager):
    mod = FastAffine(1, regularizers={"w": snt.regularizers.l1(1.0)})
    mod(tf.ones([1, 2]))
    mod(tf.ones([1, 2]))
    np.testing.assert_allclose(float(tf.add_n(mod.get_regularization_losses())), 2.0)


def test_replay_asking_for_new_variable_fails(eager):
    class Sneaky(snt.AbstractModule):
        def _build(self, x, extra=False):
            out = x * snt.get_variable("a", [], initializer=tf.ones_initializer())
            if extra:
                out = out * snt.get_variable("late", [], initializer=tf.ones_initializer())
            return out

    mod = Sneaky()
    mod(1.0)
    with pytest.raises(snt.NotSupportedError, match="sneaky: variable 'late' was not created"):
        mod(1.0, extra=True)


def test_replayed_module_inside_tf_function(eager):
    mlp = FastMLP()
    x = tf.ones([2, 4])
    eager_out = mlp(x)
    np.testing.assert_allclose(tf.function(mlp)(x).numpy(), eager_out.numpy())
    assert len(mlp.variables) == 4


def test_same_name_in_two_subscopes_keeps_full_path(eager):
    class TwoScopes(snt.AbstractModule):
        def _build(self, x):
            with v1.variable_scope("first"):
                a = snt.get_variable("v", [], initializer=tf.constant_initializer(2.0))
            with v1.variable_scope("second"):
                b = snt.get_variable("v", [], initializer=tf.constant_initializer(3.0))
            return x * a + b

    mod = TwoScopes()
    assert float(mod(1.0)) == 5.0
    assert mod._snt_state.replay is None
    assert float(mod(1.0)) == 5.0
    assert [v.name for v in mod.variables] == ["two_scopes/first/v:0", "two_scopes/second/v:0"]


def test_caller_scope_getter_applies_on_neither_path(mode):
    calls = []

    def counting(getter, *args, **kwargs):
        calls.append(kwargs.get("name", args[0] if args else None))
        return getter(*args, **kwargs)

    fast = FastAffine(1, name="fast_one")
    fast(tf.ones([1, 2]))
    full = Affine(
        1, name="full_one"
    )  # tf.compat.v1.get_variable: replayed through its recorded scope
    full(tf.ones([1, 2]))
    with v1.variable_scope("caller", custom_getter=counting):
        fast(tf.ones([1, 2]))
        full(tf.ones([1, 2]))
    assert calls == []
