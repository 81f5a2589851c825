"""Sonnet 1 behaviours of AbstractModule that its users and their code rely on."""

import inspect

import numpy as np
import tensorflow as tf

import sonnet as snt

v1 = tf.compat.v1


class ScaleAndShift(snt.AbstractModule):
    """A variable made in __init__ (Sonnet 1 style) and one made in _build."""

    def __init__(self, name="scale_and_shift"):
        super().__init__(name=name)
        with self._enter_variable_scope():
            self._shift = v1.get_variable("shift", [3], initializer=tf.constant_initializer(0.5))

    def _build(self, inputs, scale_by=1.0):
        """Scales the inputs by a learnt vector, then shifts them."""
        scale = v1.get_variable("scale", [3], initializer=tf.constant_initializer(2.0))
        return inputs * scale * scale_by + self._shift


class Nests(snt.AbstractModule):
    """Builds a new submodule object on every connection (it reuses the first's variables)."""

    def _build(self, inputs):
        self.inner = ScaleAndShift(name="inner")
        return self.inner(inputs)


def test_call_has_the_signature_and_docstring_of_build():
    module = ScaleAndShift()
    assert inspect.signature(module.__call__) == inspect.signature(module._build)
    assert list(inspect.signature(module.__call__).parameters) == ["inputs", "scale_by"]
    assert module.__call__.__doc__ == ScaleAndShift._build.__doc__

    class OwnCall(ScaleAndShift):
        def __call__(self, inputs):
            """Calls the module on doubled inputs."""
            return super().__call__(inputs * 2.0)

    # A class defining __call__ itself keeps it.
    assert OwnCall.__call__.__doc__ == "Calls the module on doubled inputs."


def test_variables_made_in_init_belong_to_the_module(mode):
    module = ScaleAndShift()
    x = np.array([[1.0, -2.0, 3.0]], np.float32)
    out1 = module(tf.constant(x))
    out2 = module(tf.constant(x), scale_by=3.0)
    names = [v.name for v in module.variables]
    assert names == ["scale_and_shift/scale:0", "scale_and_shift/shift:0"]
    assert [v.name for v in module.get_variables()] == names
    np.testing.assert_allclose(mode.evaluate(out1), x * 2.0 + 0.5)
    np.testing.assert_allclose(mode.evaluate(out2), x * 6.0 + 0.5)
    if mode.eager:
        # One variable each: the second call found the first call's variables.
        assert len({id(v) for v in module.variables}) == 2


def test_a_module_rebuilt_in_each_connection_uses_the_first_ones_variables(mode):
    outer = Nests()
    x = tf.ones([1, 3])
    outer(x)
    first = outer.inner
    outer(x)
    second = outer.inner
    assert first is not second
    assert [v.name for v in second.variables] == ["nests/inner/scale:0", "nests/inner/shift:0"]
    assert all(a is b for a, b in zip(first.variables, second.variables, strict=True))


def test_sonnet1_private_aliases(graph):
    assert Nests()._graph is None  # bound on first use of its scope
    module = ScaleAndShift()  # its __init__ enters its scope: bound already
    assert module._graph is tf.compat.v1.get_default_graph() is module.graph
    module(tf.ones([1, 3]))
    # Sonnet 1 client code re-enters the template's scope.
    with v1.variable_scope(module._template.variable_scope, reuse=True):
        assert v1.get_variable("scale", [3]) is module.get_variables()[0]
    assert sorted(v.name for v in module._all_variables) == [
        "scale_and_shift/scale:0",
        "scale_and_shift/shift:0",
    ]


def test_local_variables_are_listed_by_collection(mode):
    def local_getter(getter, *args, **kwargs):
        kwargs["trainable"] = False
        kwargs["collections"] = [v1.GraphKeys.LOCAL_VARIABLES]
        return getter(*args, **kwargs)

    with v1.variable_scope("", custom_getter=local_getter):
        module = ScaleAndShift(name="local")
    module(tf.ones([1, 3]))
    local = v1.GraphKeys.LOCAL_VARIABLES
    assert [v.name for v in module.get_all_variables(local)] == ["local/scale:0", "local/shift:0"]
    assert module.get_all_variables() == ()
    assert module.get_variables(v1.GraphKeys.GLOBAL_VARIABLES) == ()
    assert [v.name for v in module.non_trainable_variables] == ["local/scale:0", "local/shift:0"]


def test_observers_see_graph_connections_with_their_inputs(graph):
    module = ScaleAndShift()
    x = tf.ones([2, 3])
    seen = []
    with snt.observe_connections(seen.append):
        out = module(x, scale_by=2.0)
    (subgraph,) = seen
    assert subgraph.module is module and subgraph.outputs is out
    assert subgraph.inputs == {"inputs": x, "scale_by": 2.0}
    assert module.last_connected_subgraph is subgraph
