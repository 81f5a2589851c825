"""Replayed connections of Sonnet 1 style modules (tf.compat.v1.get_variable in _build).

After the first connection, eager calls run ``_build`` under a variable scope
that answers ``get_variable`` from the variables that connection looked up,
with TensorFlow's sharing checks; the results are the template path's.
"""

import threading

import numpy as np
import pytest
import tensorflow as tf
from core_test_modules import Affine

import sonnet as snt

v1 = tf.compat.v1


def ramp(*shape):
    return np.linspace(-1.0, 1.0, int(np.prod(shape)), dtype=np.float32).reshape(shape)


class Scoped(snt.AbstractModule):
    """Looks variables up directly and in a sub-scope, and reports the scope it sees."""

    def __init__(self, name="scoped"):
        super().__init__(name=name)
        self.seen_scopes = []

    def _build(self, x, late=False, late_in_scope=False):
        self.seen_scopes.append(v1.get_variable_scope().name)
        scale = v1.get_variable("scale", [], initializer=tf.constant_initializer(2.0))
        with v1.variable_scope("inner"):
            shift = v1.get_variable("shift", [x.shape[-1]], initializer=tf.ones_initializer())
            if late_in_scope:
                v1.get_variable("late", [])
        if late:
            v1.get_variable("late", [])
        return x * scale + shift


def test_sonnet1_module_matches_numpy_on_every_call(mode):
    mod = Affine(2, initializers={"w": tf.constant_initializer(ramp(3, 2))})
    x1, x2 = ramp(4, 3), ramp(1, 3) * 3.0
    outputs = [mod(tf.constant(x1)), mod(tf.constant(x2)), mod(tf.constant(x1))]
    mode.initialize()
    got = mode.evaluate(outputs)
    w = ramp(3, 2)
    for out, x in zip(got, [x1, x2, x1], strict=True):
        np.testing.assert_allclose(out, x @ w, rtol=1e-6)
    assert [v.name for v in mod.variables] == ["affine/b:0", "affine/w:0"]
    # Eagerly the later calls were replayed, through the recorded scope.
    assert (mod._snt_state.replay is not None) is mode.eager
    assert (
        mod._snt_state.replay is not None and mod._snt_state.replay.scope is not None
    ) is mode.eager


def test_replays_see_assignments_and_give_gradients(eager):
    mod = Affine(1)
    x = tf.constant(ramp(2, 3))
    mod(x)
    w = mod.variables[1]
    w.assign(ramp(3, 1))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(mod(x))
    np.testing.assert_allclose(y.numpy(), (ramp(2, 3) @ ramp(3, 1)).sum(), rtol=1e-6)
    grads = tape.gradient(y, mod.trainable_variables)
    np.testing.assert_allclose(grads[1].numpy(), ramp(2, 3).sum(0, keepdims=True).T, rtol=1e-6)
    np.testing.assert_allclose(grads[0].numpy(), [2.0])


def test_sub_scopes_and_the_current_scope_name(mode):
    mod = Scoped()
    x = tf.constant(ramp(2, 3))
    outputs = [mod(x), mod(x)]
    mode.initialize()
    for out in mode.evaluate(outputs):
        np.testing.assert_allclose(out, ramp(2, 3) * 2.0 + 1.0, rtol=1e-6)
    assert mod.seen_scopes == ["scoped", "scoped"]
    assert [v.name for v in mod.variables] == ["scoped/inner/shift:0", "scoped/scale:0"]


@pytest.mark.parametrize("where", ["late", "late_in_scope"])
def test_a_variable_new_on_a_replay_is_refused(eager, where):
    mod = Scoped(name="m_scoped")
    mod(tf.ones([1, 2]))
    with pytest.raises(snt.NotSupportedError, match="m_scoped: variable 'm_scoped/.*late'"):
        mod(tf.ones([1, 2]), **{where: True})
    assert len(mod.variables) == 2


def test_sharing_checks_are_tensorflows(mode):
    mod = Affine(2, name="m_affine")
    mod(tf.ones([2, 3]))
    with pytest.raises(ValueError, match="share variable m_affine/w, but specified shape"):
        mod(tf.ones([2, 4]))


