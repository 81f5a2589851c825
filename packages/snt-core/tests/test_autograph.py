"""Inside tf.function, AutoGraph calls modules unconverted (as Sonnet 1's templates were)."""

import inspect
import sys

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


class _Recorder(snt.AbstractModule):
    """Scales by a variable and records the code object its _build runs as."""

    def __init__(self, name="recorder"):
        super().__init__(name=name)
        self.codes = []

    def _build(self, x):
        self.codes.append(inspect.currentframe().f_code)
        s = snt.get_variable("s", [], initializer=tf.constant_initializer(3.0))
        return x * s

    @snt.reuse_variables
    def doubled(self, x):
        self.codes.append(inspect.currentframe().f_code)
        return 2.0 * x


def test_build_runs_unconverted_inside_tf_function(eager):
    module = _Recorder()
    x = np.arange(4, dtype=np.float32)
    eager_out = module(tf.constant(x))  # builds the variable eagerly
    traced = tf.function(lambda t: module(t))(tf.constant(x))
    np.testing.assert_allclose(traced.numpy(), 3.0 * x)
    np.testing.assert_allclose(eager_out.numpy(), 3.0 * x)
    assert module.codes == [_Recorder._build.__code__] * 2  # not AutoGraph's rewritten copy


def test_first_connection_inside_tf_function_unconverted(eager):
    module = _Recorder()
    x = np.ones([2], np.float32)
    out = tf.function(lambda t: module(t))(tf.constant(x))
    np.testing.assert_allclose(out.numpy(), 3.0 * x)
    # Creating variables makes tf.function trace twice; neither ran converted code.
    assert module.codes and set(module.codes) == {_Recorder._build.__code__}
    assert [v.name for v in module.variables] == ["recorder/s:0"]


def test_reuse_variables_method_runs_unconverted(eager):
    module = _Recorder()
    out = tf.function(lambda t: module.doubled(t))(tf.ones([2]))
    np.testing.assert_allclose(out.numpy(), [2.0, 2.0])
    assert module.codes == [_Recorder.doubled.__wrapped__.__code__]


def test_autograph_still_converts_the_traced_function(eager):
    # The user's own function (not a module) keeps AutoGraph: a loop over a tensor.
    module = _Recorder()
    module(tf.ones([1]))

    @tf.function
    def loop(n):
        total = tf.zeros([1])
        for _ in tf.range(n):
            total += module(tf.ones([1]))
        return total

    np.testing.assert_allclose(loop(tf.constant(4)).numpy(), [12.0])


class RecordsItsCode(snt.AbstractModule):
    def __init__(self, name: str = "records_its_code") -> None:
        super().__init__(name=name)
        self.files: list[str] = []

    def _build(self, x):
        self.files.append(sys._getframe().f_code.co_filename)
        w = tf.compat.v1.get_variable("w", [], initializer=tf.ones_initializer())
        return x * w


@pytest.mark.parametrize("built_eagerly_first", [False, True])
def test_build_runs_unconverted_in_tf_function(built_eagerly_first):
    module = RecordsItsCode()
    x = tf.constant([1.0, 2.0])
    if built_eagerly_first:
        module(x)

    @tf.function
    def step(inputs):
        return module(inputs) * 2.0

    first = step(x)
    retraced = step(tf.constant([[1.0]]))  # another input signature: a second trace
    assert first.numpy().tolist() == [2.0, 4.0]
    assert retraced.numpy().tolist() == [[2.0]]
    assert module.files and set(module.files) == {__file__}, module.files


def test_module_call_is_not_converted():
    module = RecordsItsCode()
    converted = tf.autograph.to_graph(lambda x: module(x))  # noqa: PLW0108
    assert float(tf.function(converted)(tf.constant(3.0))) == 3.0
    assert set(module.files) == {__file__}
