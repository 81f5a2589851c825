"""AbstractModule: naming, scopes, sharing, variables and connection records."""

import numpy as np
import pytest
import tensorflow as tf
from core_test_modules import Affine, MyMLP, OtherParentModule, ParentModule, WrongModule, batch

import sonnet as snt

v1 = tf.compat.v1


def names(variables):
    return [v.name for v in variables]


def test_default_name_is_snake_case_class_name(mode):
    class MyFancyModule(snt.AbstractModule):
        def _build(self, x):
            return x

    assert MyFancyModule().module_name == "my_fancy_module"


def test_names_are_uniquified(mode):
    a, b = Affine(3, name="linear"), Affine(3, name="linear")
    assert (a.module_name, b.module_name) == ("linear", "linear_1")
    assert b.scope_name == "linear_1"
    assert a.name == "linear"  # tf.Module name


def test_non_identifier_name_keeps_scope_and_sanitizes_tf_module_name(mode):
    mod = Affine(2, name="conv-1")
    mod(batch())
    assert mod.scope_name == "conv-1"
    assert names(mod.get_variables()) == ["conv-1/b:0", "conv-1/w:0"]
    assert mod.name.isidentifier()


def test_my_mlp_variable_names_and_sharing(mode):
    mlp = MyMLP(hidden_size=4, output_size=2)
    x = batch()
    y1, y2 = mlp(x), mlp(x * 2.0)
    expected = ["my_mlp/h_to_o/b:0", "my_mlp/h_to_o/w:0", "my_mlp/x_to_h/b:0", "my_mlp/x_to_h/w:0"]
    assert names(mlp.get_variables()) == expected
    assert names(mlp.variables) == expected
    xs = mode.evaluate(x)
    h = np.tanh(xs @ np.ones([3, 4]))
    np.testing.assert_allclose(mode.evaluate(y1), h @ np.ones([4, 2]), rtol=1e-5)
    np.testing.assert_allclose(
        mode.evaluate(y2), np.tanh(2 * xs @ np.ones([3, 4])) @ np.ones([4, 2]), rtol=1e-5
    )
    if not mode.eager:
        assert len(v1.trainable_variables()) == 4


def test_submodules_in_build_nest(mode):
    parent = ParentModule(3)
    parent(batch())
    assert names(parent.get_variables()) == ["parent_module/linear/b:0", "parent_module/linear/w:0"]


def test_submodules_in_enter_variable_scope_nest(mode):
    parent = OtherParentModule(3)
    parent(batch())
    assert parent._lin_mod.scope_name == "other_parent_module/linear"
    assert names(parent.get_variables()) == [
        "other_parent_module/linear/b:0",
        "other_parent_module/linear/w:0",
    ]


def test_submodules_outside_enter_variable_scope_stay_flat(mode):
    wrong = WrongModule(3)
    wrong(batch())
    assert names(wrong.get_variables()) == []
    assert names(wrong.get_all_variables()) == ["linear/b:0", "linear/w:0"]
    assert names(wrong.variables) == ["linear/b:0", "linear/w:0"]


def test_get_all_variables_includes_modules_passed_in(mode):
    inner = Affine(2, name="inner")

    class Wrapper(snt.AbstractModule):
        def __init__(self, module, name="wrapper"):
            super().__init__(name=name)
            self._module = module

        def _build(self, x):
            return Affine(2, name="own")(self._module(x))

    wrapper = Wrapper(inner)
    wrapper(batch())
    assert names(wrapper.get_variables()) == ["wrapper/own/b:0", "wrapper/own/w:0"]
    assert names(wrapper.get_all_variables()) == [
        "inner/b:0",
        "inner/w:0",
        "wrapper/own/b:0",
        "wrapper/own/w:0",
    ]


def test_get_variables_collections(mode):
    class WithNonTrainable(snt.AbstractModule):
        def _build(self, x):
            c = v1.get_variable("count", [], trainable=False, initializer=tf.zeros_initializer())
            w = v1.get_variable("w", [], initializer=tf.ones_initializer())
            return x * w + c

    mod = WithNonTrainable()
    mod(1.0)
    assert names(mod.get_variables()) == ["with_non_trainable/w:0"]
    assert names(mod.get_variables(v1.GraphKeys.GLOBAL_VARIABLES)) == [
        "with_non_trainable/count:0",
        "with_non_trainable/w:0",
    ]
    assert names(mod.trainable_variables) == ["with_non_trainable/w:0"]
    assert names(mod.non_trainable_variables) == ["with_non_trainable/count:0"]


