"""ConvNet2D: a stack of Conv2D layers with optional normalization and activations."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
from snt_nets.nets import convnet_settings as settings
from snt_nets.variable_dicts import VariableDicts

__all__ = ["ConvNet2D", "DATA_FORMAT_NCHW", "DATA_FORMAT_NHWC", "SUPPORTED_2D_DATA_FORMATS"]


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
      use_bias: whether the convolutions have biases: a bool, or one per layer.
      batch_norm_config: legacy ``normalization_kwargs`` for ``use_batch_norm``.
      data_format: NHWC or NCHW.
      custom_getter: a custom getter for every variable of the net (not
        passed on by ``transpose()``, as in Sonnet 1).
      name: module name.

    Connecting with a ``BatchNorm`` or ``BatchNormV2`` normalizer needs an
    explicit ``is_training`` argument; other normalizers get the keyword
    arguments they accept.

    Raises:
      ValueError: a per-layer setting has neither 1 entry nor one per layer,
        ``output_channels`` is empty, ``data_format`` is unsupported,
        ``normalization_ctor`` is a string naming no constructor, or
        ``use_batch_norm=True`` comes with ``normalization_ctor`` or
        ``normalization_kwargs``.
      TypeError: a per-layer setting or ``output_channels`` is not iterable,
        ``use_bias`` is neither a bool nor iterable, ``use_batch_norm`` is
        iterable, or ``activation`` is not callable.
      KeyError: unknown keys in the dicts.
      Errors of ``Conv2D`` for a layer's settings, naming the layer.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

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
        use_bias: bool | Sequence[bool] = True,
        batch_norm_config: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NHWC,
        custom_getter: Any = None,
        name: str = "conv_net_2d",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        where = self.scope_name
        channels = settings.check_output_channels(where, output_channels)
        n = len(channels)
        per_layer = settings.per_layer
        normalization_ctor, normalization_kwargs = settings.resolve_normalization(
            where, use_batch_norm, batch_norm_config, normalization_ctor, normalization_kwargs
        )
        _utils.set_untracked(
            self,
            _output_channels=channels,
            _kernel_shapes=per_layer(where, "kernel_shapes", kernel_shapes, n),
            _strides=per_layer(where, "strides", strides, n),
            _paddings=per_layer(where, "paddings", paddings, n),
            _rates=per_layer(where, "rates", rates, n),
            _data_format=settings.check_data_format(where, data_format),
            _activation=settings.check_activation(where, activation),
            _activate_final=activate_final,
            _normalization_ctor=normalization_ctor,
            _normalization_kwargs=normalization_kwargs,
            _normalize_final=activate_final if normalize_final is None else normalize_final,
            _use_bias=settings.per_layer_use_bias(where, use_bias, n),
            _input_shape=None,
        )
        _utils.store_checked_dicts(
            self, initializers, partitioners, regularizers, self.POSSIBLE_INITIALIZER_KEYS
        )
        with self._enter_variable_scope():
            self._layers = [
                Conv2D(
                    channels[i],
                    self._kernel_shapes[i],
                    stride=self._strides[i],
                    rate=self._rates[i],
                    padding=self._paddings[i],
                    use_bias=self._use_bias[i],
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
                normalization_ctor(name=f"batch_norm_{i}", **normalization_kwargs)
                if normalization_ctor is not None and (i != n - 1 or self._normalize_final)
                else None
                for i in range(n)
            ]
        # Plain tuples for iteration (tf.Module's list wrappers are slow to read).
        _utils.set_untracked(
            self, _layer_seq=tuple(self._layers), _normalizer_seq=tuple(self._normalizers)
        )

    def _build(self, inputs: tf.Tensor, **normalization_build_kwargs: Any) -> tf.Tensor:
        """Applies the layers; ``normalization_build_kwargs`` (e.g. ``is_training``)
        go to each normalizer that accepts them.

        Raises:
          ValueError: batch normalization without ``is_training``.
        """
        _utils.set_untracked(self, _input_shape=_utils.static_shape(inputs))
        return settings.apply_layers(
            self.scope_name,
            inputs,
            self._layer_seq,
            self._normalizer_seq,
            self._activation,
            self._activate_final,
            normalization_build_kwargs,
        )

    # -- properties -----------------------------------------------------------

    @property
    def layers(self) -> tuple[Conv2D, ...]:
        return self._layer_seq

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
    def use_bias(self) -> tuple[bool, ...]:
        """Whether each layer has a bias."""
        return self._use_bias

    @property
    def use_batch_norm(self) -> bool:
        """Legacy: whether the normalizer is ``BatchNorm`` (see ``normalization_ctor``)."""
        return self._normalization_ctor is BatchNorm

    @property
    def batch_norm_config(self) -> dict[str, Any]:
        """Legacy name of ``normalization_kwargs``."""
        return self._normalization_kwargs

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
        layer's input (read when the transpose connects, so it may be built
        before this network is connected). As in Sonnet 1, the custom getter is
        not passed on (give one here), and ``use_batch_norm`` (legacy) stands
        for ``normalization_ctor=snt.BatchNorm``.

        Raises:
          NotSupportedError: snt-transpose is not installed, or a layer is
            dilated (also a ``NotImplementedError``, Sonnet 1's class).
          ValueError: ``output_channels`` of the wrong length, a bad
            ``data_format``, or ``use_batch_norm`` with ``normalization_ctor``
            or ``normalization_kwargs``.
        """
        where, layers = self.scope_name, self._layer_seq
        if any(max(layer.rate) > 1 for layer in layers):
            raise DilatedTransposeError(
                f"{where}: Transpose dilated convolutions are not supported; rates {self._rates}."
            )
        settings.check_transpose_channels(where, output_channels, len(layers))
        normalization_ctor, normalization_kwargs = settings.transpose_normalization(
            where, use_batch_norm, batch_norm_config, normalization_ctor, normalization_kwargs
        )
        fmt = settings.check_data_format(
            where, self._data_format if data_format is None else data_format
        )
        settings.warn_custom_getter_not_passed(where, self.custom_getter, custom_getter)
        cls = lookup_plugin_class("ConvNet2DTranspose", where, attribute="nets")
        reverse = layers[::-1]

        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        return cls(
            output_channels=pick(
                output_channels, [lambda lay=lay: lay.input_channels for lay in reverse]
            ),
            output_shapes=[
                lambda lay=lay: conv_utils.spatial_dims(lay.input_shape, lay.data_format)
                for lay in reverse
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
            use_bias=pick(use_bias, self._use_bias[::-1]),
            data_format=fmt,
            custom_getter=custom_getter,
            name=name if name is not None else f"{self.module_name}_transpose",
        )


class DilatedTransposeError(snt.NotSupportedError, NotImplementedError):
    """``transpose()`` of a network with dilated layers (Sonnet 1 raised NotImplementedError)."""
