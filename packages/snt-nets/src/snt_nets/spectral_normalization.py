"""Spectral normalization: ``spectral_norm``, ``SpectralNormWrapper``, ``wrap_with_spectral_norm``.

A weight matrix is divided by an estimate of its largest singular value,
found by power iteration from a persisted vector ``u0`` (Miyato et al. 2018,
https://arxiv.org/abs/1802.05957).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils

_WEIGHT_NAME = re.compile(r".*/w$")


def _l2_normalize(t: tf.Tensor, eps: float) -> tf.Tensor:
    """``t`` divided by ``sqrt(sum(t**2) + eps)`` (all entries together)."""
    return t * tf.math.rsqrt(tf.reduce_sum(tf.square(t)) + eps)


def spectral_norm(
    weight: Any,
    num_iters: int = 1,
    update_collection: str | None = None,
    eps: float = 1e-4,
) -> dict[str, tf.Tensor]:
    """Divides ``weight`` by an estimate of its largest singular value.

    ``weight`` is seen as a matrix ``[-1, weight.shape[-1]]``. The estimate
    comes from ``num_iters`` steps of power iteration starting at the
    non-trainable variable ``u0`` (``[1, weight.shape[-1]]``, float32, created
    with ``tf.compat.v1.get_variable`` in the current variable scope), which
    then keeps the new vector so the next call starts closer. The computation
    runs in float32 and the results are cast back to ``weight``'s dtype. No
    gradient flows through the singular vectors.

    Called outside a module eagerly, every call makes a new ``u0`` (there is
    no variable store to share it); inside a module's ``_build`` it is shared
    across connections like any variable.

    Example:
      >>> out = snt.spectral_norm(tf.constant([[3.0, 0.0], [0.0, 1.0]]), num_iters=20)
      >>> round(float(out["sigma"]), 3)
      3.0

    Args:
      weight: the weight tensor (rank >= 1, static shape).
      num_iters: power-iteration steps (>= 1).
      update_collection: None to update ``u0`` whenever the result is
        computed (the normalized weight depends on the update). Otherwise, in
        ``tf.compat.v1`` graph mode, the update op goes to this graph
        collection for the caller to run; eagerly and inside ``tf.function``
        there is no collection to defer to, and ``u0`` is left unchanged.
      eps: added to squared norms before dividing (numerical safety).

    Returns:
      ``{"w_bar": normalized weight, "sigma": the estimate, "u0": the vector}``.

    Raises:
      ValueError: ``num_iters < 1``, or ``weight`` has rank 0 or an unknown
        last dimension.
    """
    if not _checks.is_int(num_iters) or num_iters < 1:
        raise ValueError(f"num_iters must be a positive integer. {num_iters!r} given.")
    weight = tf.convert_to_tensor(weight)
    original_dtype = weight.dtype
    shape = weight.shape
    if shape.rank is None or shape.rank < 1 or shape[-1] is None:
        raise ValueError(
            f"spectral_norm: weight needs rank >= 1 and a known last dimension; got shape {shape}."
        )
    matrix = tf.reshape(tf.cast(weight, tf.float32), [-1, shape[-1]])
    u0 = snt.get_variable(
        "u0",
        shape=[1, shape[-1]],
        dtype=tf.float32,
        initializer=tf.compat.v1.truncated_normal_initializer(),
        trainable=False,
    )
    u = tf.convert_to_tensor(u0)
    for _ in range(num_iters):
        v = _l2_normalize(tf.matmul(u, matrix, transpose_b=True), eps)
        u = _l2_normalize(tf.matmul(v, matrix), eps)
    u = tf.stop_gradient(u)
    v = tf.stop_gradient(v)
    sigma = tf.reshape(tf.matmul(tf.matmul(v, matrix), u, transpose_b=True), [])
    w_bar = tf.reshape(matrix / sigma, shape)

    if update_collection is None:
        update = u0.assign(u, read_value=False)
        with tf.control_dependencies([op for op in (update,) if op is not None]):
            w_bar = tf.identity(w_bar)
    elif _utils.in_v1_graph():
        tf.compat.v1.add_to_collection(update_collection, u0.assign(u, read_value=False))
    return {
        "w_bar": tf.cast(w_bar, original_dtype),
        "sigma": tf.cast(sigma, original_dtype),
        "u0": tf.cast(u0, original_dtype),
    }


class SpectralNormWrapper(snt.AbstractModule):
    """Builds a module whose ``w`` variables are spectrally normalized.

    The module is constructed inside this wrapper's scope (``<name>_wrapper``,
    e.g. ``sn_wrapper/linear/w``). Every variable whose name ends in ``/w``
    reaches the module through :func:`spectral_norm`, which adds ``u0`` next
    to it (``sn_wrapper/linear/u0``).

    Connecting takes one extra keyword, ``enable_power_iteration`` (default
    True): when True, ``u0`` is updated whenever the output is computed. When
    False, the update is instead handed to ``pow_iter_collection`` (see
    :func:`spectral_norm`; with ``pow_iter_collection=None`` it still happens
    at once). All other arguments go to the module.

    Example:
      >>> sn_linear = snt.SpectralNormWrapper(snt.Linear, {}, None, 4)
      >>> sn_linear(tf.ones([2, 3])).shape  # sn_wrapper/linear/{w,b,u0}
      TensorShape([2, 4])

    Args:
      module: the module class (or any callable returning a module).
      sn_kwargs: keyword arguments for :func:`spectral_norm` (``num_iters``, ``eps``).
      pow_iter_collection: the graph collection for deferred updates, or None.
      *args: the module's constructor arguments.
      **kwargs: the module's constructor keyword arguments; ``name`` also
        names the wrapper (``<name>_wrapper``, default ``sn_wrapper``).

    Raises:
      TypeError: ``module`` is not callable, or ``sn_kwargs`` is not a dict
        of ``num_iters``/``eps``.
      ValueError: ``sn_kwargs["num_iters"]`` is not a positive integer.
    """

    def __init__(
        self,
        module: Callable[..., snt.AbstractModule],
        sn_kwargs: Mapping[str, Any] | None,
        pow_iter_collection: str | None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            custom_getter=self._normalizing_getter, name=f"{kwargs.get('name', 'sn')}_wrapper"
        )
        where = self.scope_name
        if not callable(module):
            raise TypeError(f"{where}: module must be a module class; got {module!r}.")
        if sn_kwargs is not None and not isinstance(sn_kwargs, Mapping):
            raise TypeError(
                f"{where}: sn_kwargs must be a dict of spectral_norm arguments; got "
                f"{type(sn_kwargs).__name__}."
            )
        sn_kwargs = dict(sn_kwargs or {})
        unknown = sorted(set(sn_kwargs) - {"num_iters", "eps"})
        if unknown:
            raise TypeError(
                f"{where}: sn_kwargs may hold spectral_norm's num_iters and eps; got {unknown}."
            )
        num_iters = sn_kwargs.get("num_iters", 1)
        if not _checks.is_int(num_iters) or num_iters < 1:
            raise ValueError(f"{where}: num_iters must be a positive integer. {num_iters!r} given.")
        _utils.set_untracked(self, _sn_kwargs=sn_kwargs, _power_iteration=True)
        self.pow_iter_collection = pow_iter_collection
        with self._enter_variable_scope():
            self._module = module(*args, **kwargs)

    def _normalizing_getter(self, getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        variable = getter(*args, **kwargs)
        name = kwargs.get("name", args[0] if args else "")
        if not _WEIGHT_NAME.match(name):
            return variable
        collection = None if self._power_iteration else self.pow_iter_collection
        return spectral_norm(variable, update_collection=collection, **self._sn_kwargs)["w_bar"]

    def _build(self, *args: Any, **kwargs: Any) -> Any:
        """Connects the wrapped module (see the class docstring for ``enable_power_iteration``)."""
        enable = kwargs.pop("enable_power_iteration", True)
        previous = self._power_iteration
        _utils.set_untracked(self, _power_iteration=bool(enable))
        try:
            return self._module(*args, **kwargs)
        finally:
            _utils.set_untracked(self, _power_iteration=previous)

    @property
    def module(self) -> snt.AbstractModule:
        """The wrapped module."""
        return self._module


def wrap_with_spectral_norm(
    module_class: Callable[..., snt.AbstractModule],
    sn_kwargs: Mapping[str, Any] | None = None,
    pow_iter_collection: str | None = None,
) -> Callable[..., SpectralNormWrapper]:
    """A constructor like ``module_class``'s whose modules are spectrally normalized.

    ``wrap_with_spectral_norm(snt.Linear)(16)`` builds
    ``SpectralNormWrapper(snt.Linear, {}, None, 16)``: a ``Linear(16)`` whose
    ``w`` is divided by its largest singular value (see
    :class:`SpectralNormWrapper`).

    Example:
      >>> SNLinear = snt.wrap_with_spectral_norm(snt.Linear, {"eps": 1e-4})
      >>> SNLinear(3)(tf.ones([2, 5])).shape
      TensorShape([2, 3])

    Args:
      module_class: the module class (not an instance).
      sn_kwargs: keyword arguments for :func:`spectral_norm`.
      pow_iter_collection: the graph collection for deferred updates, or None.
    """
    return functools.partial(
        SpectralNormWrapper, module_class, dict(sn_kwargs or {}), pow_iter_collection
    )
