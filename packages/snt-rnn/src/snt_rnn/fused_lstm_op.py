"""One LSTM step on TensorFlow's fused ``LSTMBlockCell`` kernel, with its gradient.

TensorFlow still ships the fused forward kernel (``tf.raw_ops.LSTMBlockCell``)
and its backward kernel (``tf.raw_ops.LSTMBlockCellGrad``), but since
``tf.contrib`` went away no Python gradient is registered for the forward op.
:func:`lstm_block_step` connects the two with ``tf.custom_gradient`` (nothing is
registered globally, so it cannot clash with another library that registers
one), in graph mode, eagerly and inside ``tf.function``.

The kernel's gate layout is ``[i, ci, f, o]`` along the last axis of ``w`` and
``b`` (input gate, cell input, forget gate, output gate)::

  [i, ci, f, o] = [x, h_prev] @ w + b
  i  = sigmoid(i + wci * cs_prev)
  f  = sigmoid(f + forget_bias + wcf * cs_prev)
  cs = clip(sigmoid(i) * tanh(ci) + f * cs_prev, cell_clip)
  o  = sigmoid(o + wco * cs)
  h  = tanh(cs) * o

(the peephole terms only with ``use_peephole``). The backward kernel treats the
cell clip as the identity; :func:`lstm_block_step` corrects that, so the
gradient is zero through clipped cell units, as for ``tf.clip_by_value``.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf

FUSED_DTYPES = (tf.float16, tf.float32)  # the kernels' registered types


def _cell_grad_through_h(
    h_grad: tf.Tensor, o: tf.Tensor, co: tf.Tensor, wco: tf.Tensor, use_peephole: bool
) -> tf.Tensor:
    """The part of the gradient at the (clipped) cell state that comes through ``h``."""
    one = tf.ones([], dtype=o.dtype)
    grad = h_grad * o * (one - co * co)
    if use_peephole:
        grad += h_grad * co * o * (one - o) * wco  # h <- o <- wco * cs
    return grad


def lstm_block_step(
    x: tf.Tensor,
    cs_prev: tf.Tensor,
    h_prev: tf.Tensor,
    w: tf.Tensor,
    b: tf.Tensor,
    wci: tf.Tensor,
    wcf: tf.Tensor,
    wco: tf.Tensor,
    forget_bias: float = 1.0,
    cell_clip: float | None = None,
    use_peephole: bool = False,
) -> tuple[tf.Tensor, tf.Tensor]:
    """One fused LSTM step; returns ``(cs, h)``, differentiable w.r.t. every tensor input.

    Args:
      x: ``[batch, input_size]`` inputs (input_size statically known).
      cs_prev: ``[batch, units]`` previous cell state.
      h_prev: ``[batch, units]`` previous hidden state.
      w: ``[input_size + units, 4 * units]`` weights, gate layout ``[i, ci, f, o]``.
      b: ``[4 * units]`` bias.
      wci, wcf, wco: ``[units]`` peephole weights (ignored without ``use_peephole``).
      forget_bias: added to the forget gate pre-activation.
      cell_clip: clip the new cell state to ``[-cell_clip, cell_clip]``; ``None``
        or a value <= 0 disables clipping (the kernel's convention).
      use_peephole: whether the peephole weights are used.

    Returns:
      ``(cs, h)``, the new cell and hidden states, ``[batch, units]``.
    """
    clip = float(cell_clip) if cell_clip is not None and cell_clip > 0 else -1.0
    forget_bias = float(forget_bias)
    use_peephole = bool(use_peephole)
    input_size = int(x.shape[-1])

    @tf.custom_gradient
    def step(x, cs_prev, h_prev, w, b, wci, wcf, wco):  # type: ignore[no-untyped-def]
        i, cs, f, o, ci, co, h = tf.raw_ops.LSTMBlockCell(
            x=x,
            cs_prev=cs_prev,
            h_prev=h_prev,
            w=w,
            wci=wci,
            wcf=wcf,
            wco=wco,
            b=b,
            forget_bias=forget_bias,
            cell_clip=clip,
            use_peephole=use_peephole,
        )

        def grad(cs_grad: Any, h_grad: Any) -> tuple[tf.Tensor, ...]:
            cs_grad = tf.zeros_like(cs) if cs_grad is None else cs_grad
            h_grad = tf.zeros_like(h) if h_grad is None else h_grad
            if clip > 0:
                # The kernel adds the gradient through h to cs_grad and passes the
                # sum on unchanged; where the clip was active the true gradient is
                # zero, so hand it a cs_grad that cancels the sum there.
                through_h = _cell_grad_through_h(h_grad, o, co, wco, use_peephole)
                inside = tf.cast(tf.abs(cs) < clip, cs.dtype)
                cs_grad = inside * cs_grad - (1 - inside) * through_h
            cs_prev_grad, gates_grad, wci_grad, wcf_grad, wco_grad = tf.raw_ops.LSTMBlockCellGrad(
                x=x,
                cs_prev=cs_prev,
                h_prev=h_prev,
                w=w,
                wci=wci,
                wcf=wcf,
                wco=wco,
                b=b,
                i=i,
                cs=cs,
                f=f,
                o=o,
                ci=ci,
                co=co,
                cs_grad=cs_grad,
                h_grad=h_grad,
                use_peephole=use_peephole,
            )
            xh_grad = tf.matmul(gates_grad, w, transpose_b=True)
            x_grad, h_prev_grad = tf.split(xh_grad, [input_size, -1], axis=1)
            w_grad = tf.matmul(tf.concat([x, h_prev], axis=1), gates_grad, transpose_a=True)
            b_grad = tf.reduce_sum(gates_grad, axis=0)
            return x_grad, cs_prev_grad, h_prev_grad, w_grad, b_grad, wci_grad, wcf_grad, wco_grad

        return (cs, h), grad

    return step(x, cs_prev, h_prev, w, b, wci, wcf, wco)
