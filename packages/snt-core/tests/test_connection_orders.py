"""Parents track their children whatever order users connect them in.

A module connected on its own first (to inspect it, or by another parent) and
then handed to a parent must be tracked by that parent: its variables are in
the parent's ``trainable_variables`` and ``get_all_variables()``, a training
step through the parent updates them, and a checkpoint of the parent holds
them. Checked in graph mode, eagerly and inside ``tf.function``, for modules
whose later connections are replayed (``snt.get_variable``), Sonnet 1 style
modules (``tf.compat.v1.get_variable``) and modules that keep the template path
(a custom getter).
"""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from sonnet.mode_testing import run_in_mode

v1 = tf.compat.v1

X = np.linspace(-1.0, 1.0, 6, dtype=np.float32).reshape(2, 3)


def _ramp_initializer(shape, dtype=tf.float32, partition_info=None):
    del partition_info
    count = int(np.prod(shape))
    return tf.reshape(tf.linspace(-0.5, 0.7, count), shape) if count > 1 else tf.zeros(shape)


class Dense(snt.AbstractModule):
    """x @ w + b through snt.get_variable (later connections replay the variables)."""

    def __init__(self, size, custom_getter=None, name="dense"):
        super().__init__(custom_getter=custom_getter, name=name)
        self._size = size

    def _build(self, x):
        w = snt.get_variable("w", [x.shape[-1], self._size], initializer=_ramp_initializer)
        b = snt.get_variable("b", [self._size], initializer=tf.constant_initializer(0.1))
        return tf.matmul(x, w) + b


class V1Dense(Dense):
    """The same, Sonnet 1 style: tf.compat.v1.get_variable in _build."""

    def _build(self, x):
        w = v1.get_variable("w", [x.shape[-1], self._size], initializer=_ramp_initializer)
        b = v1.get_variable("b", [self._size], initializer=tf.constant_initializer(0.1))
        return tf.matmul(x, w) + b


def _identity_getter(getter, *args, **kwargs):
    return getter(*args, **kwargs)


KINDS = {
    "replayed": lambda size, name: Dense(size, name=name),
    "sonnet1_style": lambda size, name: V1Dense(size, name=name),
    "custom_getter": lambda size, name: Dense(size, custom_getter=_identity_getter, name=name),
}


class Chain(snt.AbstractModule):
    """A user module taking its layers as a constructor argument."""

    def __init__(self, layers, name="chain"):
        super().__init__(name=name)
        self._layers = list(layers)

    def _build(self, x):
        for layer in self._layers:
            x = layer(x)
        return x


class Runner:
    """Calls modules in graph mode, eagerly, or each call inside a fresh tf.function."""

    def __init__(self, mode, name):
        self.mode = mode
        self.function = name == "function"

    def call(self, module, x):
        if self.function:
            return tf.function(lambda inputs: module(inputs))(x)
        return module(x)

    def evaluate(self, value):
        return self.mode.evaluate(value)


@pytest.fixture(params=["graph", "eager", "function"])
def runner(request):
    with run_in_mode("graph" if request.param == "graph" else "eager") as mode:
        yield Runner(mode, request.param)


def _numpy_chain(values, x):
    """The chain's output from the variables' values: (x @ w0 + b0) @ w1 + b1 ..."""
    out = x
    for w, b in values:
        out = out @ w + b
    return out


def _names(variables):
    return sorted(v.name for v in variables)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("calls_before", [1, 3])
