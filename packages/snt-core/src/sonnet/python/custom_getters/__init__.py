"""Sonnet 1's ``sonnet.python.custom_getters`` path: ``snt.custom_getters`` (snt-core)."""

# ruff: noqa: F401
from sonnet.custom_getters import (
    Context,
    __all__,
    bayes_by_backprop,
    non_trainable,
    override_args,
    override_default_args,
    restore_initializer,
    stop_gradient,
)