def test_dtype_check(eager):
    class Typed(snt.AbstractModule):
        def _build(self, x):
            return x * v1.get_variable("v", [], dtype=x.dtype, initializer=tf.ones_initializer())

    mod = Typed(name="m_typed")
    mod(tf.ones([2]))
    with pytest.raises(ValueError, match="m_typed: .*share variable m_typed/v.*dtype float64"):
        mod(tf.ones([2], tf.float64))


def test_mixed_snt_and_v1_lookups(eager):
    class Mixed(snt.AbstractModule):
        def _build(self, x):
            a = snt.get_variable("a", [], initializer=tf.constant_initializer(3.0))
            b = v1.get_variable("b", [], initializer=tf.constant_initializer(0.5))
            return x * a + b

    mod = Mixed()
    assert [float(mod(2.0)) for _ in range(3)] == [6.5, 6.5, 6.5]
    assert mod._snt_state.replay and mod._snt_state.replay.scope is not None


def test_threads_calling_one_module(eager):
    mod = Affine(2, initializers={"w": tf.constant_initializer(ramp(3, 2))})
    mod(tf.ones([1, 3]))
    errors, results = [], {}

    def worker(k):
        try:
            results[k] = [mod(tf.constant(ramp(2, 3) * k)).numpy() for _ in range(20)]
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k, outs in results.items():
        for out in outs:
            np.testing.assert_allclose(out, (ramp(2, 3) * k) @ ramp(3, 2), rtol=1e-6)
    assert len(mod.variables) == 2
    assert v1.get_variable_scope().name == ""  # every thread restored its scope


class ReentersOwnScope(snt.AbstractModule):
    """Looks its variable up inside ``self._enter_variable_scope()`` (a Sonnet 1 idiom)."""

    def _build(self, x):
        with self._enter_variable_scope(reuse=v1.AUTO_REUSE):
            w = v1.get_variable("w", [], initializer=tf.ones_initializer())
        return x * w


def test_enter_variable_scope_inside_build(mode):
    mod = ReentersOwnScope()
    first = mod(tf.constant(2.0))
    mode.initialize()
    (w,) = mod.variables
    if mode.eager:
        w.assign(5.0)
    else:
        mode.session().run(w.assign(5.0))
    second = mod(tf.constant(2.0))
    assert [float(v) for v in mode.evaluate([first, second])] in ([2.0, 10.0], [10.0, 10.0])
    assert float(mode.evaluate(second)) == 10.0  # the same variable, not a new one
    assert [v.name for v in mod.variables] == ["reenters_own_scope/w:0"]


class LateVariable(snt.AbstractModule):
    """Makes a tf.Variable on its second call (outside any variable scope lookup)."""

    def __init__(self, name="late_variable"):
        super().__init__(name=name)
        self.calls = 0

    def _build(self, x):
        self.calls += 1
        w = v1.get_variable("w", [], initializer=tf.ones_initializer())
        if self.calls > 1:
            w = w * tf.Variable(3.0, name="late")
        return x * w


def test_a_variable_made_on_a_later_call_is_refused(mode):
    mod = LateVariable(name="m_late")
    mod(tf.constant(1.0))
    with pytest.raises(snt.VariableCreatedOnReconnectionError, match="m_late: variable"):
        mod(tf.constant(1.0))
    assert len(mod.variables) == 1


def test_submodule_connected_late_inside_a_replay(eager):
    class Parent(snt.AbstractModule):
        def __init__(self, name="parent"):
            super().__init__(name=name)
            with self._enter_variable_scope():
                self.child = Affine(1, name="child")

        def _build(self, x, use_child=False):
            scale = v1.get_variable("scale", [], initializer=tf.constant_initializer(2.0))
            y = x * scale
            return self.child(y) if use_child else y

    mod = Parent()
    x = tf.constant(ramp(2, 3))
    mod(x)
    assert mod._snt_state.replay and mod._snt_state.replay.scope is not None
    out = mod(x, use_child=True)  # the child's first connection creates its variables
    np.testing.assert_allclose(out.numpy(), (ramp(2, 3) * 2.0).sum(1, keepdims=True), rtol=1e-6)
    assert [v.name for v in mod.variables] == [
        "parent/child/b:0",
        "parent/child/w:0",
        "parent/scale:0",
    ]
