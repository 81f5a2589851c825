"""ACTCore: adaptive computation time (Graves, 2016) around any recurrent core."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_rnn import _utils
from snt_rnn.rnn_core import RNNCore


def _nested_add(nested_a: Any, nested_b: Any) -> Any:
    """Adds two nested structures of tensors leaf by leaf."""
    return tf.nest.map_structure(lambda a, b: a + b, nested_a, nested_b)


def _nested_unary_mul(nested_a: Any, p: Any) -> Any:
    """Multiplies every tensor of ``nested_a`` by ``p``, a ``[batch, 1]`` (or scalar) weight.

    ``p`` is reshaped to ``[batch, 1, ..., 1]`` to match each tensor's rank, so
    each batch entry of each tensor is scaled by its own weight.
    """
    p = tf.convert_to_tensor(p)

    def scale(tensor: Any) -> Any:
        rank = tensor.shape.rank
        if p.shape.rank == 0 or rank is None or rank == 0:
            return p * tensor
        return tf.reshape(p, [-1] + [1] * (rank - 1)) * tensor

    return tf.nest.map_structure(scale, nested_a)


def _nested_zeros_like(nested_a: Any) -> Any:
    """Zeros with the structure, shapes and dtypes of ``nested_a``."""
    return tf.nest.map_structure(tf.zeros_like, nested_a)


def _core_output_shape(where: str, core: Any) -> tf.TensorShape:
    size = getattr(core, "output_size", None)
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        size = tf.TensorShape([int(size)])
    if not isinstance(size, tf.TensorShape):
        raise ValueError(
            f"{where}: Output of core should be single Tensor.; the core's output_size is {size!r}."
        )
    if size.rank != 1:
        raise ValueError(
            f"{where}: Output of core should be 1D.; the core's output_size is {size}."
        )
    return size


class ACTCore(RNNCore):
    """Adaptive computation time: ponders ``core`` a variable number of steps per input.

    The ACT model of "Adaptive Computation Time for Recurrent Neural Networks"
    (Graves, 2016, https://arxiv.org/abs/1603.08983), as Sonnet 1 built it. For
    one input ``x`` the wrapped core runs repeatedly, the first time on
    ``[x, 0]`` and then on ``[x, 1]``, each time from its own previous state.
    After step ``n`` a halting probability
    ``h_n = sigmoid(halting_linear(get_state_for_halting(state_n)))`` is added
    to a running sum; a batch entry halts at the first step where the sum
    exceeds ``threshold`` (or, if ``max_steps > 0``, when it has taken
    ``max_steps`` steps). Step ``n`` of an entry gets the weight ``p_n = h_n``
    while it runs and the rest, ``1 - sum(h_1..h_{n-1})``, on its halting step.
    The core keeps running until every entry has halted; entries that halted
    get weight 0. Then:

    - ``output = act_output_linear(sum_n p_n * core_output_n)``, ``[batch, output_size]``;
    - ``iteration``, ``[batch, 1]``: the steps the entry took (a float count);
    - ``remainder``, ``[batch, 1]``: ``1 - sum(h_1..h_{N-1})`` for an entry that
      halted at step ``N > 1``, and 0 for one that halted at the first step (the
      ponder cost of the paper is ``iteration + remainder``);
    - ``next_state = sum_n p_n * state_n`` (each tensor of the core's state).

    The module returns ``((output, (iteration, remainder)), next_state)``.
    Variables: ``<name>/halting_linear/w`` ``[halting input size, 1]`` and
    ``b``, ``<name>/act_output_linear/w`` ``[core output size, output_size]``
    and ``b``; the core keeps its own. The first pondering step is connected
    before the ``tf.while_loop`` of the others, so the variables are created
    outside the loop, also on a first ``tf.function`` trace.

    Example:
      >>> lstm = snt.LSTM(8)
      >>> act = snt.ACTCore(lstm, output_size=4, threshold=0.9,
      ...                   get_state_for_halting=lambda state: state.hidden)
      >>> (output, (iteration, remainder)), state = act(tf.ones([2, 3]),
      ...                                               act.initial_state(2))

    Args:
      core: an RNN core whose output is a single 1-D tensor (``output_size`` an
        int or a rank-1 ``tf.TensorShape``); it is called on inputs one wider
        than the ACT core's.
      output_size: the size of the output.
      threshold: the halting threshold, between 0 and 1.
      get_state_for_halting: maps the core's state to the ``[batch, n]`` tensor
        the halting unit reads.
      max_steps: if > 0, no entry ponders more than this many steps.
      name: module name.

    Raises:
      ValueError: the core's output is nested or not 1-D; ``threshold`` is not
        between 0 and 1; ``output_size`` < 1 or ``max_steps`` < 0.
      TypeError: ``get_state_for_halting`` is not callable; ``output_size``,
        ``max_steps`` or ``threshold`` has the wrong type.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"x": "float"}

    def __init__(
        self,
        core: Any,
        output_size: int,
        threshold: float,
        get_state_for_halting: Callable[[Any], tf.Tensor],
        max_steps: int = 0,
        name: str = "act_core",
    ) -> None:
        super().__init__(name=name)
        where = self.scope_name
        core_output = _core_output_shape(where, core)
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
            raise TypeError(
                f"{where}: threshold must be a number between 0 and 1; got "
                f"{type(threshold).__name__}: {threshold!r}."
            )
        if not 0 <= threshold <= 1:
            raise ValueError(f"{where}: Threshold should be between 0 and 1, but found {threshold}")
        if not callable(get_state_for_halting):
            raise TypeError(
                f"{where}: get_state_for_halting must be callable; got "
                f"{type(get_state_for_halting).__name__}: {get_state_for_halting!r}."
            )
        if isinstance(max_steps, bool) or not isinstance(max_steps, numbers.Integral):
            raise TypeError(
                f"{where}: max_steps must be an int >= 0; got "
                f"{type(max_steps).__name__}: {max_steps!r}."
            )
        if max_steps < 0:
            raise ValueError(f"{where}: max_steps must be >= 0 (0: no limit); got {max_steps}.")
        output_size = _utils.check_positive_int(self, "output_size", output_size)
        self._core: Any = core
        _utils.set_untracked(
            self,
            _output_size=output_size,
            _core_output=core_output,
            _threshold=float(threshold),
            _get_state_for_halting=get_state_for_halting,
            _max_steps=int(max_steps),
            _batch_size=None,
            _dtype=None,
        )
        with self._enter_variable_scope():
            self._halting_linear: Any = snt.Linear(1, name="halting_linear")
            self._act_output_linear: Any = snt.Linear(output_size, name="act_output_linear")

    def initial_state(self, *args: Any, **kwargs: Any) -> Any:
        """The core's initial state (same arguments as ``core.initial_state``)."""
        return self._core.initial_state(*args, **kwargs)

    @property
    def output_size(self) -> tuple[tf.TensorShape, tuple[tf.TensorShape, tf.TensorShape]]:
        """``(TensorShape([output_size]), (TensorShape([1]), TensorShape([1])))``."""
        return tf.TensorShape([self._output_size]), (tf.TensorShape([1]), tf.TensorShape([1]))

    @property
    def state_size(self) -> Any:
        """The core's ``state_size``."""
        return self._core.state_size

    @property
    def batch_size(self) -> int | None:
        """The static batch size of the last connection (None if unknown)."""
        _utils.ensure_connected(self)
        return self._batch_size

    @property
    def dtype(self) -> tf.DType:
        """The inputs' dtype at the last connection."""
        _utils.ensure_connected(self)
        return self._dtype

    def _ponder_step(
        self, inputs: tf.Tensor, state: Any, cumul: tuple[Any, ...] | None
    ) -> tuple[Any, ...]:
        """One pondering step; ``cumul`` is None on the first (all sums start at zero)."""
        out, next_state = self._core(inputs, state)
        halting = tf.sigmoid(self._halting_linear(self._get_state_for_halting(next_state)))
        if cumul is None:
            zeros = tf.zeros_like(halting)
            cumul_out, cumul_state = None, None
            cumul_halting, iteration, remainder = zeros, zeros, zeros
        else:
            cumul_out, cumul_state, cumul_halting, iteration, remainder = cumul
        ones = tf.ones_like(halting)
        next_iteration = tf.where(tf.equal(cumul_halting, ones), iteration, iteration + 1)
        raw = cumul_halting + halting
        halts = raw > self._threshold
        if self._max_steps > 0:
            halts = tf.logical_or(halts, next_iteration >= self._max_steps)
        next_halting = tf.where(halts, ones, raw)
        next_remainder = tf.where(halts, remainder, 1 - raw)
        p = next_halting - cumul_halting
        weighted_state = _nested_unary_mul(next_state, p)
        if cumul is None:
            next_cumul_out, next_cumul_state = p * out, weighted_state
        else:
            next_cumul_out = cumul_out + p * out
            next_cumul_state = _nested_add(cumul_state, weighted_state)
        return (
            next_state,
            next_cumul_out,
            next_cumul_state,
            next_halting,
            next_iteration,
            next_remainder,
        )

    def _build(self, x: tf.Tensor, prev_state: Any) -> tuple[Any, Any]:
        """Ponders on ``x`` until every batch entry halts.

        Args:
          x: ``[batch_size, input_size]``.
          prev_state: the core's state.

        Returns:
          ``((output, (iteration, remainder)), next_state)``: see the class docs.

        Raises:
          ValueError: ``x`` does not have rank 2.
          UnderspecifiedError: the input size is unknown.
        """
        x = tf.convert_to_tensor(x)
        if x.shape.rank != 2:
            raise ValueError(
                f"{self.scope_name}: ACTCore inputs must have rank 2 [batch_size, input_size]; "
                f"got shape {x.shape}."
            )
        if x.shape[-1] is None:
            raise snt.UnderspecifiedError(
                f"{self.scope_name}: the input size (last dimension) must be known; got "
                f"shape {x.shape}."
            )
        _utils.set_untracked(self, _batch_size=x.shape[0], _dtype=x.dtype)
        flag = tf.ones_like(x[:, :1])
        x_ones = tf.concat([x, flag], axis=1)
        # The first step runs outside the loop (on [x, 0]): the loop condition
        # holds before it anyway, and the variables are then created out of it.
        state, *cumul = self._ponder_step(
            tf.concat([x, tf.zeros_like(flag)], axis=1), prev_state, None
        )

        def keep_going(state: Any, *cumul: Any) -> tf.Tensor:
            del state
            return tf.reduce_any(cumul[2] < 1)  # cumulated halting

        def body(state: Any, *cumul: Any) -> tuple[Any, ...]:
            return self._ponder_step(x_ones, state, tuple(cumul))

        _, final_out, final_state, _, iteration, remainder = tf.while_loop(
            keep_going, body, (state, *cumul)
        )
        output = self._act_output_linear(final_out)
        return (output, (iteration, remainder)), final_state
