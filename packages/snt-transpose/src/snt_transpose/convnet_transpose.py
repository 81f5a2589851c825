"""ConvNet2DTranspose: a stack of Conv2DTranspose layers, the mirror of ConvNet2D."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets.conv_constants import DATA_FORMAT_NHWC
from snt_nets.nets import convnet_settings as settings
from snt_nets.variable_dicts import VariableDicts
from snt_transpose._utils import set_untracked
from snt_transpose.conv_transpose import Conv2DTranspose

__all__ = ["ConvNet2DTranspose"]


def _per_layer_shapes(where: str, output_shapes: Any, num_layers: int) -> tuple[Any, ...]:
    """``output_shapes``: None (all inferred), or one entry per layer or one for all.

    Each entry is 2 ints, a callable returning them, or None (inferred).
    """
    if output_shapes is None:
        return (None,) * num_layers
    if callable(output_shapes):
        raise TypeError(
            f"{where}: output_shapes must be iterable, with one shape (2 ints, a callable or "
            f"None) per layer; got {output_shapes!r}."
        )
    return settings.per_layer(where, "output_shapes", output_shapes, num_layers)


class ConvNet2DTranspose(snt.AbstractModule, snt.Transposable, VariableDicts):
    """A 2-D transposed convolutional network: layers ``conv_2d_transpose_0``, ...

    After every layer but the last (and after the last one if
    ``normalize_final``/``activate_final``) a normalizer ``batch_norm_<i>``
    and the activation are applied, as in ``snt.nets.ConvNet2D``. It is what
    ``ConvNet2D.transpose()`` builds, and its ``transpose()`` gives a
    ``ConvNet2D`` back.

    Example:
      >>> net = snt.nets.ConvNet2DTranspose(
      ...     [8, 3], output_shapes=[(8, 8), (16, 16)], kernel_shapes=[3], strides=[2],
      ...     paddings=[snt.SAME])
      >>> net(tf.ones([1, 4, 4, 5])).shape
      TensorShape([1, 16, 16, 3])

    Args:
      output_channels: output channels per layer (ints or callables).
      output_shapes: one spatial output shape per layer (or one for all): 2
        ints, a callable returning them, or None to infer it; None for all
        inferred.
      kernel_shapes, strides, paddings: one per layer, or one for all;
        paddings are SAME or VALID.
      activation: the non-linearity.
      activate_final: whether to activate the last layer's output.
      normalization_ctor: a constructor (or "module.path.Name" string) of a
        normalization module, e.g. ``snt.BatchNorm``; None for none.
      normalization_kwargs: its constructor arguments.
      normalize_final: whether to normalize the last layer's output; defaults
        to ``activate_final``.
      initializers, partitioners, regularizers: dicts with keys ``w``/``b``.
      use_batch_norm: legacy switch for ``normalization_ctor=snt.BatchNorm``.
      use_bias: whether the layers have biases: a bool, or one per layer.
      batch_norm_config: legacy ``normalization_kwargs`` for ``use_batch_norm``.
      data_format: NHWC or NCHW.
      custom_getter: a custom getter for every variable of the net (not
        passed on by ``transpose()``, as in Sonnet 1).
      name: module name.

    Connecting with a ``BatchNorm`` or ``BatchNormV2`` normalizer needs an
    explicit ``is_training`` argument.

    Raises:
      ValueError: empty ``output_channels``, a per-layer setting with neither
        1 entry nor one per layer, a bad ``data_format`` or padding, a
        ``normalization_ctor`` string naming no constructor, or
        ``use_batch_norm=True`` with ``normalization_ctor`` or
        ``normalization_kwargs``.
      TypeError: ``output_channels``, ``output_shapes`` or a per-layer setting
        not iterable, a bad ``use_bias``, ``use_batch_norm`` or
        ``activation``, or a bad output channel count, output shape, kernel
        or stride.
      KeyError: unknown keys in the dicts.
      IncompatibleShapeError: a bad kernel shape, stride or output shape.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    POSSIBLE_INITIALIZER_KEYS = {"w", "b"}

    def __init__(
        self,
        output_channels: Sequence[int | Callable[[], int]],
        output_shapes: Sequence[Any] | None,
        kernel_shapes: Sequence[Any],
        strides: Sequence[Any],
        paddings: Sequence[Any],
        activation: Callable[[tf.Tensor], tf.Tensor] = tf.nn.relu,
        activate_final: bool = False,
        normalization_ctor: Any = None,
        normalization_kwargs: Mapping[str, Any] | None = None,
        normalize_final: bool | None = None,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        use_batch_norm: bool = False,
        use_bias: bool | Sequence[bool] = True,
        batch_norm_config: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NHWC,
        custom_getter: Any = None,
        name: str = "conv_net_2d_transpose",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        where = self.scope_name
        channels = settings.check_output_channels(where, output_channels)
        n = len(channels)
        output_shapes = _per_layer_shapes(where, output_shapes, n)
        per_layer = settings.per_layer
        normalization_ctor, normalization_kwargs = settings.resolve_normalization(
            where, use_batch_norm, batch_norm_config, normalization_ctor, normalization_kwargs
        )
        keys = self.POSSIBLE_INITIALIZER_KEYS
        set_untracked(
            self,
            _output_channels=channels,
            _output_shapes=output_shapes,
            _kernel_shapes=per_layer(where, "kernel_shapes", kernel_shapes, n),
            _strides=per_layer(where, "strides", strides, n),
            _paddings=per_layer(where, "paddings", paddings, n),
            _data_format=settings.check_data_format(where, data_format),
            _activation=settings.check_activation(where, activation),
            _activate_final=activate_final,
            _normalization_ctor=normalization_ctor,
            _normalization_kwargs=normalization_kwargs,
            _normalize_final=activate_final if normalize_final is None else normalize_final,
            _use_bias=settings.per_layer_use_bias(where, use_bias, n),
            _custom_getter=custom_getter,
            _initializers=snt.check_initializers(initializers, keys, module_name=where),
            _partitioners=snt.check_partitioners(partitioners, keys, module_name=where),
            _regularizers=snt.check_regularizers(regularizers, keys, module_name=where),
            _input_shape=None,
        )
        with self._enter_variable_scope():
            self._layers = [
                Conv2DTranspose(
                    channels[i],
                    output_shape=self._output_shapes[i],
                    kernel_shape=self._kernel_shapes[i],
                    stride=self._strides[i],
                    padding=self._paddings[i],
                    use_bias=self._use_bias[i],
                    initializers=self._initializers,
                    partitioners=self._partitioners,
                    regularizers=self._regularizers,
                    data_format=data_format,
                    name=f"conv_2d_transpose_{i}",
                )
                for i in range(n)
            ]
            # Named batch_norm_<i> whatever the normalizer, as in ConvNet2D.
            self._normalizers = [
                normalization_ctor(name=f"batch_norm_{i}", **normalization_kwargs)
                if normalization_ctor is not None and (i != n - 1 or self._normalize_final)
                else None
                for i in range(n)
            ]
        # Plain tuples for iteration (tf.Module's list wrappers are slow to read).
        set_untracked(
            self, _layer_seq=tuple(self._layers), _normalizer_seq=tuple(self._normalizers)
        )

    def _build(self, inputs: tf.Tensor, **normalization_build_kwargs: Any) -> tf.Tensor:
        """Applies the layers; ``normalization_build_kwargs`` (e.g. ``is_training``)
        go to each normalizer that accepts them.

        Raises:
          ValueError: batch normalization without ``is_training``.
        """
        set_untracked(self, _input_shape=tuple(tf.TensorShape(inputs.shape).as_list()))
        return settings.apply_layers(
            self.scope_name,
            inputs,
            self._layer_seq,
            self._normalizer_seq,
            self._activation,
            self._activate_final,
            normalization_build_kwargs,
        )

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
        """The mirroring ``snt.nets.ConvNet2D`` (from snt-nets).

        Unset arguments mirror this network: layers in reverse order, each
        mapping back to the channels of the corresponding layer's input (read
        when the transpose connects, so it may be built before this network
        is connected). As in Sonnet 1, the custom getter is not passed on
        (give one here), and ``use_batch_norm`` (legacy) stands for
        ``normalization_ctor=snt.BatchNorm``.

        Raises:
          NotSupportedError: ``snt.nets.ConvNet2D`` cannot be found.
          ValueError: ``output_channels`` of the wrong length, or
            ``use_batch_norm`` with ``normalization_ctor`` or
            ``normalization_kwargs``.
        """
        where, layers = self.scope_name, self._layer_seq
        settings.check_transpose_channels(where, output_channels, len(layers))
        normalization_ctor, normalization_kwargs = settings.transpose_normalization(
            where, use_batch_norm, batch_norm_config, normalization_ctor, normalization_kwargs
        )
        settings.warn_custom_getter_not_passed(where, self._custom_getter, custom_getter)
        try:
            cls = snt.nets.ConvNet2D
        except (AttributeError, ImportError) as e:
            raise snt.NotSupportedError(
                f"{where}: transpose() needs snt.nets.ConvNet2D from the snt-nets package: {e}"
            ) from e
        reverse = layers[::-1]

        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        return cls(
            output_channels=pick(
                output_channels, [lambda lay=lay: lay.input_channels for lay in reverse]
            ),
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
            data_format=pick(data_format, self._data_format),
            custom_getter=custom_getter,
            name=name if name is not None else f"{self.module_name}_transpose",
        )

    # -- properties -----------------------------------------------------------

    @property
    def layers(self) -> tuple[Conv2DTranspose, ...]:
        return self._layer_seq

    @property
    def output_channels(self) -> tuple[int, ...]:
        """Each layer's output channels (deferred values are evaluated)."""
        return tuple(layer.output_channels for layer in self._layer_seq)

    @property
    def output_shapes(self) -> tuple[Any, ...]:
        """Each layer's output shape as given (a callable's result), or the inferred one.

        Inferred shapes (None given) are those of the last connection (see
        ``Conv2DTranspose.output_shape``).
        """
        return tuple(
            layer.output_shape if given is None else given() if callable(given) else given
            for given, layer in zip(self._output_shapes, self._layer_seq, strict=True)
        )

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
    def rates(self) -> tuple[int, ...]:
        """Always 1 per layer: transposed convolutions are not dilated."""
        return (1,) * len(self._layer_seq)

    @property
    def use_bias(self) -> tuple[bool, ...]:
        """Whether each layer has a bias."""
        return self._use_bias

    @property
    def use_batch_norm(self) -> bool:
        """Legacy: whether the normalizer is ``snt.BatchNorm`` (see ``normalization_ctor``)."""
        return self._normalization_ctor is snt.BatchNorm

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
