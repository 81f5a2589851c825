"""Bayes by Backprop as a custom getter (``snt.custom_getters.bayes_by_backprop``).

Weights become distributions: each trainable variable requested through the
getter is replaced by a sample from a learned posterior, and the KL cost to a
prior is collected for the loss. Works in ``tf.compat.v1`` graph mode, eagerly
and in ``tf.function``; by default noise is drawn anew on every connection.

Example:
  >>> import sonnet as snt, tensorflow as tf
  >>> bbb = snt.custom_getters.bayes_by_backprop
  >>> getter = bbb.bayes_by_backprop_getter(prior_builder=bbb.adaptive_gaussian_prior_builder)
  >>> mlp = snt.nets.MLP([32, 10], custom_getter=getter)
  >>> # loss = nll(mlp(x), y) + bbb.get_total_kl_cost() / num_train_examples
"""

from sonnet.custom_getters._bbb_builders import (
    adaptive_gaussian_prior_builder,
    analytic_kl_builder,
    diagonal_gaussian_posterior_builder,
    fixed_gaussian_prior_builder,
    stochastic_kl_builder,
)
from sonnet.custom_getters._bbb_getter import (
    EstimatorModes,
    VariableMetadata,
    bayes_by_backprop_getter,
    get_total_kl_cost,
    get_variable_metadata,
)
from sonnet.custom_getters._normal import Normal, inverse_softplus, scale_variable_initializer

__all__ = [
    "EstimatorModes",
    "Normal",
    "VariableMetadata",
    "adaptive_gaussian_prior_builder",
    "analytic_kl_builder",
    "bayes_by_backprop_getter",
    "diagonal_gaussian_posterior_builder",
    "fixed_gaussian_prior_builder",
    "get_total_kl_cost",
    "get_variable_metadata",
    "inverse_softplus",
    "scale_variable_initializer",
    "stochastic_kl_builder",
]