def test_child_connected_before_its_parent_is_tracked(runner, kind, calls_before):
    make = KINDS[kind]
    enc = make(4, "enc")
    for _ in range(calls_before):
        runner.call(enc, tf.constant(X))
    head = make(2, "head")
    chain = Chain([enc, head])
    out = runner.call(chain, tf.constant(X))
    out = runner.call(chain, tf.constant(X))  # a reconnection keeps the children too
    expected = ["enc/b:0", "enc/w:0", "head/b:0", "head/w:0"]
    assert _names(chain.trainable_variables) == expected
    assert _names(chain.get_all_variables()) == expected
    assert _names(chain.variables) == expected
    values = runner.evaluate(
        [
            (enc.get_variables()[1], enc.get_variables()[0]),
            (head.get_variables()[1], head.get_variables()[0]),
        ]
    )
    np.testing.assert_allclose(runner.evaluate(out), _numpy_chain(values, X), rtol=1e-6)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_training_through_the_parent_updates_a_child_connected_before(runner, kind):
    make = KINDS[kind]
    enc = make(4, "enc")
    runner.call(enc, tf.constant(X))
    chain = Chain([enc, make(2, "head")])
    rate = 0.1
    if runner.mode.eager:

        def step():
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(chain(tf.constant(X)) ** 2)
            variables = chain.trainable_variables
            for v, g in zip(variables, tape.gradient(loss, variables), strict=True):
                v.assign_sub(rate * g)

        runner.call(chain, tf.constant(X))  # build the head
        before = {v.name: v.numpy() for v in chain.trainable_variables}
        (tf.function(step) if runner.function else step)()
        after = {v.name: v.numpy() for v in chain.trainable_variables}
    else:
        loss = tf.reduce_sum(chain(tf.constant(X)) ** 2)
        variables = chain.trainable_variables
        train = v1.train.GradientDescentOptimizer(rate).minimize(loss, var_list=variables)
        before = dict(
            zip([v.name for v in variables], runner.evaluate(list(variables)), strict=True)
        )
        runner.mode.session().run(train)
        after = dict(
            zip([v.name for v in variables], runner.evaluate(list(variables)), strict=True)
        )
    # The expected update from NumPy: d/dw0 of sum(((x w0 + b0) w1 + b1)^2).
    w0, b0, w1, b1 = (before[n] for n in ["enc/w:0", "enc/b:0", "head/w:0", "head/b:0"])
    hidden = X @ w0 + b0
    grad_out = 2 * (hidden @ w1 + b1)
    grad_w0 = X.T @ (grad_out @ w1.T)
    np.testing.assert_allclose(after["enc/w:0"], w0 - rate * grad_w0, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(after["head/w:0"], w1 - rate * hidden.T @ grad_out, rtol=1e-5)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_child_shared_by_two_parents_is_tracked_by_both(runner, kind):
    make = KINDS[kind]
    shared = make(3, "shared")
    first = Chain([shared, make(2, "first_head")], name="first")
    second = Chain([make(3, "second_in"), shared], name="second")
    out_first = runner.call(first, tf.constant(X))
    out_second = runner.call(second, tf.constant(X))
    assert _names(first.trainable_variables) == [
        "first_head/b:0",
        "first_head/w:0",
        "shared/b:0",
        "shared/w:0",
    ]
    assert _names(second.get_all_variables()) == [
        "second_in/b:0",
        "second_in/w:0",
        "shared/b:0",
        "shared/w:0",
    ]
    assert {v.name for v in shared.variables} == {"shared/w:0", "shared/b:0"}
    # One set of variables: both parents compute with the same shared weights.
    ws, bs = runner.evaluate([shared.get_variables()[1], shared.get_variables()[0]])
    head = [v for v in first.trainable_variables if v.name.startswith("first_head")]
    inner = [v for v in second.trainable_variables if v.name.startswith("second_in")]
    hb, hw = runner.evaluate(head)
    ib, iw = runner.evaluate(inner)
    np.testing.assert_allclose(
        runner.evaluate(out_first), _numpy_chain([(ws, bs), (hw, hb)], X), rtol=1e-6
    )
    np.testing.assert_allclose(
        runner.evaluate(out_second), _numpy_chain([(iw, ib), (ws, bs)], X), rtol=1e-6
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("in_function", [False, True], ids=["eager", "function"])
def test_checkpoint_of_the_parent_holds_a_child_connected_before(tmp_path, kind, in_function):
    with run_in_mode("eager"):
        make = KINDS[kind]
        call = (lambda m, x: tf.function(lambda i: m(i))(x)) if in_function else (lambda m, x: m(x))
        enc = make(4, "enc")
        call(enc, tf.constant(X))
        chain = Chain([enc, make(2, "head")])
        expected = call(chain, tf.constant(X)).numpy()
        path = tf.train.Checkpoint(model=chain).save(str(tmp_path / "ckpt"))
        for v in chain.trainable_variables:
            v.assign(tf.zeros_like(v))
        tf.train.Checkpoint(model=chain).restore(path).assert_consumed()
        np.testing.assert_array_equal(call(chain, tf.constant(X)).numpy(), expected)


def test_observers_hear_replayed_and_nested_connections(runner):
    enc = Dense(4, name="enc")
    runner.call(enc, tf.constant(X))
    chain = Chain([enc])
    seen = []
    with snt.observe_connections(seen.append):
        runner.call(chain, tf.constant(X))
        runner.call(chain, tf.constant(X))
    assert [s.module.module_name for s in seen] == ["enc", "chain", "enc", "chain"]
