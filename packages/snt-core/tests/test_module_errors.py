"""Errors raised by AbstractModule: class and message."""

import pickle

import pytest
import tensorflow as tf
from core_test_modules import Affine, batch

import sonnet as snt

v1 = tf.compat.v1


def test_forgot_super_init(mode):
    class Forgetful(snt.AbstractModule):
        def __init__(self, name="forgetful"):
            self._size = 3

        def _build(self, x):
            return x

    mod = Forgetful()
    with pytest.raises(snt.NotInitializedError, match=r"Forgetful is not initialized.*super"):
        mod(batch())
    with pytest.raises(snt.NotInitializedError):
        mod.module_name  # noqa: B018


def test_positional_init_refused():
    class Positional(snt.AbstractModule):
        def __init__(self, name):
            super().__init__(name)

        def _build(self, x):
            return x

    with pytest.raises(ValueError, match="Positional: AbstractModule.__init__ takes keyword"):
        Positional("p")


def test_name_must_be_string():
    with pytest.raises(TypeError, match="name must be a string, got int: 3"):
        Affine(2, name=3)


def test_custom_getter_must_be_callable():
    with pytest.raises(TypeError, match="bad_getter: Given custom_getter is not callable"):
        Affine(2, custom_getter=42, name="bad_getter")
    with pytest.raises(TypeError, match="Given custom_getter is not callable.*pattern 'w'"):
        Affine(2, custom_getter={"w": 0}, name="bad_getter_dict")


def test_missing_build_is_abstract():
    class NoBuild(snt.AbstractModule):
        pass

    with pytest.raises(TypeError, match="abstract"):
        NoBuild()


def test_different_graph():
    with tf.Graph().as_default():
        mod = Affine(2, name="bound")
        mod(batch())
    with tf.Graph().as_default():
        with pytest.raises(
            snt.DifferentGraphError, match="bound: Cannot connect module to multiple Graphs"
        ):
            mod(batch())


def test_tf_variable_created_on_reconnection(mode):
    class MakesVariable(snt.AbstractModule):
        def _build(self, x):
            return x * tf.Variable(2.0, name="v")

    mod = MakesVariable()
    mod(tf.ones([1]))
    with pytest.raises(snt.VariableCreatedOnReconnectionError, match="makes_variable: variable"):
        mod(tf.ones([1]))


def test_graph_reconnection_may_add_non_trainable_variables(graph):
    """As TensorFlow's templates: a later graph connection may create non-trainable
    variables (e.g. through a custom getter); they join the module's variables."""
    active = []

    def shadow_getter(getter, name, *args, **kwargs):
        original = getter(name, *args, **kwargs)
        if not active:
            return original
        kwargs.update(reuse=tf.compat.v1.AUTO_REUSE, trainable=False)
        return getter(name + "_shadow", *args, **kwargs)

    with tf.compat.v1.variable_scope("", custom_getter=shadow_getter):
        mod = Affine(2, name="shadowed")
    mod(batch())
    active.append(True)
    mod(batch())
    everything = mod.get_all_variables(collection=tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)
    assert sorted(v.name for v in mod.variables) == sorted(v.name for v in everything)
    names = sorted(v.name for v in everything)
    assert names == [
        "shadowed/b:0",
        "shadowed/b_shadow:0",
        "shadowed/w:0",
        "shadowed/w_shadow:0",
    ]
    assert sorted(v.name for v in mod.trainable_variables) == ["shadowed/b:0", "shadowed/w:0"]


def test_pickle_refused(mode):
    mod = Affine(2, name="unpicklable")
    with pytest.raises(
        snt.NotSupportedError, match=r"unpicklable \(Affine\).*cannot be serialized \(pickled"
    ):
        pickle.dumps(mod)


def test_initializer_checks():
    with pytest.raises(KeyError, match=r"keyed: Invalid initializer keys \['v'\].*\['b', 'w'\]"):
        Affine(2, initializers={"v": tf.ones_initializer()}, name="keyed")
    with pytest.raises(
        TypeError,
        match="typed: Initializer for 'w' is not a callable function or dictionary.*float",
    ):
        Affine(2, initializers={"w": 3.0}, name="typed")
    with pytest.raises(TypeError, match="Expected a dict of regularizers.*got list"):
        snt.check_regularizers([1], {"w"})
    with pytest.raises(
        TypeError,
        match=r"n: Initializer for 'w' is not a callable function or dictionary "
        r"\(at 'inner/w'\): got float",
    ):
        snt.check_initializers({"inner": {"w": 3.0}}, {"inner"}, module_name="n")
    assert snt.check_partitioners(None, {"w"}) == {}
    assert snt.check_initializers({"w": {"inner": tf.ones_initializer()}}, {"w"})


def test_errors_from_build_keep_their_message_only(mode):
    class Checks(snt.AbstractModule):
        def _build(self, x):
            raise ValueError(f"{self.scope_name}: expected rank 2, got rank {x.shape.rank}")

    with pytest.raises(ValueError) as info:
        Checks()(tf.ones([1]))
    assert str(info.value) == "checks: expected rank 2, got rank 1"


def test_property_attribute_errors_keep_their_message():
    class WithOptionalBias(snt.AbstractModule):
        def _build(self, x):
            return x

        @property
        def b(self):
            raise AttributeError("with_optional_bias has no bias: use_bias=False")

    with pytest.raises(AttributeError, match="use_bias=False"):
        WithOptionalBias().b  # noqa: B018
