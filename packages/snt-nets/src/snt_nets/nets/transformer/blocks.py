"""The pieces of a Transformer layer: the residual wrapper and the position-wise MLP."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks
from snt_nets.batch_apply import BatchApply
from snt_nets.layer_norm import LayerNorm
from snt_nets.nets.mlp import MLP

#: Accepted values of ``layer_norm``: where the wrapper normalizes.
LAYER_NORM_PLACES = ("input", "output", "both", "none", None)


def _layer_norm(inputs: tf.Tensor) -> tf.Tensor:
    """A fresh LayerNorm over the last dimension (batch-applied above rank 2)."""
    if inputs.shape.rank is not None and inputs.shape.rank > 2:
        return BatchApply(LayerNorm())(inputs)
    return LayerNorm()(inputs)


class ResidualDropoutWrapper(snt.AbstractModule):
    """Adds a layer's output (after dropout) back to its input, with layer norms.

    ``output = inputs + dropout(layer(norm(inputs)))``, where ``norm`` is a
    LayerNorm when ``layer_norm`` is ``"input"`` or ``"both"``; with
    ``"output"`` or ``"both"`` the sum is normalized too. A layer returning a
    tuple is taken to return ``(output, state)``; the state is passed through.

    Example:
      >>> mlp = snt.nets.transformer.default_mlp([8])
      >>> block = snt.nets.transformer.ResidualDropoutWrapper(mlp, dropout_rate=0.1)
      >>> block(tf.ones([2, 3, 8]), is_training=False).shape
      TensorShape([2, 3, 8])

    Args:
      layer: the module or callable to wrap; called as
        ``layer(normed_inputs, *args, **kwargs)``.
      dropout_rate: the dropout rate of the layer's output in training.
      layer_norm: ``"input"`` (Vaswani et al. 2017), ``"output"``, ``"both"``,
        or ``"none"``/None for no normalization.
      name: module name.

    Raises:
      TypeError: ``layer`` is not callable, or ``dropout_rate`` is not a number.
      ValueError: an unknown ``layer_norm``, or ``dropout_rate`` outside ``[0, 1)``.
    """

    def __init__(
        self,
        layer: Callable[..., Any],
        dropout_rate: float,
        layer_norm: str | None = "input",
        name: str = "residual_dropout_wrapper",
    ) -> None:
        super().__init__(name=name)
        if not callable(layer):
            raise TypeError(
                f"{self.scope_name}: layer must be a module or callable; got "
                f"{type(layer).__name__}."
            )
        if layer_norm not in LAYER_NORM_PLACES:
            raise ValueError(
                f"{self.scope_name}: layer_norm must be one of {LAYER_NORM_PLACES}; got "
                f"{layer_norm!r}."
            )
        self._module = layer
        self._dropout_rate = _checks.check_rate(
            self.scope_name, "dropout_rate", dropout_rate, upper_inclusive=False
        )
        self._layer_norm = layer_norm

    def _build(self, inputs: tf.Tensor, *args: Any, **kwargs: Any) -> Any:
        """Applies the wrapped layer with the residual connection.

        Args:
          inputs: the layer's input (the residual's left term).
          *args: passed to the layer.
          **kwargs: passed to the layer; must hold ``is_training`` (a Python
            bool: dropout is applied when True).

        Returns:
          The output, or ``(output, state)`` when the layer returns a tuple.

        Raises:
          TypeError: ``is_training`` was not given.
        """
        if "is_training" not in kwargs:
            raise TypeError(
                f"{self.scope_name}: call the wrapper with is_training=... (it is passed on to "
                "the wrapped layer and turns the dropout on)."
            )
        normed = _layer_norm(inputs) if self._layer_norm in ("input", "both") else inputs
        output = self._module(normed, *args, **kwargs)
        state = None
        if isinstance(output, tuple):
            output, state = output
        if kwargs["is_training"]:
            output = tf.nn.dropout(output, rate=self._dropout_rate)
        output = inputs + output
        if self._layer_norm in ("output", "both"):
            output = _layer_norm(output)
        return output if state is None else (output, state)


def default_mlp(
    hidden_sizes: Sequence[int], activate_final: bool = False, init_std: float = 2.0, **kwargs: Any
) -> BatchApply:
    """The position-wise MLP of a Transformer layer: a batch-applied ``snt.nets.MLP``.

    The MLP has dropout on (controlled by ``is_training``/``dropout_keep_prob``
    at call time) and its weights start from a variance-scaling initializer
    (scale ``init_std``, truncated normal, as Sonnet 1's ``"normal"``).

    Example:
      >>> mlp = snt.nets.transformer.default_mlp([16, 8])
      >>> mlp(tf.ones([2, 3, 4]), is_training=False).shape
      TensorShape([2, 3, 8])

    Args:
      hidden_sizes: the MLP's output sizes.
      activate_final: whether the last layer is activated too.
      init_std: the scale of the weights' initializer.
      **kwargs: more ``snt.nets.MLP`` arguments (``name``, ``activation``, ...).

    Returns:
      A ``snt.BatchApply`` wrapping the MLP (inputs ``[B, N, D]``).
    """
    init = {
        "w": tf.compat.v1.variance_scaling_initializer(
            scale=init_std, distribution="truncated_normal"
        )
    }
    mlp = MLP(
        hidden_sizes,
        activate_final=activate_final,
        use_dropout=True,
        initializers=init,
        **kwargs,
    )
    return BatchApply(mlp)
