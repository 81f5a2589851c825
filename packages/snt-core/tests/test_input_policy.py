"""The input policy applied by the connection path (CONNECTION_INPUTS)."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


class Scale(snt.AbstractModule):
    """``inputs * w`` with ``w`` of the input's dtype, plus an optional state nest."""

    CONNECTION_INPUTS = {"inputs": "float", "state": "nest", "ids": "int", "any": "tensor"}

    def _build(self, inputs, state=None, ids=None, any=None, factor=2.0):
        """Scales the inputs."""
        w = snt.get_variable(
            "w", [inputs.shape[-1]], dtype=inputs.dtype, initializer=tf.constant_initializer(factor)
        )
        return {"out": inputs * w, "state": state, "ids": ids, "any": any}


X = np.array([[1.0, -2.0, 3.0]], np.float32)


def _value(mode, structure):
    return mode.evaluate(structure)


@pytest.mark.parametrize(
    "make",
    [lambda: X, X.tolist, X[0].tolist, lambda: tf.constant(X)],
    ids=["numpy", "nested_list", "list", "tensor"],
)
def test_accepted_inputs_are_converted_alike(mode, make):
    given = make()
    out = Scale()(given)["out"]
    assert out.dtype == tf.float32
    np.testing.assert_allclose(_value(mode, out), X.reshape(out.shape) * 2.0)


def test_python_numbers_take_the_dtype_of_the_first_connection(mode):
    module = Scale()
    module(tf.constant(X, tf.float64))
    out = module([[1, 2, 3]])["out"]
    assert out.dtype == tf.float64
    np.testing.assert_allclose(_value(mode, out), [[2.0, 4.0, 6.0]])


@pytest.mark.parametrize(
    "bad, message",
    [
        (
            None,
            r"inputs must be a tensor, a NumPy array or a \(nested\) list of numbers; got NoneType",
        ),
        ("text", "got str: 'text'"),
        ({"a": 1.0}, "got dict"),
        (object(), "got object"),
        (np.array(["a"]), "got ndarray"),
        (np.ones([1, 3], np.int32), "inputs must be floating point; got int32"),
    ],
    ids=["none", "str", "dict", "object", "strings", "int"],
)
def test_refused_inputs_are_named(mode, bad, message):
    with pytest.raises(TypeError, match="scale: .*" + message):
        Scale()(bad)


def test_a_later_dtype_must_match_the_first(mode):
    module = Scale()
    module(X)
    # NumPy keeps its dtype: float64 after float32 is refused, never cast silently.
    with pytest.raises(
        TypeError,
        match="scale: inputs must keep the dtype of the module's "
        "first connection, float32; got float64",
    ):
        module(X.astype(np.float64))


def test_nests_ids_and_any_dtype(mode):
    module = Scale()
    out = module(
        X, state=(np.zeros([1, 2], np.float32), [[1.0, 2.0]]), ids=[3, 4], any=np.array([True])
    )
    state = _value(mode, out["state"])
    np.testing.assert_allclose(state[1], [[1.0, 2.0]])
    assert out["ids"].dtype == tf.int32 and out["any"].dtype == tf.bool
    with pytest.raises(TypeError, match="scale: ids must be integers"):
        module(X, ids=np.ones([2], np.float32))
    with pytest.raises(TypeError, match="scale: state must be a structure of tensors; got str"):
        module(X, state="s")
    with pytest.raises(TypeError, match="scale: state must keep the dtype.*float32; got float64"):
        module(X, state=(np.zeros([1, 2]),))
    assert module(X, state=None)["state"] is None  # an optional argument may be None


def test_inside_tf_function(eager):
    module = Scale()
    out = tf.function(lambda: module(X.tolist())["out"])()
    np.testing.assert_allclose(out.numpy(), X * 2.0)
    with pytest.raises(TypeError, match="scale: inputs must be a tensor"):
        tf.function(lambda: module(None))()


def test_arguments_that_do_not_fit_show_the_call_signature(mode):
    module = Scale()
    module(X)  # built: the later calls are replayed eagerly, templated in graph mode
    with pytest.raises(
        TypeError,
        match=r"scale: Scale is called as Scale\(inputs, state=None, ids=None, any=None, "
        r"factor=2\.0\); it got an unexpected keyword argument 'scael'",
    ):
        module(X, scael=3.0)
    with pytest.raises(TypeError, match=r"it takes from 1 to 5 positional arguments but 6 were"):
        module(X, None, None, None, 2.0, 7)


def test_a_type_error_inside_build_is_not_renamed(mode):
    class Broken(snt.AbstractModule):
        def _build(self, x):
            return len(3)  # a bug in _build, not in the call

    with pytest.raises(TypeError, match="object of type 'int' has no len"):
        Broken()(X)


def test_modules_without_declared_inputs_take_anything(mode):
    seen = []
    module = snt.Module(lambda value: seen.append(value) or tf.constant(1.0))
    module("a string")
    assert seen == ["a string"]


def test_a_bad_declaration_is_refused_at_construction():
    class Misdeclared(snt.AbstractModule):
        CONNECTION_INPUTS = {"inptus": "float"}

        def _build(self, inputs):
            return inputs

    with pytest.raises(TypeError, match="CONNECTION_INPUTS: 'inptus' must be a parameter"):
        Misdeclared()


def test_a_subclass_with_its_own_build_keeps_the_declarations_that_still_fit(eager):
    # As Sonnet 1 code does with cores: a subclass whose _build drops an argument.
    class Stateful(snt.AbstractModule):
        CONNECTION_INPUTS = {"inputs": "float", "prev_state": "nest"}

        def _build(self, inputs, prev_state):
            return inputs, prev_state

    class Stateless(Stateful):
        def _build(self, inputs):
            return 2.0 * inputs

    np.testing.assert_allclose(Stateless()(np.ones([2], np.float32)).numpy(), [2.0, 2.0])
    with pytest.raises(TypeError, match="stateless_1: inputs must be floating point"):
        Stateless()(tf.ones([2], tf.int32))


def test_an_eager_tensor_given_to_a_graph_connection_is_named():
    eager_input = tf.constant(X)
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="scale: inputs is an eager tensor, but the module"):
            Scale()(eager_input)


def test_an_eager_tensor_captured_by_a_tf_function_passes(eager):
    # Closing over an eager tensor inside a tf.function is ordinary TF2 code:
    # the function captures it.
    module = Scale()
    x = tf.constant(X)
    out = tf.function(lambda: module(x)["out"])()
    np.testing.assert_allclose(out.numpy(), 2.0 * X)