def test_not_connected_errors(mode):
    mod = Affine(2, name="lonely")
    accesses = [
        mod.get_variables,
        mod.get_all_variables,
        lambda: mod.variable_scope,
        lambda: mod.variables,
        lambda: mod.trainable_variables,
        lambda: mod.non_trainable_variables,
    ]
    if not mode.eager:  # eagerly connections are not tracked at all (NotSupportedError)
        accesses.append(lambda: mod.last_connected_subgraph)
    for access in accesses:
        # Sonnet 1's phrase, "Variables in <scope> not instantiated yet", names the module.
        with pytest.raises(
            snt.NotConnectedError,
            match="lonely: module not connected yet. Variables in lonely not instantiated yet, "
            "__call__ the module first",
        ):
            access()
    assert not mod.is_connected


def test_connected_subgraphs_and_name_scopes(mode):
    mod = Affine(2, name="lin")
    x = batch()
    out1 = mod(x)
    out2 = mod(inputs_as_kw := x)  # noqa: F841
    if mode.eager:
        # As in Sonnet 1, eager calls (one per training step) are not recorded.
        for name in ("last_connected_subgraph", "connected_subgraphs"):
            with pytest.raises(snt.NotSupportedError, match="not tracked in eager mode"):
                getattr(mod, name)
        with pytest.raises(snt.NotSupportedError, match="not supported in eager mode"):
            _ = mod.name_scopes
        assert mod.is_connected and mod.graph is None
        return
    last = mod.last_connected_subgraph
    assert last.module is mod
    assert last.outputs is out2
    assert last.inputs["x"] is x
    assert mod.name_scopes == ("lin", "lin_1")
    assert [s.outputs for s in mod.connected_subgraphs] == [out1, out2]
    assert mod.graph is tf.compat.v1.get_default_graph()
    assert mod.is_connected


def test_observe_connections_reports_nested_first(mode):
    seen = []
    mlp = MyMLP(3, 2)
    with snt.observe_connections(seen.append):
        mlp(batch())
    assert [s.module.module_name for s in seen] == ["x_to_h", "h_to_o", "my_mlp"]
    mlp(batch())
    assert len(seen) == 3


def test_custom_getter_callable(mode):
    calls = []

    def doubling_getter(getter, name, *args, **kwargs):
        calls.append(name)
        return getter(name, *args, **kwargs) * 2.0

    mod = Affine(2, custom_getter=doubling_getter, name="doubled")
    y = mod(tf.ones([1, 3]))
    np.testing.assert_allclose(mode.evaluate(y), [[6.0, 6.0]])
    mod(tf.ones([1, 3]))
    assert calls == ["doubled/w", "doubled/b"] * 2  # runs on every connection


def test_custom_getter_dict_routes_by_name_inside_scope(mode):
    def stop(getter, *args, **kwargs):
        return tf.stop_gradient(getter(*args, **kwargs))

    mod = Affine(2, custom_getter={"w": stop}, name="routed")
    x = tf.ones([1, 3])
    if mode.eager:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(mod(x))
        grads = tape.gradient(y, mod.get_variables())
    else:
        y = tf.reduce_sum(mod(x))
        grads = tf.gradients(y, list(mod.get_variables()))
    # sorted: b, w — w's gradient is stopped.
    assert grads[0] is not None and grads[1] is None


def test_custom_getter_router_rejects_two_matches(mode):
    getter = snt.custom_getter_router(
        {"w.*": lambda g, *a, **k: g(*a, **k), "w": lambda g, *a, **k: g(*a, **k)},
        lambda n: n.split("/")[-1],
    )
    with v1.variable_scope("s", custom_getter=getter):
        with pytest.raises(KeyError, match=r"More than one custom_getter matched s/w \(w\)"):
            v1.get_variable("w", [])


def test_defun_wraps_call(mode):
    mod = Affine(2, name="fn")
    assert not mod.defun_wrapped
    mod.defun()
    assert mod.defun_wrapped
    y = mod(tf.ones([1, 3]))
    np.testing.assert_allclose(mode.evaluate(y), [[3.0, 3.0]])
    assert names(mod.get_variables(v1.GraphKeys.GLOBAL_VARIABLES)) == ["fn/b:0", "fn/w:0"]


def test_possible_initializer_keys():
    assert Affine.get_possible_initializer_keys() == {"w", "b"}
