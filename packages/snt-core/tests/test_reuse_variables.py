"""@snt.reuse_variables: the user guide's Reusable, BadReusable and NaiveAutoEncoder."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

v1 = tf.compat.v1


class Reusable:
    def __init__(self, name):
        with v1.variable_scope(None, default_name=name) as vs:
            self.variable_scope = vs

    @snt.reuse_variables
    def reusable_var(self):
        return v1.get_variable("a", shape=[1])


class BadReusable(Reusable):
    @snt.reuse_variables
    def another_reusable_var(self):
        return v1.get_variable("a", shape=[1])


class NaiveAutoEncoder(snt.AbstractModule):
    def __init__(self, n_latent, n_out, name="naive_auto_encoder"):
        super().__init__(name=name)
        self._n_latent = n_latent
        self._n_out = n_out

    @snt.reuse_variables
    def encode(self, inputs):
        w_enc = v1.get_variable("w_enc", shape=[self._n_out, self._n_latent])
        b_enc = v1.get_variable("b_enc", shape=[self._n_latent])
        return tf.sigmoid(tf.matmul(inputs, w_enc) + b_enc)

    @snt.reuse_variables
    def decode(self, latents):
        w_rec = v1.get_variable("w_dec", shape=[self._n_latent, self._n_out])
        b_rec = v1.get_variable("b_dec", shape=[self._n_out])
        return tf.sigmoid(tf.matmul(latents, w_rec) + b_rec)

    def _build(self, inputs):
        return self.decode(self.encode(inputs))


ALL_AE = [
    "naive_auto_encoder/b_dec:0",
    "naive_auto_encoder/b_enc:0",
    "naive_auto_encoder/w_dec:0",
    "naive_auto_encoder/w_enc:0",
]


class ModuleWithTwoCreators(snt.AbstractModule):
    """The guide's BadReusable as a module (plain objects need a graph)."""

    @snt.reuse_variables
    def reusable_var(self):
        return v1.get_variable("a", shape=[1])

    @snt.reuse_variables
    def another_reusable_var(self):
        return v1.get_variable("a", shape=[1])

    def _build(self):
        return self.reusable_var()


def test_plain_object_shares_variable(graph):
    obj = Reusable("reusable")
    a1, a2 = obj.reusable_var(), obj.reusable_var()
    assert a1 is a2
    assert a1.name == "reusable/a:0"
    # Another object with the same scope name shares it too (Sonnet 1 keys on the name).
    with v1.variable_scope("reusable", reuse=True) as scope:
        other = Reusable.__new__(Reusable)
        other.variable_scope = scope
    assert other.reusable_var() is a1


def test_plain_object_refused_eagerly(eager):
    with pytest.raises(ValueError, match="not supported in eager mode except in Sonnet modules"):
        Reusable("reusable").reusable_var()


class Adder(Reusable):
    @snt.reuse_variables
    def add_a(self, x):
        return x + self.reusable_var()


def test_method_ops_go_in_a_scope_named_after_the_method(graph):
    obj = Adder("holder")
    zeros = tf.zeros([1])
    assert obj.add_a(zeros).op.name == "holder/add_a/add"
    assert obj.add_a(zeros).op.name == "holder/add_a_1/add"
    with tf.name_scope("outer"):
        assert obj.add_a(zeros).op.name == "outer/holder/add_a/add"
    # The variable is made once, in the object's scope, and shared by every call.
    assert [v.name for v in v1.global_variables()] == ["holder/a:0"]


def test_second_method_creating_same_variable_raises_value_error(graph):
    obj = BadReusable("bad_reusable")
    obj.reusable_var()
    with pytest.raises(ValueError, match="already exists"):
        obj.another_reusable_var()


def test_second_method_of_a_module_creating_same_variable_raises(mode):
    mod = ModuleWithTwoCreators()
    mod()
    with pytest.raises(ValueError, match="already exists"):
        mod.another_reusable_var()


def test_object_without_variable_scope(graph):
    class NoScope:
        @snt.reuse_variables
        def method(self):
            return 1

    with pytest.raises(ValueError, match="NoScope.method needs .* `variable_scope`"):
        NoScope().method()


