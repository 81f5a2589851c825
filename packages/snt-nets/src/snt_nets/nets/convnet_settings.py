"""Settings shared by ``ConvNet2D`` and ``ConvNet2DTranspose`` (snt-transpose uses them too).

Per-layer settings are iterables with one entry per layer, or one entry for
all layers; these helpers check and expand them, resolve the normalization
arguments (the legacy ``use_batch_norm`` and the newer ``normalization_ctor``)
and run the layer stack. Messages name the network and carry Sonnet 1's phrases.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets.batch_norm import BatchNorm
from snt_nets.batch_norm_v2 import BatchNormV2
from snt_nets.conv_constants import SUPPORTED_2D_DATA_FORMATS

_LOG = logging.getLogger(__name__)

#: Normalizers whose ``_build`` needs ``is_training`` (the network insists on it).
NEEDS_IS_TRAINING = (BatchNorm, BatchNormV2)


def _is_iterable(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, str | bytes)


def check_output_channels(where: str, output_channels: Any) -> tuple[Any, ...]:
    """``output_channels`` (one int or callable per layer) as a non-empty tuple.

    Raises:
      TypeError: not iterable ("output_channels must be iterable").
      ValueError: empty ("output_channels must not be empty").
    """
    if not _is_iterable(output_channels):
        raise TypeError(
            f"{where}: output_channels must be iterable, with one entry (an int or a callable) "
            f"per layer; got {output_channels!r}."
        )
    channels = tuple(output_channels)
    if not channels:
        raise ValueError(f"{where}: output_channels must not be empty.")
    return channels


def per_layer(where: str, what: str, values: Any, num_layers: int) -> tuple[Any, ...]:
    """``values`` with one entry per layer; a single entry is used for every layer.

    Raises:
      TypeError: ``values`` is not iterable ("<what> must be iterable").
      ValueError: it has neither 1 nor ``num_layers`` entries ("<what> must be
        of length 1 or len(output_channels)").
    """
    if not _is_iterable(values):
        raise TypeError(f"{where}: {what} must be iterable (one entry per layer); got {values!r}.")
    values = tuple(values)
    if len(values) == 1:
        return values * num_layers
    if len(values) != num_layers:
        raise ValueError(
            f"{where}: {what} must be of length 1 or len(output_channels) ({num_layers}); got "
            f"{len(values)}: {values!r}."
        )
    return values


def per_layer_use_bias(where: str, use_bias: Any, num_layers: int) -> tuple[bool, ...]:
    """``use_bias`` (a bool, or one per layer) as one bool per layer.

    Raises:
      TypeError: neither a bool nor an iterable.
      ValueError: an iterable of the wrong length.
    """
    if isinstance(use_bias, bool):
        return (use_bias,) * num_layers
    if not _is_iterable(use_bias):
        raise TypeError(
            f"{where}: use_bias must be either a bool or an iterable of bools (one per layer); "
            f"got {use_bias!r}."
        )
    return tuple(bool(b) for b in per_layer(where, "use_bias", use_bias, num_layers))


def check_activation(where: str, activation: Any) -> Callable[[tf.Tensor], tf.Tensor]:
    """Raises TypeError ("Input 'activation' must be callable") unless it is callable."""
    if not callable(activation):
        raise TypeError(f"{where}: Input 'activation' must be callable; got {activation!r}.")
    return activation


def check_data_format(where: str, data_format: Any) -> str:
    """Raises ValueError ("Invalid data_format") unless it is NHWC or NCHW."""
    if not isinstance(data_format, str) or data_format not in SUPPORTED_2D_DATA_FORMATS:
        raise ValueError(
            f"{where}: Invalid data_format {data_format!r}; the allowed formats are "
            f"{sorted(SUPPORTED_2D_DATA_FORMATS)}."
        )
    return data_format


def _constructor(where: str, ctor: Any) -> Any:
    if isinstance(ctor, str):
        try:
            ctor = snt.parse_string_to_constructor(ctor)
        except ValueError as e:
            raise ValueError(f"{where}: bad normalization_ctor {ctor!r}: {e}") from e
    if ctor is not None and not callable(ctor):
        raise ValueError(
            f"{where}: normalization_ctor must be a callable or a string that specifies a "
            f"callable, got {ctor!r}."
        )
    return ctor


def resolve_normalization(
    where: str,
    use_batch_norm: Any,
    batch_norm_config: Mapping[str, Any] | None,
    normalization_ctor: Any,
    normalization_kwargs: Mapping[str, Any] | None,
) -> tuple[Any, dict[str, Any]]:
    """The normalizer constructor and its arguments, from the new or the legacy flags.

    ``use_batch_norm=True`` means ``BatchNorm`` with ``batch_norm_config`` and
    excludes the new arguments; ``False`` or None leaves them in charge. A
    string constructor is resolved with ``snt.parse_string_to_constructor``.

    Raises:
      TypeError: ``use_batch_norm`` is iterable ("use_batch_norm must be a boolean").
      ValueError: ``use_batch_norm=True`` with the new arguments ("if
        use_batch_norm is specified, normalization_ctor and
        normalization_kwargs must not be"), or a constructor that is neither
        callable nor a string naming one.
    """
    if _is_iterable(use_batch_norm):
        raise TypeError(
            f"{where}: use_batch_norm must be a boolean; per-layer batch normalization is not "
            f"supported. Got {use_batch_norm!r}."
        )
    if use_batch_norm:
        if normalization_ctor is not None or normalization_kwargs is not None:
            raise ValueError(
                f"{where}: if use_batch_norm is specified, normalization_ctor and "
                "normalization_kwargs must not be (use_batch_norm is the legacy form of "
                "normalization_ctor=snt.BatchNorm)."
            )
        return BatchNorm, dict(batch_norm_config or {})
    return _constructor(where, normalization_ctor), dict(normalization_kwargs or {})


def transpose_normalization(
    where: str,
    use_batch_norm: bool | None,
    batch_norm_config: Mapping[str, Any] | None,
    normalization_ctor: Any,
    normalization_kwargs: Mapping[str, Any] | None,
) -> tuple[Any, Any]:
    """``transpose()``'s normalization arguments: the legacy flags turned into the new ones.

    Returns ``(normalization_ctor, normalization_kwargs)``; None entries mean
    "as the network being transposed".

    Raises:
      ValueError: ``use_batch_norm`` together with the new arguments.
    """
    if use_batch_norm is None:
        return normalization_ctor, normalization_kwargs
    if normalization_ctor is not None or normalization_kwargs is not None:
        raise ValueError(
            f"{where}: If use_batch_norm is specified, normalization_ctor and "
            "normalization_kwargs must not be."
        )
    return (BatchNorm if use_batch_norm else None), dict(batch_norm_config or {})


def check_transpose_channels(where: str, output_channels: Any, num_layers: int) -> None:
    """Raises ValueError unless ``output_channels`` (if given) has one entry per layer."""
    if output_channels is not None and len(output_channels) != num_layers:
        raise ValueError(
            f"{where}: Iterable output_channels length must match the number of layers "
            f"({num_layers}), but is {len(output_channels)} instead."
        )


def warn_custom_getter_not_passed(where: str, own_getter: Any, given: Any) -> None:
    """Logs that ``transpose()`` does not pass the network's custom getter on (as Sonnet 1)."""
    if given is None and own_getter is not None:
        _LOG.warning(
            "%s was constructed with a custom getter, but transpose() was not given one; the "
            "transposed network will not use a custom getter.",
            where,
        )


def apply_layers(
    where: str,
    inputs: tf.Tensor,
    layers: Sequence[Any],
    normalizers: Sequence[Any],
    activation: Callable[[tf.Tensor], tf.Tensor],
    activate_final: bool,
    build_kwargs: Mapping[str, Any],
) -> tf.Tensor:
    """Each layer, then its normalizer (if any) and the activation (not after the last
    layer unless ``activate_final``); ``build_kwargs`` go to each normalizer that takes them.

    Raises:
      ValueError: a batch-norm normalizer and no ``is_training`` in ``build_kwargs``.
      TypeError: a key of ``build_kwargs`` that no normalizer takes (a typo such as
        ``is_trainig``); ``is_training`` and ``test_local_stats`` are always accepted.
    """
    if build_kwargs:
        _check_build_kwargs(where, normalizers, build_kwargs)
    if "is_training" not in build_kwargs and any(
        isinstance(norm, NEEDS_IS_TRAINING) for norm in normalizers
    ):
        raise ValueError(
            f"{where}: Boolean is_training flag must be explicitly specified when using batch "
            "normalization."
        )
    net = inputs
    last = len(layers) - 1
    for i, layer in enumerate(layers):
        net = layer(net)
        normalizer = normalizers[i]
        if normalizer is not None:
            net = normalizer(net, **snt.remove_unsupported_kwargs(normalizer, build_kwargs))
        if i != last or activate_final:
            net = activation(net)
    return net


#: Keywords a ConvNet connection accepts with any normalizer, or none (Sonnet 1
#: callers pass them whether or not batch normalization is on).
_ALWAYS_ACCEPTED = frozenset({"is_training", "test_local_stats"})


@functools.lru_cache(maxsize=64)
def _keywords(cls: type) -> frozenset[str] | None:
    """The keywords ``cls``'s connection takes; None when it takes any (``**kwargs``)."""
    build = getattr(cls, "_build", None) or cls.__call__
    parameters = list(inspect.signature(build).parameters.values())[1:]
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    return frozenset(p.name for p in parameters if p.kind is not inspect.Parameter.VAR_POSITIONAL)


def _check_build_kwargs(
    where: str, normalizers: Sequence[Any], build_kwargs: Mapping[str, Any]
) -> None:
    allowed = set(_ALWAYS_ACCEPTED)
    for normalizer in {type(n) for n in normalizers if n is not None}:
        keywords = _keywords(normalizer)
        if keywords is None:
            return
        allowed |= keywords
    unknown = sorted(set(build_kwargs) - allowed)
    if unknown:
        raise TypeError(
            f"{where}: the connection is called as (inputs, **normalization_build_kwargs), "
            f"the keywords going to the normalizer; accepted: {sorted(allowed)}; got unexpected "
            f"keyword argument(s) {unknown}."
        )
