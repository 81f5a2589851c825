"""HighwayCore: recurrent highway network cell (https://arxiv.org/abs/1607.03474)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.recurrent_dropout import RecurrentDropoutWrapper
from snt_rnn.rnn_core import RNNCore


class HighwayCore(RNNCore):
    """Recurrent highway core: ``num_layers`` highway layers per time step.

    Layer ``l`` computes ``t = sigmoid(s @ wt<l> + bt<l>)`` and
    ``h = tanh(s @ wh<l> + bh<l>)`` (layer 0 also adds ``x @ wt`` and
    ``x @ wh``), then ``s = s * (1 - t) + h * t``; ``1 - t`` serves as the
    carry gate. The state is also the output. Variables without an initializer
    use ``get_variable``'s default (Glorot uniform), as in Sonnet 1.

    Example:
      >>> core = snt.HighwayCore(hidden_size=8, num_layers=2)
      >>> output, state = core(tf.ones([4, 3]), core.initial_state(4))  # highwaycore/wt0 ...

    Args:
      hidden_size: the state size.
      num_layers: number of highway layers per step.
      initializers: optional dict; keys from :meth:`get_possible_initializer_keys`.
      partitioners: optional dict, same keys.
      regularizers: optional dict, same keys.
      custom_getter: see ``snt.AbstractModule``.
      name: module name.

    Raises:
      KeyError: unknown keys in ``initializers``/``partitioners``/``regularizers``.
      TypeError: ``hidden_size`` or ``num_layers`` is not an int.
      ValueError: ``hidden_size`` or ``num_layers`` is smaller than 1.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float", "prev_state": "nest"}

    WT = "wt"
    BT = "bt"
    WH = "wh"
    BH = "bh"

    def __init__(
        self,
        hidden_size: int,
        num_layers: int,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        custom_getter: Any = None,
        name: str = "highwaycore",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        hidden_size = _utils.check_positive_int(self, "hidden_size", hidden_size)
        num_layers = _utils.check_positive_int(self, "num_layers", num_layers)
        keys = self.get_possible_initializer_keys(num_layers)
        where = {"module_name": self.scope_name}
        _utils.set_untracked(
            self,
            _hidden_size=hidden_size,
            _num_layers=num_layers,
            _initializers=snt.check_initializers(initializers, keys, **where),
            _partitioners=snt.check_partitioners(partitioners, keys, **where),
            _regularizers=snt.check_regularizers(regularizers, keys, **where),
            _input_size=None,
        )

    @classmethod
    def get_possible_initializer_keys(cls, num_layers: int) -> set[str]:
        """``wt``, ``wh`` and, per layer ``l``, ``wt<l>``, ``bt<l>``, ``wh<l>``, ``bh<l>``."""
        keys = {cls.WT, cls.WH}
        for layer in range(num_layers):
            keys |= {f"{cls.WT}{layer}", f"{cls.BT}{layer}", f"{cls.WH}{layer}", f"{cls.BH}{layer}"}
        return keys

    def _build(self, inputs: tf.Tensor, prev_state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """One step through every highway layer; returns ``(state, state)``.

        Raises:
          IncompatibleShapeError: inputs are not rank 2, or their size changed;
            ``prev_state`` is not ``[batch_size, hidden_size]``.
          ValueError: ``prev_state`` is not a single tensor.
        """
        input_size = _utils.check_input_size(self, inputs)
        _utils.check_state_shapes(self, prev_state, self.state_size, inputs.shape[0])
        size, dtype = self._hidden_size, inputs.dtype

        def var(name: str, shape: Any) -> tf.Variable:
            return _utils.get_variable(
                name, shape, dtype, self._initializers, self._partitioners, self._regularizers
            )

        wt_in = var(self.WT, [input_size, size])
        wh_in = var(self.WH, [input_size, size])
        state = prev_state
        for layer in range(self._num_layers):
            pre_t = tf.matmul(state, var(f"{self.WT}{layer}", [size, size]))
            pre_t += var(f"{self.BT}{layer}", [size])
            pre_h = tf.matmul(state, var(f"{self.WH}{layer}", [size, size]))
            pre_h += var(f"{self.BH}{layer}", [size])
            if layer == 0:
                pre_t += tf.matmul(inputs, wt_in)
                pre_h += tf.matmul(inputs, wh_in)
            t = tf.sigmoid(pre_t)
            state = state * (1 - t) + tf.tanh(pre_h) * t
        return state, state

    @property
    def state_size(self) -> tf.TensorShape:
        """``TensorShape([hidden_size])``."""
        return tf.TensorShape([self._hidden_size])

    @property
    def output_size(self) -> tf.TensorShape:
        """``TensorShape([hidden_size])``."""
        return tf.TensorShape([self._hidden_size])


def highway_core_with_recurrent_dropout(
    hidden_size: int, num_layers: int, keep_prob: float = 0.5, **kwargs: Any
) -> tuple[RecurrentDropoutWrapper, HighwayCore]:
    """A HighwayCore with recurrent dropout on its state, and the same core without.

    Args:
      hidden_size: the state size.
      num_layers: number of highway layers.
      keep_prob: probability of keeping a state unit.
      **kwargs: passed to :class:`snt.HighwayCore`.

    Returns:
      ``(train_core, test_core)``, sharing the core's variables.
    """
    core = HighwayCore(hidden_size, num_layers, **kwargs)
    return RecurrentDropoutWrapper(core, keep_prob), core
