"""Posterior, prior and KL builders for :func:`bayes_by_backprop_getter`.

A posterior or prior builder receives the next getter and the arguments of
the ``get_variable`` call and returns a distribution (or a ``(distribution,
variables_dict)`` pair). A KL builder receives ``(posterior, prior, sample)``
and returns a scalar tensor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

from sonnet.custom_getters._normal import Normal, scale_variable_initializer

__all__ = [
    "adaptive_gaussian_prior_builder",
    "analytic_kl_builder",
    "diagonal_gaussian_posterior_builder",
    "fixed_gaussian_prior_builder",
    "stochastic_kl_builder",
]

#: Scale of the fixed prior N(0, 0.01**2), and initial scale of the adaptive one.
PRIOR_SCALE = 0.01


def diagonal_gaussian_posterior_builder(
    getter: Callable[..., Any], name: str, shape: Any = None, *args: Any, **kwargs: Any
) -> Normal:
    """A Gaussian posterior with one mean and one scale per variable element.

    Creates ``<name>/posterior_loc`` and ``<name>/posterior_scale`` (both with
    the variable's shape and the call's initializer); the scale is
    ``softplus(posterior_scale)``.

    Args:
      getter: The next getter.
      name: The variable's name.
      shape: The variable's shape.
      *args: The other ``get_variable`` arguments.
      **kwargs: The other ``get_variable`` arguments.

    Returns:
      The posterior distribution.
    """
    loc = getter(name + "/posterior_loc", *args, shape=shape, **kwargs)
    raw_scale = getter(name + "/posterior_scale", *args, shape=shape, **kwargs)
    return Normal(loc, tf.nn.softplus(raw_scale), name=f"{name}_posterior_dist")


def fixed_gaussian_prior_builder(
    getter: Callable[..., Any], name: str, dtype: Any = None, *args: Any, **kwargs: Any
) -> Normal:
    """A fixed scalar prior N(0, 0.01), broadcast over the variable. Creates nothing."""
    del getter, args, kwargs
    dtype = tf.as_dtype(dtype or tf.float32)
    return Normal(
        tf.constant(0.0, dtype=dtype), tf.constant(PRIOR_SCALE, dtype=dtype), f"{name}_prior_dist"
    )


def adaptive_gaussian_prior_builder(
    getter: Callable[..., Any], name: str, *args: Any, **kwargs: Any
) -> Normal:
    """A learned scalar Gaussian prior, broadcast over the variable.

    Creates the scalars ``<name>_prior_loc`` (the call's initializer) and
    ``<name>_prior_scale`` (initialized so the scale starts at 0.01).
    """
    kwargs["shape"] = ()
    loc = getter(name + "_prior_loc", *args, **kwargs)
    kwargs["initializer"] = scale_variable_initializer(PRIOR_SCALE)
    raw_scale = getter(name + "_prior_scale", *args, **kwargs)
    return Normal(loc, tf.nn.softplus(raw_scale), name=f"{name}_prior_dist")


def stochastic_kl_builder(posterior: Any, prior: Any, sample: Any) -> tf.Tensor:
    """A one-sample KL estimate: ``sum log q(sample) - sum log p(sample)``."""
    return tf.reduce_sum(posterior.log_prob(sample)) - tf.reduce_sum(prior.log_prob(sample))


def analytic_kl_builder(posterior: Any, prior: Any, sample: Any) -> tf.Tensor:
    """The exact ``KL(posterior || prior)`` summed over the variable's elements."""
    del sample
    return tf.reduce_sum(posterior.kl_divergence(prior))
