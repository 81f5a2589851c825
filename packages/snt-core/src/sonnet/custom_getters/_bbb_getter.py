"""The Bayes-by-Backprop custom getter and its per-graph variable metadata.

Each stochastic variable is replaced by an estimate drawn from a learned
posterior; the KL cost between posterior and prior is kept as metadata so
:func:`get_total_kl_cost` can add it to the loss.

Metadata lives per graph (``tf.compat.v1.get_default_graph()``: the v1 graph,
a ``tf.function``'s graph, or the global graph eagerly). In a graph the
first connection's metadata is kept, so each variable's KL counts once, as in
Sonnet 1. Eagerly the latest connection's replaces it: compute the loss in
the same step (inside the same ``tf.GradientTape``) as the forward pass.
"""

from __future__ import annotations

import collections
import logging
import weakref
from collections.abc import Callable
from typing import Any

import tensorflow as tf

from sonnet.custom_getters._bbb_builders import (
    diagonal_gaussian_posterior_builder,
    fixed_gaussian_prior_builder,
    stochastic_kl_builder,
)
from sonnet.custom_getters._normal import FULLY_REPARAMETERIZED
from sonnet.errors import NotSupportedError

__all__ = [
    "EstimatorModes",
    "VariableMetadata",
    "bayes_by_backprop_getter",
    "get_total_kl_cost",
    "get_variable_metadata",
]

_log = logging.getLogger("sonnet.custom_getters")
_FLOAT_DTYPES = (tf.float16, tf.bfloat16, tf.float32, tf.float64)


class EstimatorModes:
    """Values of ``sampling_mode_tensor``."""

    sample = "sample"
    mean = "mean"
    last_sample = "last"


VariableMetadata = collections.namedtuple(
    "VariableMetadata",
    [
        "raw_variable_name",
        "raw_variable_shape",
        "scope_name",
        "posterior",
        "posterior_estimate",
        "prior",
        "kl_cost",
        "prior_vars",
        "posterior_vars",
    ],
)

_metadata: weakref.WeakKeyDictionary[Any, dict[str, VariableMetadata]] = weakref.WeakKeyDictionary()


def _graph_metadata() -> dict[str, VariableMetadata]:
    return _metadata.setdefault(tf.compat.v1.get_default_graph(), {})


def _split(built: Any) -> tuple[Any, dict]:
    """A builder returns a distribution or a ``(distribution, variables)`` pair."""
    if isinstance(built, tuple) and len(built) == 2:
        return built
    return built, {}


def _check_reparameterized(dist: Any, name: str) -> None:
    kind = getattr(dist, "reparameterization_type", None)
    if FULLY_REPARAMETERIZED not in str(kind).upper():
        raise ValueError(
            f"bayes_by_backprop_getter: the posterior of {name!r} must be fully "
            f"reparameterized; got {type(dist).__name__} with reparameterization_type {kind!r}."
        )


def _estimate(posterior: Any, mode: Any, name: str) -> tf.Tensor:
    """The posterior estimate chosen by ``mode`` (a string or a string tensor)."""
    choices = {EstimatorModes.sample: posterior.sample, EstimatorModes.mean: posterior.mean}
    if hasattr(posterior, "last_sample"):
        choices[EstimatorModes.last_sample] = posterior.last_sample
    if mode is None:
        return posterior.sample()
    if isinstance(mode, str):
        if mode not in choices:
            raise ValueError(
                f"bayes_by_backprop_getter: sampling mode for {name!r} must be one of "
                f"{sorted(choices)}, got {mode!r}."
            )
        return choices[mode]()

    valid = tf.reduce_any(tf.stack([tf.equal(mode, key) for key in choices]))
    check = tf.debugging.Assert(
        valid, [f"bayes_by_backprop_getter: invalid sampling mode for {name}:", mode]
    )
    with tf.control_dependencies([check]):
        mode = tf.identity(mode)
    cases = [(tf.equal(mode, key), fn) for key, fn in choices.items()]
    return tf.case(cases, default=posterior.mean, exclusive=True)


