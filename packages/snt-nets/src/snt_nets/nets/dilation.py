"""Dilation: Yu & Koltun's context module of eight (mostly dilated) 3x3 convolutions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.conv.conv_2d import Conv2D
from snt_nets.nets.identity_kernels import (
    identity_kernel_initializer,
    noisy_identity_kernel_initializer,
)
from snt_nets.sequential import Sequential

#: (output channels as a multiple of num_output_classes, dilation rate) per layer.
_LAYERS = {
    "basic": [(1, 1), (1, 1), (1, 2), (1, 4), (1, 8), (1, 16), (1, 1), (1, 1)],
    "large": [(2, 1), (2, 1), (4, 2), (8, 4), (16, 8), (32, 16), (32, 1), (1, 1)],
}


class Dilation(snt.AbstractModule):
    """Per-pixel predictions from eight 3x3 convolutions with growing dilation rates.

    From "Multi-Scale Context Aggregation by Dilated Convolutions" (Fisher Yu
    and Vladlen Koltun, ICLR 2016, https://arxiv.org/abs/1511.07122). Layers
    ``conv1`` ... ``conv8`` (rates 1, 1, 2, 4, 8, 16, 1, 1; a ReLU after all
    but the last); each is a ``snt.Sequential`` around a ``snt.Conv2D`` named
    ``dilated_conv_conv<i>`` (variables ``dilation/dilated_conv_conv1/w``
    ...). ``"basic"`` keeps ``num_output_classes`` channels throughout;
    ``"large"`` widens them (2, 2, 4, 8, 16, 32, 32 times, then back).

    By default the kernels start as identities (``"basic"``: the input depth
    must equal ``num_output_classes``; ``"large"``: a multiple of it), so the
    untrained module passes non-negative inputs through unchanged (``"large"``:
    up to summing over channel groups). Biases start at zero.

    Example:
      >>> images = tf.random.uniform([1, 8, 8, 3])
      >>> out = snt.nets.Dilation(num_output_classes=3)(images)
      >>> float(tf.reduce_max(tf.abs(out - images))) < 1e-6
      True

    Args:
      num_output_classes: channels of the output (classes per pixel).
      initializers: dict with keys ``"w"``/``"b"`` (defaults above).
      regularizers: dict with keys ``"w"``/``"b"``.
      model_size: ``"basic"`` or ``"large"`` (checked on connection, as in Sonnet 1).
      name: module name.

    Raises:
      KeyError: unknown keys in the dicts.
      TypeError: a value in the dicts is not callable, or
        ``num_output_classes`` is not an int.
      ValueError: ``num_output_classes`` < 1.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"images": "float"}

    BASIC = "basic"
    LARGE = "large"
    WEIGHTS = "w"
    BIASES = "b"
    POSSIBLE_INITIALIZER_KEYS = {WEIGHTS, BIASES}

    def __init__(
        self,
        num_output_classes: int,
        initializers: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        model_size: str = "basic",
        name: str = "dilation",
    ) -> None:
        super().__init__(name=name)
        _utils.store_checked_dicts(
            self, initializers, None, regularizers, self.POSSIBLE_INITIALIZER_KEYS
        )
        self._num_output_classes = _checks.check_int(
            self.scope_name, "num_output_classes", num_output_classes, minimum=1
        )
        self._model_size = model_size
        _utils.set_untracked(self, _layer_seq=None)
        self._conv_modules: list[Sequential] = []

    def _build(self, images: tf.Tensor) -> tf.Tensor:
        """Returns ``[batch, height, width, num_output_classes]`` logits.

        Args:
          images: ``[batch, height, width, depth]``.

        Raises:
          IncompatibleShapeError: ``images`` is not rank 4, or (with the
            default initializers) its depth does not fit ``num_output_classes``.
          ValueError: ``model_size`` is neither ``"basic"`` nor ``"large"``.
        """
        images = tf.convert_to_tensor(images)
        if images.shape.rank != 4:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: 'images' must have shape [batch_size, height, width, "
                f"depth]; got {images.shape}."
            )
        self._check_depth(images.shape[-1])
        if self._layer_seq is None:
            self._create_layers()
        net = images
        for layer in self._layer_seq:
            net = layer(net)
        return net

    def _check_depth(self, depth: int | None) -> None:
        """The default identity kernels need the depth to fit the number of classes."""
        if self.WEIGHTS in self._initializers or depth is None:
            return
        classes = self._num_output_classes
        if self._model_size == self.BASIC and depth != classes:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: with the default (identity) initializer the input depth "
                f"must equal num_output_classes ({classes}); got {depth}."
            )
        if self._model_size == self.LARGE and depth % classes:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: with the default (noisy identity) initializer the input "
                f"depth must be a multiple of num_output_classes ({classes}); got {depth}."
            )

    def _create_layers(self) -> None:
        """Builds the layers on the first connection (inside the module's scope)."""
        if self._model_size not in _LAYERS:
            raise ValueError(
                f"{self.scope_name}: Unrecognized model_size: {self._model_size!r} (expected "
                f"{self.BASIC!r} or {self.LARGE!r})."
            )
        classes = self._num_output_classes
        initializers = dict(self._initializers)
        if self.WEIGHTS not in initializers:
            initializers[self.WEIGHTS] = (
                identity_kernel_initializer
                if self._model_size == self.BASIC
                else noisy_identity_kernel_initializer(classes)
            )
        initializers.setdefault(self.BIASES, tf.compat.v1.zeros_initializer())
        layers = []
        last = len(_LAYERS[self._model_size])
        for i, (multiple, rate) in enumerate(_LAYERS[self._model_size], start=1):
            conv = Conv2D(
                multiple * classes,
                [3, 3],
                rate=rate,
                initializers=initializers,
                regularizers=self._regularizers,
                name=f"dilated_conv_conv{i}",
            )
            parts: list[Any] = [conv]
            if i != last:
                parts.append(lambda net, i=i: tf.nn.relu(net, name=f"relu_conv{i}"))
            layers.append(Sequential(parts, name=f"conv{i}"))
        self._conv_modules = layers
        _utils.set_untracked(self, _layer_seq=tuple(layers))

    @property
    def conv_modules(self) -> list[Sequential]:
        """The eight layers (``snt.Sequential`` of the convolution and its ReLU).

        Raises:
          NotConnectedError: before the first connection.
        """
        self._ensure_is_connected()
        return list(self._conv_modules)

    @property
    def num_output_classes(self) -> int:
        return self._num_output_classes

    @property
    def model_size(self) -> str:
        return self._model_size
