"""MLP: a stack of Linear layers with an activation between them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.linear import Linear
from snt_nets.variable_dicts import VariableDicts


class MLP(snt.AbstractModule, snt.Transposable, VariableDicts):
    """A multi-layer perceptron: ``Linear`` layers ``linear_0``, ``linear_1``, ...

    Example:
      >>> mlp = snt.nets.MLP([8, 4])
      >>> mlp(tf.ones([2, 3])).shape  # mlp/linear_0/w [3, 8], mlp/linear_1/w [8, 4]
      TensorShape([2, 4])

    Args:
      output_sizes: output size of each layer (ints, or callables returning
        one on connection).
      activation: applied after every layer but the last (and after the last
        one too if ``activate_final``).
      activate_final: whether to activate the last layer's output.
      initializers: dict with keys ``"w"``/``"b"``, given to every layer.
      partitioners: dict with keys ``"w"``/``"b"``, given to every layer.
      regularizers: dict with keys ``"w"``/``"b"``, given to every layer.
      use_bias: whether the layers have biases.
      use_dropout: apply dropout after each activation (see :meth:`_build`).
      custom_getter: a custom getter for every variable of the MLP.
      name: module name.

    Raises:
      ValueError: ``output_sizes`` is empty.
      TypeError: ``activation`` is not callable or ``output_sizes`` not iterable.
      KeyError: unknown keys in the dicts.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    def __init__(
        self,
        output_sizes: Iterable[int | Callable[[], int]],
        activation: Callable[[tf.Tensor], tf.Tensor] = tf.nn.relu,
        activate_final: bool = False,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        use_bias: bool = True,
        use_dropout: bool = False,
        custom_getter: Any = None,
        name: str = "mlp",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        if not isinstance(output_sizes, Iterable):
            raise TypeError(
                f"{self.scope_name}: output_sizes must be iterable; got "
                f"{type(output_sizes).__name__}."
            )
        sizes = tuple(output_sizes)
        if not sizes:
            raise ValueError(f"{self.scope_name}: output_sizes must not be empty.")
        sizes = tuple(
            _checks.check_size(self.scope_name, f"output_sizes[{i}]", n)
            for i, n in enumerate(sizes)
        )
        if not callable(activation):
            raise TypeError(
                f"{self.scope_name}: Input 'activation' must be callable; got {activation!r}."
            )
        keys = self.get_possible_initializer_keys(use_bias=use_bias)
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        self._output_sizes = sizes
        self._activation = activation
        self._activate_final = activate_final
        self._use_bias = use_bias
        self._use_dropout = use_dropout
        _utils.set_untracked(self, _input_shape=None)
        with self._enter_variable_scope():
            self._layers = [
                Linear(
                    size,
                    use_bias=use_bias,
                    initializers=self._initializers,
                    partitioners=self._partitioners,
                    regularizers=self._regularizers,
                    name=f"linear_{i}",
                )
                for i, size in enumerate(sizes)
            ]
        # A plain tuple for iteration (tf.Module's list wrapper is slow to read).
        _utils.set_untracked(self, _layer_seq=tuple(self._layers))

    @classmethod
    def get_possible_initializer_keys(cls, use_bias: bool = True) -> set[str]:
        """``{"w", "b"}``, or ``{"w"}`` without bias."""
        return Linear.get_possible_initializer_keys(use_bias=use_bias)

    def _build(
        self, inputs: tf.Tensor, is_training: Any = True, dropout_keep_prob: Any = 0.5
    ) -> tf.Tensor:
        """Applies the layers.

        Args:
          inputs: ``[batch, input_size]``.
          is_training: with ``use_dropout``, dropout is applied (to each
            activated layer's output, before the activation) only when this
            (a bool or a boolean tensor) is true.
          dropout_keep_prob: the probability of keeping a unit.
        """
        shape = _utils.static_shape(inputs)
        if shape != self._input_shape:
            _utils.set_untracked(self, _input_shape=shape)
        net = inputs
        last = len(self._layer_seq) - 1
        for index, layer in enumerate(self._layer_seq):
            net = layer(net)
            if index != last or self._activate_final:
                # Sonnet 1's order: dropout on the layer's output, then the activation
                # (so the module's output is the activation's op).
                if self._use_dropout:
                    net = self._dropout(net, is_training, dropout_keep_prob)
                net = self._activation(net)
        return net

    @staticmethod
    def _dropout(net: tf.Tensor, is_training: Any, keep_prob: Any) -> tf.Tensor:
        if isinstance(is_training, bool):
            return tf.nn.dropout(net, rate=1.0 - keep_prob) if is_training else net
        keep = tf.where(tf.cast(is_training, tf.bool), tf.cast(keep_prob, net.dtype), 1.0)
        return tf.nn.dropout(net, rate=1.0 - keep)

    @property
    def layers(self) -> tuple[Linear, ...]:
        """The Linear layers."""
        return tuple(self._layers)

    @property
    def output_sizes(self) -> tuple[int, ...]:
        """The output size of each layer (deferred sizes evaluated)."""
        return tuple(_utils.resolve(s) for s in self._output_sizes)

    @property
    def output_size(self) -> int:
        """The output size of the last layer."""
        return _utils.resolve(self._output_sizes[-1])

    @property
    def use_bias(self) -> bool:
        return self._use_bias

    @property
    def use_dropout(self) -> bool:
        return self._use_dropout

    @property
    def activation(self) -> Callable[[tf.Tensor], tf.Tensor]:
        return self._activation

    @property
    def activate_final(self) -> bool:
        return self._activate_final

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        """The shape of the last input. Raises NotConnectedError before connection."""
        self._ensure_is_connected()
        return self._input_shape

    def transpose(self, name: str | None = None, activate_final: bool | None = None) -> MLP:
        """An MLP mirroring this one: its layers map back to each layer's input size."""
        sizes = [lambda layer=layer: layer.input_shape[-1] for layer in reversed(self._layers)]
        return MLP(
            output_sizes=sizes,
            activation=self._activation,
            activate_final=self._activate_final if activate_final is None else activate_final,
            initializers=self._initializers,
            partitioners=self._partitioners,
            regularizers=self._regularizers,
            use_bias=self._use_bias,
            use_dropout=self._use_dropout,
            custom_getter=self.custom_getter,
            name=name if name is not None else f"{self.module_name}_transpose",
        )

    def clone(self, name: str | None = None) -> MLP:
        """A new MLP with this one's configuration and its own variables."""
        return MLP(
            output_sizes=self._output_sizes,
            activation=self._activation,
            activate_final=self._activate_final,
            initializers=self._initializers,
            partitioners=self._partitioners,
            regularizers=self._regularizers,
            use_bias=self._use_bias,
            use_dropout=self._use_dropout,
            custom_getter=self.custom_getter,
            name=name if name is not None else f"{self.module_name}_clone",
        )
