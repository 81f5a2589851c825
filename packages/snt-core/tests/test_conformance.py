"""The shared conformance suite, run on core-only modules (passing and failing)."""

import pytest
import tensorflow as tf
from core_test_modules import Affine, MyMLP, batch

import sonnet as snt
from sonnet.conformance import ConformanceCase, check_case, missing_cases

v1 = tf.compat.v1

CASES = [
    ConformanceCase("Affine", lambda: Affine(3), lambda: (batch(),)),
    ConformanceCase("MyMLP", lambda: MyMLP(4, 2), lambda: (batch(),)),
    ConformanceCase(
        "Module",
        lambda: snt.Module(
            lambda x: x * v1.get_variable("s", [], initializer=tf.ones_initializer()), name="scaled"
        ),
        lambda: (batch(),),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_core_modules_conform(case, tmp_path):
    check_case(case, tmp_path)


class ModeDependent(snt.AbstractModule):
    def _build(self, x):
        w = v1.get_variable("w", [], initializer=tf.ones_initializer())
        return x * w + (1.0 if tf.executing_eagerly() else 0.0)


class ExtraVariableEachGraphCall(snt.AbstractModule):
    def __init__(self, name="extra"):
        super().__init__(name=name)
        self._calls = 0

    def _build(self, x):
        self._calls += 1
        w = v1.get_variable("w", [], initializer=tf.ones_initializer())
        if self._calls > 1:
            return x * w * 2.0
        return x * w


def test_suite_detects_mode_dependent_outputs(tmp_path):
    case = ConformanceCase("ModeDependent", ModeDependent, lambda: (batch(),))
    with pytest.raises(AssertionError, match="'ModeDependent', check 'modes'"):
        check_case(case, tmp_path)


def test_suite_detects_unshared_behaviour(tmp_path):
    case = ConformanceCase("Extra", ExtraVariableEachGraphCall, lambda: (batch(),))
    with pytest.raises(AssertionError, match="'Extra', check 'sharing'"):
        check_case(case, tmp_path)


def test_missing_cases():
    assert missing_cases(["Affine", "nets.MLP"], CASES) == ["nets.MLP"]
