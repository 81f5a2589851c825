"""ConvNet2D: a stack of Conv2D layers with optional normalization and activations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils, conv_utils
from snt_nets.batch_norm import BatchNorm
from snt_nets.conv.conv_2d import Conv2D
from snt_nets.conv.transposable_conv import lookup_plugin_class
from snt_nets.conv_constants import (
    DATA_FORMAT_NCHW,
    DATA_FORMAT_NHWC,
    SUPPORTED_2D_DATA_FORMATS,
)
from snt_nets.variable_dicts import VariableDicts

__all__ = ["ConvNet2D", "DATA_FORMAT_NCHW", "DATA_FORMAT_NHWC", "SUPPORTED_2D_DATA_FORMATS"]


def _per_layer(where: str, what: str, values: Any, num_layers: int) -> tuple[Any, ...]:
    """Broadcasts a length-1 setting to every layer; checks the length otherwise."""
    values = (
        tuple(values) if isinstance(values, Sequence) and not isinstance(values, str) else (values,)
    )
    if len(values) == 1:
        return values * num_layers
    if len(values) != num_layers:
        raise ValueError(
            f"{where}: {what} must have length 1 or {num_layers} (one per layer); got "
            f"{len(values)}."
        )
    return values


def _parse_constructor(where: str, ctor_string: str) -> Any:
    """``snt.parse_string_to_constructor`` with the module named in its error."""
    try:
        return snt.parse_string_to_constructor(ctor_string)
    except ValueError as e:
        raise ValueError(f"{where}: bad normalization_ctor {ctor_string!r}: {e}") from e


class ConvNet2D(snt.AbstractModule, snt.Transposable, VariableDicts):
    """A 2-D convolutional network: layers ``conv_2d_0``, ``conv_2d_1``, ...

    After every layer but the last (and after the last one if
    ``normalize_final``/``activate_final``) a normalizer ``batch_norm_<i>``
    (whatever ``normalization_ctor`` builds) and the activation are applied.

    Example:
      >>> net = snt.nets.ConvNet2D([8, 4], kernel_shapes=[3], strides=[1], paddings=[snt.SAME])
      >>> net(tf.ones([1, 8, 8, 3])).shape
      TensorShape([1, 8, 8, 4])

    Args:
      output_channels: output channels per layer (ints or callables).
      kernel_shapes, strides, paddings, rates: one per layer, or one for all.
      activation: the non-linearity.
      activate_final: whether to activate the last layer's output.
      normalization_ctor: a constructor (or "module.path.Name" string) of a
        normalization module, e.g. ``snt.BatchNorm``; None for none.
      normalization_kwargs: its constructor arguments.
      normalize_final: whether to normalize the last layer's output; defaults
        to ``activate_final``.
      initializers, partitioners, regularizers: dicts with keys ``w``/``b``.
      use_batch_norm: legacy switch for ``normalization_ctor=BatchNorm``.
      use_bias: whether the convolutions have biases.
      batch_norm_config: legacy ``normalization_kwargs`` for ``use_batch_norm``.
      data_format: NHWC or NCHW.
      custom_getter: a custom getter for every variable of the net.
      name: module name.

    Raises:
      ValueError: a per-layer setting has the wrong length, ``output_channels``
        is empty, ``data_format`` is unsupported, ``normalization_ctor`` is a
        string naming no constructor, or both ``use_batch_norm`` and
        ``normalization_ctor`` are given.
      TypeError: ``output_channels`` is not a sequence.
      KeyError: unknown keys in the dicts.
      Errors of ``Conv2D`` for a layer's settings, naming the layer.
    """

    POSSIBLE_INITIALIZER_KEYS = {"w", "b"}

    def __init__(
        self,
        output_channels: Sequence[int | Callable[[], int]],
        kernel_shapes: Sequence[Any],
        strides: Sequence[Any],
        paddings: Sequence[Any],
        rates: Sequence[Any] = (1,),
        activation: Callable[[tf.Tensor], tf.Tensor] = tf.nn.relu,
        activate_final: bool = False,
        normalization_ctor: Any = None,
        normalization_kwargs: Mapping[str, Any] | None = None,
        normalize_final: bool | None = None,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        use_batch_norm: bool | None = None,
        use_bias: bool = True,
        batch_norm_config: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NHWC,
        custom_getter: Any = None,
        name: str = "conv_net_2d",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        where = self.scope_name
        if isinstance(output_channels, str) or not isinstance(output_channels, Iterable):
            raise TypeError(
                f"{where}: output_channels must be a sequence with one entry (an int or a "
                f"callable) per layer; got {output_channels!r}."
            )
        self._output_channels = tuple(output_channels)
        n = len(self._output_channels)
        if n == 0:
            raise ValueError(f"{where}: output_channels must not be empty.")
        self._kernel_shapes = _per_layer(where, "kernel_shapes", kernel_shapes, n)
        self._strides = _per_layer(where, "strides", strides, n)
        self._paddings = _per_layer(where, "paddings", paddings, n)
        self._rates = _per_layer(where, "rates", rates, n)
        if data_format not in SUPPORTED_2D_DATA_FORMATS:
            raise ValueError(
                f"{where}: data_format must be one of {sorted(SUPPORTED_2D_DATA_FORMATS)}; got "
                f"{data_format!r}."
            )
        if use_batch_norm and normalization_ctor is not None:
            raise ValueError(
                f"{where}: give either use_batch_norm (legacy) or normalization_ctor, not both."
            )
        if use_batch_norm:
            normalization_ctor, normalization_kwargs = BatchNorm, batch_norm_config
        if isinstance(normalization_ctor, str):
            normalization_ctor = _parse_constructor(where, normalization_ctor)
        self._normalization_ctor = normalization_ctor
        self._normalization_kwargs = dict(normalization_kwargs or {})
        self._normalize_final = activate_final if normalize_final is None else normalize_final
        self._use_batch_norm = bool(use_batch_norm)
        self._batch_norm_config = batch_norm_config
        self._activation, self._activate_final = activation, activate_final
        self._use_bias, self._data_format = use_bias, data_format
        keys = {"w", "b"} if use_bias else {"w"}
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        _utils.set_untracked(self, _input_shape=None)
        with self._enter_variable_scope():
            self._layers = [
                Conv2D(
                    self._output_channels[i],
                    self._kernel_shapes[i],
                    stride=self._strides[i],
                    rate=self._rates[i],
                    padding=self._paddings[i],
                    use_bias=use_bias,
                    initializers=self._initializers,
                    partitioners=self._partitioners,
                    regularizers=self._regularizers,
                    data_format=data_format,
                    name=f"conv_2d_{i}",
                )
                for i in range(n)
            ]
            # Named batch_norm_<i> whatever the normalizer, like Sonnet 1.
            self._normalizers = [
                self._normalization_ctor(name=f"batch_norm_{i}", **self._normalization_kwargs)
                if self._normalization_ctor is not None and (i != n - 1 or self._normalize_final)
                else None
                for i in range(n)
            ]
        # Plain tuples for iteration (tf.Module's list wrappers are slow to read).
        _utils.set_untracked(
            self, _layer_seq=tuple(self._layers), _normalizer_seq=tuple(self._normalizers)
        )

    def _build(self, inputs: tf.Tensor, **normalization_build_kwargs: Any) -> tf.Tensor:
        """Applies the layers; ``normalization_build_kwargs`` (e.g. ``is_training``)
        go to each normalizer that accepts them."""
        _utils.set_untracked(self, _input_shape=_utils.static_shape(inputs))
        net = inputs
        last = len(self._layer_seq) - 1
        for i, layer in enumerate(self._layer_seq):
            net = layer(net)
            normalizer = self._normalizer_seq[i]
            if normalizer is not None:
                kwargs = snt.remove_unsupported_kwargs(normalizer, normalization_build_kwargs)
                net = normalizer(net, **kwargs)
            if i != last or self._activate_final:
                net = self._activation(net)
        return net

    # -- properties -----------------------------------------------------------

    @property
    def layers(self) -> tuple[Conv2D, ...]:
        return tuple(self._layers)

    @property
    def output_channels(self) -> tuple[int, ...]:
        return tuple(_utils.resolve(c) for c in self._output_channels)

    @property
    def kernel_shapes(self) -> tuple[Any, ...]:
        return self._kernel_shapes

    @property
    def strides(self) -> tuple[Any, ...]:
        return self._strides

    @property
    def paddings(self) -> tuple[Any, ...]:
        return self._paddings

    @property
    def rates(self) -> tuple[Any, ...]:
        return self._rates

    @property
    def use_bias(self) -> bool:
        return self._use_bias

    @property
    def use_batch_norm(self) -> bool:
        return self._use_batch_norm

    @property
    def batch_norm_config(self) -> Mapping[str, Any] | None:
        return self._batch_norm_config

    @property
    def normalization_ctor(self) -> Any:
        return self._normalization_ctor

    @property
    def normalization_kwargs(self) -> dict[str, Any]:
        return self._normalization_kwargs

    @property
    def normalize_final(self) -> bool:
        return self._normalize_final

    @property
    def activation(self) -> Callable[[tf.Tensor], tf.Tensor]:
        return self._activation

    @property
    def activate_final(self) -> bool:
        return self._activate_final

    @property
    def data_format(self) -> str:
        return self._data_format

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        """The last input's shape. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._input_shape

    def transpose(
        self,
        name: str | None = None,
        output_channels: Any = None,
        kernel_shapes: Any = None,
        strides: Any = None,
        paddings: Any = None,
        activation: Any = None,
        activate_final: bool | None = None,
        normalization_ctor: Any = None,
        normalization_kwargs: Any = None,
        normalize_final: bool | None = None,
        initializers: Any = None,
        partitioners: Any = None,
        regularizers: Any = None,
        use_batch_norm: bool | None = None,
        use_bias: bool | None = None,
        batch_norm_config: Any = None,
        data_format: str | None = None,
        custom_getter: Any = None,
    ) -> Any:
        """The mirroring ``snt.nets.ConvNet2DTranspose`` (from the snt-transpose package).

        Unset arguments mirror this network: layers in reverse order, each
        mapping back to the channels and spatial shape of the corresponding
        layer's input (read when the transpose connects).

        Raises:
          NotSupportedError: snt-transpose is not installed, or a layer is dilated.
        """
        where = self.scope_name
        if any(max(layer.rate) > 1 for layer in self._layers):
            raise snt.NotSupportedError(f"{where}: cannot transpose a dilated ConvNet2D.")
        cls = lookup_plugin_class("ConvNet2DTranspose", where, attribute="nets")
        layers = self._layers[::-1]
        fmt = self._data_format if data_format is None else data_format

        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        return cls(
            output_channels=pick(
                output_channels, [lambda lay=lay: lay.input_channels for lay in layers]
            ),
            output_shapes=[
                lambda lay=lay: conv_utils.spatial_dims(lay.input_shape, lay.data_format)
                for lay in layers
            ],
            kernel_shapes=pick(kernel_shapes, self._kernel_shapes[::-1]),
            strides=pick(strides, self._strides[::-1]),
            paddings=pick(paddings, self._paddings[::-1]),
            activation=pick(activation, self._activation),
            activate_final=pick(activate_final, self._activate_final),
            normalization_ctor=pick(normalization_ctor, self._normalization_ctor),
            normalization_kwargs=pick(normalization_kwargs, self._normalization_kwargs),
            normalize_final=pick(normalize_final, self._normalize_final),
            initializers=pick(initializers, self._initializers),
            partitioners=pick(partitioners, self._partitioners),
            regularizers=pick(regularizers, self._regularizers),
            use_batch_norm=pick(use_batch_norm, False),
            use_bias=pick(use_bias, self._use_bias),
            batch_norm_config=batch_norm_config,
            data_format=fmt,
            custom_getter=pick(custom_getter, self.custom_getter),
            name=name if name is not None else f"{self.module_name}_transpose",
        )