def bayes_by_backprop_getter(
    posterior_builder: Callable[..., Any] = diagonal_gaussian_posterior_builder,
    prior_builder: Callable[..., Any] = fixed_gaussian_prior_builder,
    kl_builder: Callable[..., Any] = stochastic_kl_builder,
    sampling_mode_tensor: Any = None,
    fresh_noise_per_connection: bool = True,
    keep_control_dependencies: bool = False,
) -> Callable[..., Any]:
    """A custom getter doing Bayes by Backprop (Blundell et al., 2015).

    Every trainable floating-point variable requested through it is replaced
    by an estimate from a posterior built by ``posterior_builder`` (by default
    a diagonal Gaussian with variables ``<name>/posterior_loc`` and
    ``<name>/posterior_scale``); non-trainable variables pass through.

    Example:
      >>> bbb = snt.custom_getters.bayes_by_backprop
      >>> x, num_examples = tf.ones([8, 4]), 1000
      >>> lin = snt.Linear(3, custom_getter=bbb.bayes_by_backprop_getter())
      >>> with tf.GradientTape() as tape:
      ...     loss = tf.reduce_sum(lin(x) ** 2) + bbb.get_total_kl_cost() / num_examples

    Args:
      posterior_builder: ``(getter, name, *args, **kwargs) -> distribution``.
      prior_builder: Same interface; by default a fixed N(0, 0.01) prior.
      kl_builder: ``(posterior, prior, sample) -> scalar``; by default the
        one-sample estimate, see also ``analytic_kl_builder``.
      sampling_mode_tensor: A scalar string tensor (or a Python string) with an
        :class:`EstimatorModes` value; ``None`` always samples.
      fresh_noise_per_connection: Draw new noise on each connection. With
        ``False`` later connections in the same graph reuse the first sample
        (not supported eagerly, where there is no graph to share it in; wrap
        the step in ``tf.function`` instead).
      keep_control_dependencies: In ``tf.compat.v1`` graphs the posterior is
        built outside any control-flow context and control dependencies
        (``tf.control_dependencies(None)``), so an RNN unrolled in a while loop
        uses one weight sample for all steps. ``True`` keeps the context.

    Returns:
      A custom getter.
    """

    def custom_getter(getter: Callable[..., Any], name: str, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("trainable") is False:
            return getter(name, *args, **kwargs)
        dtype = tf.as_dtype(kwargs.get("dtype") or tf.float32).base_dtype
        if dtype not in _FLOAT_DTYPES:
            raise ValueError(
                f"bayes_by_backprop_getter: variable {name!r} has dtype {dtype.name}; expected "
                "one of float16, bfloat16, float32, float64."
            )
        store = _graph_metadata()
        eager = tf.executing_eagerly()
        if not fresh_noise_per_connection and name in store:
            if eager:
                raise NotSupportedError(
                    "bayes_by_backprop_getter: fresh_noise_per_connection=False needs a graph "
                    f"to share the sample of {name!r} in; eagerly, wrap the step in tf.function."
                )
            return store[name].posterior_estimate
        clear = not keep_control_dependencies and not eager
        with tf.control_dependencies(None if clear else []):
            posterior, posterior_vars = _split(posterior_builder(getter, name, *args, **kwargs))
            prior, prior_vars = _split(prior_builder(getter, name, *args, **kwargs))
            _check_reparameterized(posterior, name)
            estimate = _estimate(posterior, sampling_mode_tensor, name)
            kl_cost = kl_builder(posterior, prior, estimate)
        metadata = VariableMetadata(
            raw_variable_name=name,
            raw_variable_shape=kwargs.get("shape"),
            scope_name=tf.compat.v1.get_variable_scope().name,
            posterior=posterior,
            posterior_estimate=estimate,
            prior=prior,
            kl_cost=kl_cost,
            prior_vars=prior_vars,
            posterior_vars=posterior_vars,
        )
        if eager or name not in store:
            store[name] = metadata
        return estimate

    return custom_getter


def get_variable_metadata(scope_name_substring: str | None = None) -> list[VariableMetadata]:
    """Metadata of this graph's Bayes-by-Backprop variables.

    Args:
      scope_name_substring: Keep only variables whose scope name contains it.

    Returns:
      A list of :class:`VariableMetadata`, in creation order.
    """
    found = list(_graph_metadata().values())
    if scope_name_substring is not None:
        found = [m for m in found if scope_name_substring in m.scope_name]
    return found


def get_total_kl_cost(
    name: str = "total_kl_cost", filter_by_name_substring: str | None = None
) -> tf.Tensor:
    """The sum of the KL costs of this graph's Bayes-by-Backprop variables.

    Args:
      name: Name of the sum op.
      filter_by_name_substring: Count only variables whose scope name contains it.

    Returns:
      A scalar tensor (``0.0``, with a logged warning, when there are none).
    """
    found = get_variable_metadata(filter_by_name_substring)
    if not found:
        _log.warning("get_total_kl_cost: no Bayes by Backprop variables found.")
        return tf.constant(0.0, name=name)
    return tf.add_n([m.kl_cost for m in found], name=name)
