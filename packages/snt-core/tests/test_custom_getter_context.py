"""snt.custom_getters.Context: a getter that applies only inside ``with`` (graph and eager)."""

import logging

import pytest
import tensorflow as tf
from getter_helpers import FastAffine, input_batch, with_gradients

import sonnet as snt

getters = snt.custom_getters


def _variable_grads(mode, module):
    _, grads = with_gradients(mode, lambda x: (module(x), list(module.variables)), input_batch())
    return grads[1:]


def test_context_applies_only_inside_the_block(mode):
    ctx = getters.Context(getters.stop_gradient)
    module = FastAffine(custom_getter=ctx)
    assert all(g is not None for g in _variable_grads(mode, module))
    with ctx:
        assert ctx.active
        assert all(g is None for g in _variable_grads(mode, module))
    assert not ctx.active
    assert all(g is not None for g in _variable_grads(mode, module))


def test_context_blocks_nest(mode):
    ctx = getters.Context(getters.stop_gradient)
    module = FastAffine(custom_getter=ctx)
    with ctx:
        with ctx:
            pass
        assert all(g is None for g in _variable_grads(mode, module))
    assert all(g is not None for g in _variable_grads(mode, module))


def test_context_on_an_enclosing_variable_scope(mode):
    ctx = getters.Context(getters.stop_gradient)
    with tf.compat.v1.variable_scope("outer", custom_getter=ctx):
        module = FastAffine()
    assert all(g is not None for g in _variable_grads(mode, module))
    with ctx:
        assert all(g is None for g in _variable_grads(mode, module))


def test_context_default_getter_applies_outside(mode):
    ctx = getters.Context(getters.stop_gradient, default_getter=getters.non_trainable)
    module = FastAffine(custom_getter=ctx)
    module(input_batch())
    assert module.trainable_variables == ()


def test_context_verbose_logs_variable_names(mode, caplog):
    ctx = getters.Context(getters.stop_gradient, verbose=True)
    module = FastAffine(custom_getter=ctx)
    with caplog.at_level(logging.INFO, logger="sonnet.custom_getters"), ctx:
        module(input_batch())
    assert "fast_affine/w" in caplog.text


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"getter": 3}, r"Context: getter must be callable, got int\."),
        (
            {"getter": getters.stop_gradient, "default_getter": "x"},
            r"Context: default_getter must be callable or None, got str\.",
        ),
    ],
)
def test_context_rejects_non_callables(kwargs, message):
    with pytest.raises(TypeError, match=message):
        getters.Context(**kwargs)