def test_decorating_a_function_that_is_not_a_method():
    with pytest.raises(TypeError, match="reuse_variables can only be used with methods"):

        @snt.reuse_variables
        def not_a_method(x):
            return x


def test_autoencoder_build_then_decode_shares(mode):
    nae = NaiveAutoEncoder(n_latent=2, n_out=4)
    inputs = tf.ones([5, 4])
    latents = tf.fill([5, 2], 0.5)
    recon = nae(inputs)
    recon_latent = nae.decode(latents)
    assert [v.name for v in nae.get_all_variables()] == ALL_AE
    assert [v.name for v in nae.variables] == ALL_AE
    if not mode.eager:
        assert len(v1.trainable_variables()) == 4
    values = mode.evaluate({"recon": recon, "latent": recon_latent, "vars": list(nae.variables)})
    b_dec, b_enc, w_dec, w_enc = values["vars"]

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    expected_latents = sigmoid(np.ones([5, 4]) @ w_enc + b_enc)
    np.testing.assert_allclose(
        values["recon"], sigmoid(expected_latents @ w_dec + b_dec), rtol=1e-5
    )
    np.testing.assert_allclose(
        values["latent"], sigmoid(0.5 * np.ones([5, 2]) @ w_dec + b_dec), rtol=1e-5
    )


def test_autoencoder_calling_order_irrelevant(mode):
    nae = NaiveAutoEncoder(n_latent=2, n_out=4)
    nae.decode(tf.ones([1, 2]))  # before the module is connected through _build
    assert nae.is_connected
    nae(tf.ones([1, 4]))
    nae.encode(tf.ones([3, 4]))
    assert [v.name for v in nae.get_all_variables()] == ALL_AE
    if not mode.eager:
        assert len(v1.trainable_variables()) == 4


def test_nested_decorated_methods(mode):
    class Nested(snt.AbstractModule):
        @snt.reuse_variables
        def inner(self, x):
            return x * v1.get_variable("s", [], initializer=tf.constant_initializer(3.0))

        @snt.reuse_variables
        def outer(self, x):
            return self.inner(x) + v1.get_variable("t", [], initializer=tf.ones_initializer())

        def _build(self, x):
            return self.outer(x)

    mod = Nested()
    y1, y2, y3 = mod(2.0), mod.outer(1.0), mod.inner(1.0)
    np.testing.assert_allclose(mode.evaluate([y1, y2, y3]), [7.0, 4.0, 3.0])
    assert [v.name for v in mod.variables] == ["nested/s:0", "nested/t:0"]


def test_decorated_method_in_tf_function(eager):
    nae = NaiveAutoEncoder(n_latent=2, n_out=4)

    @tf.function
    def decode(z):
        return nae.decode(z)

    z = tf.ones([1, 2])
    np.testing.assert_allclose(decode(z).numpy(), nae.decode(z).numpy(), rtol=1e-6)
    assert len(nae.variables) == 2


def test_decorated_method_eager_then_function_then_eager(eager):
    nae = NaiveAutoEncoder(n_latent=2, n_out=4)
    z = tf.ones([1, 2])
    first = nae.decode(z).numpy()

    @tf.function
    def decode(latents):
        return nae.decode(latents)

    np.testing.assert_allclose(decode(z).numpy(), first, rtol=1e-6)
    np.testing.assert_allclose(nae.decode(z).numpy(), first, rtol=1e-6)
    assert len(nae.variables) == 2


def test_decorated_method_before_first_build_leaves_build_free_to_create(mode):
    class InitialState(snt.AbstractModule):
        @snt.reuse_variables
        def start(self):
            return v1.get_variable("s0", [], initializer=tf.ones_initializer())

        def _build(self, x):
            return x * v1.get_variable("w", [], initializer=tf.constant_initializer(2.0))

    mod = InitialState()
    s0 = mod.start()
    y = mod(s0)
    np.testing.assert_allclose(mode.evaluate(y), 2.0)
    assert [v.name for v in mod.variables] == ["initial_state/s0:0", "initial_state/w:0"]
