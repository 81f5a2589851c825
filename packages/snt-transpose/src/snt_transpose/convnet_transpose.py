"""ConvNet2DTranspose: a stack of Conv2DTranspose layers, the mirror of ConvNet2D."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets.conv_constants import DATA_FORMAT_NHWC, SUPPORTED_2D_DATA_FORMATS
from snt_nets.variable_dicts import VariableDicts
from snt_transpose._utils import set_untracked
from snt_transpose.conv_transpose import Conv2DTranspose

__all__ = ["ConvNet2DTranspose"]


def _per_layer(where: str, what: str, values: Any, num_layers: int) -> tuple[Any, ...]:
    """One setting per layer: a length-1 sequence (or a bare value) is repeated."""
    if isinstance(values, Sequence) and not isinstance(values, str):
        values = tuple(values)
    else:
        values = (values,)
    if len(values) == 1:
        return values * num_layers
    if len(values) != num_layers:
        raise ValueError(
            f"{where}: {what} must have length 1 or {num_layers} (one per layer); got "
            f"{len(values)}: {values!r}."
        )
    return values


def _per_layer_shapes(where: str, output_shapes: Any, num_layers: int) -> tuple[Any, ...]:
    """``output_shapes``: None (all inferred) or one entry per layer."""
    if output_shapes is None:
        return (None,) * num_layers
    if callable(output_shapes) or not isinstance(output_shapes, Sequence):
        raise TypeError(
            f"{where}: output_shapes must be a sequence with one shape (2 ints, a callable or "
            f"None) per layer; got {output_shapes!r}."
        )
    if len(output_shapes) != num_layers:
        raise ValueError(
            f"{where}: output_shapes must have one entry per layer ({num_layers}); got "
            f"{len(output_shapes)}: {output_shapes!r}."
        )
    return tuple(output_shapes)


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
      output_shapes: one spatial output shape per layer: 2 ints, a callable
        returning them, or None to infer it; None for all inferred.
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
      use_bias: whether the layers have biases.
      batch_norm_config: legacy ``normalization_kwargs`` for ``use_batch_norm``.
      data_format: NHWC or NCHW.
      custom_getter: a custom getter for every variable of the net.
      name: module name.

    Raises:
      ValueError: empty ``output_channels``, a per-layer setting of the wrong
        length, a bad ``data_format`` or padding, a ``normalization_ctor``
        string naming no constructor, or both ``use_batch_norm`` and
        ``normalization_ctor``.
      TypeError: ``output_channels`` or ``output_shapes`` not a sequence, or
        a bad output channel count, output shape, kernel or stride.
      KeyError: unknown keys in the dicts.
    """

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
        use_bias: bool = True,
        batch_norm_config: Mapping[str, Any] | None = None,
        data_format: str = DATA_FORMAT_NHWC,
        custom_getter: Any = None,
        name: str = "conv_net_2d_transpose",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        where = self.scope_name
        if isinstance(output_channels, str) or not isinstance(output_channels, Iterable):
            raise TypeError(
                f"{where}: output_channels must be a sequence with one entry (an int or a "
                f"callable) per layer; got {output_channels!r}."
            )
        channels = tuple(output_channels)
        n = len(channels)
        if n == 0:
            raise ValueError(f"{where}: output_channels must not be empty.")
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
            normalization_ctor, normalization_kwargs = snt.BatchNorm, batch_norm_config
        if isinstance(normalization_ctor, str):
            try:
                normalization_ctor = snt.parse_string_to_constructor(normalization_ctor)
            except ValueError as e:
                raise ValueError(
                    f"{where}: bad normalization_ctor {normalization_ctor!r}: {e}"
                ) from e
        keys = {"w", "b"} if use_bias else {"w"}
        set_untracked(
            self,
            _output_channels=channels,
            _output_shapes=_per_layer_shapes(where, output_shapes, n),
            _kernel_shapes=_per_layer(where, "kernel_shapes", kernel_shapes, n),
            _strides=_per_layer(where, "strides", strides, n),
            _paddings=_per_layer(where, "paddings", paddings, n),
            _activation=activation,
            _activate_final=activate_final,
            _normalization_ctor=normalization_ctor,
            _normalization_kwargs=dict(normalization_kwargs or {}),
            _normalize_final=activate_final if normalize_final is None else normalize_final,
            _use_batch_norm=bool(use_batch_norm),
            _batch_norm_config=batch_norm_config,
            _use_bias=use_bias,
            _data_format=data_format,
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
                    use_bias=use_bias,
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
                normalization_ctor(name=f"batch_norm_{i}", **self._normalization_kwargs)
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
        go to each normalizer that accepts them."""
        set_untracked(self, _input_shape=tuple(tf.TensorShape(inputs.shape).as_list()))
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
        is connected).

        Raises:
          NotSupportedError: ``snt.nets.ConvNet2D`` cannot be found.
        """
        try:
            cls = snt.nets.ConvNet2D
        except (AttributeError, ImportError) as e:
            raise snt.NotSupportedError(
                f"{self.scope_name}: transpose() needs snt.nets.ConvNet2D from the snt-nets "
                f"package: {e}"
            ) from e
        layers = self._layers[::-1]

        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        return cls(
            output_channels=pick(
                output_channels, [lambda lay=lay: lay.input_channels for lay in layers]
            ),
            kernel_shapes=pick(kernel_shapes, self._kernel_shapes[::-1]),
            strides=pick(strides, self._strides[::-1]),
            paddings=pick(paddings, self._paddings[::-1]),
            activation=pick(activation, self._activation),
            activate_final=pick(activate_final, self._activate_final),
            # A legacy use_batch_norm=True replaces this net's normalizer.
            normalization_ctor=pick(
                normalization_ctor, None if use_batch_norm else self._normalization_ctor
            ),
            normalization_kwargs=pick(
                normalization_kwargs, None if use_batch_norm else self._normalization_kwargs
            ),
            normalize_final=pick(normalize_final, self._normalize_final),
            initializers=pick(initializers, self._initializers),
            partitioners=pick(partitioners, self._partitioners),
            regularizers=pick(regularizers, self._regularizers),
            use_batch_norm=use_batch_norm,
            use_bias=pick(use_bias, self._use_bias),
            batch_norm_config=batch_norm_config,
            data_format=pick(data_format, self._data_format),
            custom_getter=pick(custom_getter, self._custom_getter),
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
    def output_shapes(self) -> tuple[tuple[int | None, ...], ...]:
        """Each layer's spatial output shape (see ``Conv2DTranspose.output_shape``)."""
        return tuple(layer.output_shape for layer in self._layer_seq)

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
