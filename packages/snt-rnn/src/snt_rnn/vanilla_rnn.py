"""VanillaRNN: ``h' = activation(in_to_hidden(x) + hidden_to_hidden(h))``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.rnn_core import RNNCore

#: The state's shape: ``[batch, width]``, any width (see ``VanillaRNN._build``).
_ANY_WIDTH = tf.TensorShape([None])


class VanillaRNN(RNNCore):
    """Basic recurrent core built from two ``snt.Linear`` modules.

    ``in_to_hidden`` and ``hidden_to_hidden`` are Linears (with bias) inside
    the core's scope: variables ``vanilla_rnn/in_to_hidden/w``, ``.../b``,
    ``vanilla_rnn/hidden_to_hidden/w``, ``.../b``.

    Example:
      >>> rnn = snt.VanillaRNN(hidden_size=8)
      >>> output, state = rnn(tf.ones([4, 3]), rnn.initial_state(4))

    Args:
      hidden_size: the state size.
      activation: applied to the sum of the two Linears' outputs.
      initializers: optional dict with keys ``"in_to_hidden"`` and
        ``"hidden_to_hidden"``, each a Linear initializers dict (``w``, ``b``).
        A callable in place of such a dict raises ``TypeError`` on the first
        connection (Sonnet 1's order); anything else is checked here.
      partitioners: optional dict, same structure.
      regularizers: optional dict, same structure.
      name: module name.

    Raises:
      KeyError: unknown keys in ``initializers``/``partitioners``/``regularizers``.
      TypeError: ``hidden_size`` is not an int, or ``activation`` is not callable;
        an entry of the dicts is neither callable nor a dict of callables.
      ValueError: ``hidden_size`` is smaller than 1.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"input_": "float", "prev_state": "nest"}

    IN_TO_HIDDEN = "in_to_hidden"
    HIDDEN_TO_HIDDEN = "hidden_to_hidden"
    POSSIBLE_INITIALIZER_KEYS = {IN_TO_HIDDEN, HIDDEN_TO_HIDDEN}

    def __init__(
        self,
        hidden_size: int,
        activation: Callable[[tf.Tensor], tf.Tensor] = tf.tanh,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        name: str = "vanilla_rnn",
    ) -> None:
        super().__init__(name=name)
        hidden_size = _utils.check_positive_int(self, "hidden_size", hidden_size)
        if not callable(activation):
            raise TypeError(
                f"{self.scope_name}: activation must be callable; got "
                f"{type(activation).__name__}: {activation!r}."
            )
        keys = self.POSSIBLE_INITIALIZER_KEYS
        where = {"module_name": self.scope_name}
        inits = snt.check_initializers(initializers, keys, **where)
        parts = snt.check_partitioners(partitioners, keys, **where)
        regs = snt.check_regularizers(regularizers, keys, **where)
        # Sonnet 1 built the Linears when connected, so a Linear's dict given as a
        # bare callable ({"hidden_to_hidden": initializer}) only failed then: keep that
        # order (the error is raised on the first connection).
        not_dicts = [
            f"{what}[{key!r}] is {type(table[key]).__name__}"
            for what, table in (
                ("initializers", inits),
                ("partitioners", parts),
                ("regularizers", regs),
            )
            for key in sorted(table)
            if not isinstance(table[key], Mapping)
        ]
        inits, parts, regs = (
            {k: v for k, v in table.items() if isinstance(v, Mapping)}
            for table in (inits, parts, regs)
        )
        _utils.set_untracked(
            self, _hidden_size=hidden_size, _activation=activation, _not_dicts=not_dicts
        )
        with self._enter_variable_scope():
            self._in_to_hidden_linear = snt.Linear(
                hidden_size,
                initializers=inits.get(self.IN_TO_HIDDEN),
                partitioners=parts.get(self.IN_TO_HIDDEN),
                regularizers=regs.get(self.IN_TO_HIDDEN),
                name=self.IN_TO_HIDDEN,
            )
            self._hidden_to_hidden_linear = snt.Linear(
                hidden_size,
                initializers=inits.get(self.HIDDEN_TO_HIDDEN),
                partitioners=parts.get(self.HIDDEN_TO_HIDDEN),
                regularizers=regs.get(self.HIDDEN_TO_HIDDEN),
                name=self.HIDDEN_TO_HIDDEN,
            )

    def _build(self, input_: tf.Tensor, prev_state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """One step: returns ``(output, next_state)``, the same tensor twice.

        ``prev_state`` is ``[batch_size, hidden_size]``; as in Sonnet 1 its width
        is not checked against ``hidden_size`` (``hidden_to_hidden`` is a Linear
        that takes the width of its first connection and keeps it).

        Raises:
          IncompatibleShapeError: inputs are not rank 2, or their size changed;
            ``prev_state`` is not ``[batch_size, width]``, or its width changed.
          ValueError: ``prev_state`` is not a single tensor.
          TypeError: an entry of ``initializers``/``partitioners``/
            ``regularizers`` is a callable where a Linear's dict was expected
            (``{"hidden_to_hidden": {"w": init}}``); raised here, on the first
            connection, as in Sonnet 1.
        """
        if self._not_dicts:
            raise TypeError(
                f"{self.scope_name}: Expected a dict of initializers/partitioners/regularizers "
                f"for each Linear ('in_to_hidden', 'hidden_to_hidden'), mapping 'w' and 'b' "
                f"to callables: {'; '.join(self._not_dicts)}."
            )
        _utils.check_input_size(self, input_)
        _utils.check_state_shapes(self, prev_state, _ANY_WIDTH, input_.shape[0])
        pre = self._in_to_hidden_linear(input_) + self._hidden_to_hidden_linear(prev_state)
        output = self._activation(pre)
        return output, output

    @property
    def in_to_hidden_linear(self) -> snt.AbstractModule:
        """The input-to-hidden ``snt.Linear``."""
        return self._in_to_hidden_linear

    @property
    def hidden_to_hidden_linear(self) -> snt.AbstractModule:
        """The hidden-to-hidden ``snt.Linear``."""
        return self._hidden_to_hidden_linear

    @property
    def in_to_hidden_variables(self) -> tuple[tf.Variable, ...]:
        """``(w, b)`` of the input-to-hidden Linear (connect the core first)."""
        _utils.ensure_connected(self)
        return (self._in_to_hidden_linear.w, self._in_to_hidden_linear.b)

    @property
    def hidden_to_hidden_variables(self) -> tuple[tf.Variable, ...]:
        """``(w, b)`` of the hidden-to-hidden Linear (connect the core first)."""
        _utils.ensure_connected(self)
        return (self._hidden_to_hidden_linear.w, self._hidden_to_hidden_linear.b)

    @property
    def state_size(self) -> tf.TensorShape:
        """``TensorShape([hidden_size])``."""
        return tf.TensorShape([self._hidden_size])

    @property
    def output_size(self) -> tf.TensorShape:
        """``TensorShape([hidden_size])``."""
        return tf.TensorShape([self._hidden_size])
