"""Sequential: applies modules and ops one after the other."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import tensorflow as tf

import sonnet as snt


class Sequential(snt.AbstractModule):
    """Feeds its input through ``layers`` in order.

    A layer whose input is a tuple is called with it unpacked. Layers are
    already-built modules or plain callables (``tf.nn.relu``), mixed freely.

    Example:
      >>> seq = snt.Sequential([snt.Linear(4), tf.nn.relu, snt.Linear(2)])
      >>> seq(tf.ones([3, 5])).shape
      TensorShape([3, 2])

    Args:
      layers: iterable of callables.
      name: module name.

    Raises:
      TypeError: ``layers`` is not iterable, or a layer is not callable.
    """

    def __init__(self, layers: Iterable[Callable[..., Any]], name: str = "sequential") -> None:
        super().__init__(name=name)
        if isinstance(layers, str | bytes) or not isinstance(layers, Iterable):
            raise TypeError(
                f"{self.scope_name}: layers must be an iterable of callables; got "
                f"{type(layers).__name__}: {layers!r} ('{type(layers).__name__}' object is "
                "not iterable)."
            )
        layers = tuple(layers)
        bad = [(index, layer) for index, layer in enumerate(layers) if not callable(layer)]
        if bad:
            # "Items 1, 2 not callable with types: int, bool" is Sonnet 1's wording.
            raise TypeError(
                f"{self.scope_name}: every layer must be callable. Items "
                f"{', '.join(str(i) for i, _ in bad)} not callable with types: "
                f"{', '.join(type(layer).__name__ for _, layer in bad)} (got "
                f"{', '.join(f'layer {i} = {layer!r}' for i, layer in bad)})."
            )
        self._layers = layers
        self._quiet = False

    def _build(self, *args: Any) -> Any:
        """Connects the layers in order; returns the last one's output."""
        net: Any = args
        if not self._layers:
            return args[0] if len(args) == 1 else args
        for layer in self._layers:
            net = layer(*net) if isinstance(net, tuple) else layer(net)
        return net

    @property
    def layers(self) -> tuple[Callable[..., Any], ...]:
        """The layers, in order."""
        return self._layers

    def get_variables(self, *args: Any, **kwargs: Any) -> tuple[tf.Variable, ...]:
        """Variables in Sequential's own scope: none (logs a warning; see get_all_variables).

        The warning goes through ``tf.compat.v1.logging.warning``, as in Sonnet 1.
        """
        if not self._quiet:
            tf.compat.v1.logging.warning(
                f"{self.scope_name}: Calling Sequential.get_variables, which will always "
                "return an empty tuple: it returns only variables created in Sequential's "
                "own scope, and its layers were constructed outside it. Use "
                "get_all_variables() for the layers' variables."
            )
        return super().get_variables(*args, **kwargs)

    def get_all_variables(self, *args: Any, **kwargs: Any) -> tuple[tf.Variable, ...]:
        """The variables of every layer that is a module (sorted by name)."""
        self._quiet = True
        try:
            return super().get_all_variables(*args, **kwargs)
        finally:
            self._quiet = False
