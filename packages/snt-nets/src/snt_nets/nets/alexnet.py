"""AlexNet (Krizhevsky et al. 2012) in its full and its CIFAR-sized mini form."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _utils
from snt_nets.batch_norm import BatchNorm
from snt_nets.batch_reshape import BatchFlatten
from snt_nets.conv.conv_2d import Conv2D
from snt_nets.conv_constants import VALID
from snt_nets.linear import Linear

#: Per mode: conv layers (channels, (kernel, stride), (pool size, pool stride) or
#: None) and the sizes of the fully connected layers.
_ARCHITECTURES: dict[str, tuple[list[Any], list[int]]] = {
    "FULL": (
        [
            (96, (11, 4), (3, 2)),
            (256, (5, 1), (3, 2)),
            (384, (3, 1), None),
            (384, (3, 1), None),
            (256, (3, 1), (3, 2)),
        ],
        [4096, 4096],
    ),
    "MINI": (
        [
            (48, (3, 1), (3, 1)),
            (128, (3, 1), (3, 1)),
            (192, (3, 1), None),
            (192, (3, 1), None),
            (128, (3, 1), (3, 1)),
        ],
        [1024, 1024],
    ),
}


class AlexNet(snt.AbstractModule):
    """AlexNet: five convolutions with max pooling, then two fully connected layers.

    From "ImageNet Classification with Deep Convolutional Neural Networks"
    (Krizhevsky, Sutskever and Hinton, NIPS 2012). ``AlexNet.FULL`` is the
    original network (96-256-384-384-256 channels, 4096-4096 units);
    ``AlexNet.MINI`` a cut-down version for CIFAR-10 sized inputs (48-...-128
    channels, 1024-1024 units). Every layer is followed by a ReLU (and,
    optionally, batch normalization before it); convolutions use ``VALID``
    padding. Submodules: ``conv_0`` ... ``conv_4`` (``snt.Conv2D``),
    ``fc_0``/``fc_1`` (``snt.Linear``) and ``batch_norm``, ``batch_norm_1``,
    ... (``snt.BatchNorm``, convolutions first). The output is the last
    fully connected layer's activation, ``[batch, 4096]`` or ``[batch, 1024]``.

    As in Sonnet 1, ``regularizers`` apply to the convolutions only.

    Example:
      >>> net = snt.nets.AlexNetMini()
      >>> net(tf.zeros([2, net.min_input_size, net.min_input_size, 3])).shape
      TensorShape([2, 1024])

    Args:
      mode: ``AlexNet.FULL`` or ``AlexNet.MINI``.
      use_batch_norm: batch normalization between each layer and its ReLU.
      batch_norm_config: keyword arguments of the ``snt.BatchNorm`` modules.
      initializers: dict with keys ``"w"``/``"b"`` for the layers (default:
        the layers' own truncated-normal weights, zero biases).
      partitioners: dict with keys ``"w"``/``"b"``.
      regularizers: dict with keys ``"w"``/``"b"`` (convolutions only).
      bn_on_fc_layers: with ``use_batch_norm``, normalize the fully connected
        layers too (deprecated in Sonnet 1; warns when it applies).
      custom_getter: a custom getter for every variable of the network.
      name: module name.

    Raises:
      Error: ``mode`` is not ``FULL`` or ``MINI``.
      KeyError: unknown keys in the dicts.
      TypeError: a value in the dicts is not callable.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    FULL = "FULL"
    MINI = "MINI"
    POSSIBLE_INITIALIZER_KEYS = {"w", "b"}

    def __init__(
        self,
        mode: str,
        use_batch_norm: bool = False,
        batch_norm_config: Mapping[str, Any] | None = None,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        bn_on_fc_layers: bool = True,
        custom_getter: Any = None,
        name: str = "alex_net",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        where = self.scope_name
        if mode not in _ARCHITECTURES:
            raise snt.Error(
                f"{where}: AlexNet construction mode {mode!r} not recognised, must be one of: "
                f"{self.FULL!r}, {self.MINI!r}."
            )
        keys = self.POSSIBLE_INITIALIZER_KEYS
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        self._mode = mode
        self._use_batch_norm = bool(use_batch_norm)
        self._bn_on_fc_layers = bool(bn_on_fc_layers)
        if self._use_batch_norm and self._bn_on_fc_layers:
            warnings.warn(
                f"{where}: batch normalization of AlexNet's fully connected layers "
                "(bn_on_fc_layers=True) is deprecated and not recommended.",
                DeprecationWarning,
                stacklevel=2,
            )
        config = dict(batch_norm_config or {})
        bn_name = config.pop("name", "batch_norm")
        _utils.set_untracked(self, _batch_norm_config=dict(batch_norm_config or {}))
        conv_layers, fc_sizes = _ARCHITECTURES[mode]
        _utils.set_untracked(
            self, _conv_layers=list(conv_layers), _min_size=self._calc_min_size(conv_layers)
        )
        with self._enter_variable_scope():
            self._conv_modules = [
                Conv2D(
                    output_channels=channels,
                    kernel_shape=kernel,
                    stride=stride,
                    padding=VALID,
                    initializers=self._initializers,
                    partitioners=self._partitioners,
                    regularizers=self._regularizers,
                    name=f"conv_{i}",
                )
                for i, (channels, (kernel, stride), _) in enumerate(conv_layers)
            ]
            self._flatten = BatchFlatten(name="flatten")
            self._linear_modules = [
                Linear(
                    output_size=size,
                    initializers=self._initializers,
                    partitioners=self._partitioners,
                    name=f"fc_{i}",
                )
                for i, size in enumerate(fc_sizes)
            ]
            num_norms = 0
            if self._use_batch_norm:
                num_norms = len(conv_layers) + (len(fc_sizes) if self._bn_on_fc_layers else 0)
            self._batch_norms = [
                BatchNorm(name=bn_name if i == 0 else f"{bn_name}_{i}", **config)
                for i in range(num_norms)
            ]
        _utils.set_untracked(
            self,
            _conv_seq=tuple(self._conv_modules),
            _linear_seq=tuple(self._linear_modules),
            _norm_seq=tuple(self._batch_norms),
        )

    def _calc_min_size(self, conv_layers: Sequence[Any]) -> int:
        """The smallest input height/width for which the layers give a 1x1 output.

        Args:
          conv_layers: ``(channels, (kernel, stride), (pool size, pool stride) or None)``
            per layer (``VALID`` padding).
        """
        size = 1
        for _, conv, pool in reversed(list(conv_layers)):
            for window in (pool, conv):
                if window is not None:
                    kernel, stride = window
                    size = size * stride + kernel - stride
        return size

    def _build(
        self,
        inputs: tf.Tensor,
        keep_prob: Any = None,
        is_training: Any = None,
        test_local_stats: Any = True,
    ) -> tf.Tensor:
        """Applies the network to ``[batch, height, width, channels]`` images.

        Args:
          inputs: images at least ``min_input_size`` high and wide.
          keep_prob: dropout keep probability after each fully connected layer
            (a number or scalar tensor); None for no dropout. With
            ``is_training`` false it must be None or 1 (checked when run).
          is_training: bool or boolean tensor; required with batch
            normalization or dropout. It does not switch dropout off.
          test_local_stats: batch normalization uses batch statistics at test
            time.

        Raises:
          ValueError: ``is_training`` is None although batch normalization or
            dropout is used.
          IncompatibleShapeError: ``inputs`` is not rank 4, or too small.
          tf.errors.InvalidArgumentError: (when run) ``keep_prob`` is not 1
            while ``is_training`` is false.
        """
        where = self.scope_name
        if (self._use_batch_norm or keep_prob is not None) and is_training is None:
            raise ValueError(
                f"{where}: Boolean is_training flag must be explicitly specified when using "
                "batch normalization or dropout."
            )
        inputs = tf.convert_to_tensor(inputs)
        shape = inputs.shape
        if shape.rank != 4:
            raise snt.IncompatibleShapeError(
                f"{where}: expected images of shape [batch, height, width, channels]; got {shape}."
            )
        height, width = shape[1], shape[2]
        if any(d is not None and d < self._min_size for d in (height, width)):
            raise snt.IncompatibleShapeError(
                f"{where}: Image shape too small: ({height}, {width}) < {self._min_size} "
                f"(the {self._mode} network's minimum height and width)."
            )
        net = inputs
        if keep_prob is not None:
            net = self._check_keep_prob(net, keep_prob, is_training)
        norms = iter(self._norm_seq)
        for conv, (_, _, pool) in zip(self._conv_seq, self._conv_layers, strict=True):
            net = conv(net)
            if self._use_batch_norm:
                net = next(norms)(net, is_training=is_training, test_local_stats=test_local_stats)
            net = tf.nn.relu(net)
            if pool is not None:
                size, stride = pool
                net = tf.nn.max_pool2d(net, size, stride, padding=VALID)
        net = self._flatten(net)
        for linear in self._linear_seq:
            net = linear(net)
            if self._use_batch_norm and self._bn_on_fc_layers:
                net = next(norms)(net, is_training=is_training, test_local_stats=test_local_stats)
            net = tf.nn.relu(net)
            if keep_prob is not None:
                net = tf.nn.dropout(net, rate=1.0 - keep_prob)
        return net

    def _check_keep_prob(self, net: tf.Tensor, keep_prob: Any, is_training: Any) -> tf.Tensor:
        """``net``, once ``keep_prob`` is checked to be 1 when not training."""
        allowed = tf.logical_or(
            tf.cast(is_training, tf.bool), tf.equal(tf.cast(keep_prob, tf.float32), 1.0)
        )
        check = tf.debugging.assert_equal(
            allowed,
            True,
            message=f"{self.scope_name}: Input `keep_prob` must be None or 1 if "
            "`is_training=False`.",
        )
        with tf.control_dependencies([check] if check is not None else []):
            return tf.identity(net)

    @property
    def initializers(self) -> dict[str, Any]:
        return self._initializers

    @property
    def partitioners(self) -> dict[str, Any]:
        return self._partitioners

    @property
    def regularizers(self) -> dict[str, Any]:
        return self._regularizers

    @property
    def min_input_size(self) -> int:
        """The minimum height and width of the input (they need not be equal)."""
        return self._min_size

    @property
    def conv_modules(self) -> list[Conv2D]:
        """The ``snt.Conv2D`` layers. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return list(self._conv_seq)

    @property
    def linear_modules(self) -> list[Linear]:
        """The ``snt.Linear`` layers. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return list(self._linear_seq)


class AlexNetFull(AlexNet):
    """``AlexNet`` in ``FULL`` mode, without batch normalization of the fully connected layers.

    Example:
      >>> net = snt.nets.AlexNetFull()
      >>> net.min_input_size
      195

    Args: as :class:`AlexNet` (no ``mode`` or ``bn_on_fc_layers``).
    """

    def __init__(
        self,
        use_batch_norm: bool = False,
        batch_norm_config: Mapping[str, Any] | None = None,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        custom_getter: Any = None,
        name: str = "alex_net_full",
    ) -> None:
        super().__init__(
            mode=self.FULL,
            use_batch_norm=use_batch_norm,
            batch_norm_config=batch_norm_config,
            initializers=initializers,
            partitioners=partitioners,
            regularizers=regularizers,
            bn_on_fc_layers=False,
            custom_getter=custom_getter,
            name=name,
        )


class AlexNetMini(AlexNet):
    """``AlexNet`` in ``MINI`` mode, without batch normalization of the fully connected layers.

    Example:
      >>> net = snt.nets.AlexNetMini()
      >>> net.min_input_size
      17

    Args: as :class:`AlexNet` (no ``mode`` or ``bn_on_fc_layers``).
    """

    def __init__(
        self,
        use_batch_norm: bool = False,
        batch_norm_config: Mapping[str, Any] | None = None,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        custom_getter: Any = None,
        name: str = "alex_net_mini",
    ) -> None:
        super().__init__(
            mode=self.MINI,
            use_batch_norm=use_batch_norm,
            batch_norm_config=batch_norm_config,
            initializers=initializers,
            partitioners=partitioners,
            regularizers=regularizers,
            bn_on_fc_layers=False,
            custom_getter=custom_getter,
            name=name,
        )
