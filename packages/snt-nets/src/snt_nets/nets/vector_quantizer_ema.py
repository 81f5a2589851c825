"""VectorQuantizerEMA: the VQ-VAE bottleneck with codes moved by moving averages."""

from __future__ import annotations

from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils
from snt_nets.nets import vq_math
from snt_nets.nets.vector_quantizer import check_sizes

#: The two moving averages, each with its zero-debiasing pair of variables.
_AVERAGES = ("ema_cluster_size", "ema_dw")


def _check_single_replica(where: str) -> None:
    """Refuses training updates that several ``tf.distribute`` replicas would each make.

    Every replica would move its own copy of the codes by its own statistics,
    and the copies would silently drift apart; averaging the statistics needs a
    cross-replica step inside the connection, which snt-core does not support
    yet (it holds the module's connection lock while the replicas would wait
    for each other).

    Raises:
      NotSupportedError: inside a replica context with more than one replica.
    """
    if not tf.distribute.has_strategy() or tf.distribute.in_cross_replica_context():
        return
    replicas = tf.distribute.get_replica_context().num_replicas_in_sync
    if replicas > 1:
        raise snt.NotSupportedError(
            f"{where}: is_training=True inside a tf.distribute replica context with "
            f"{replicas} replicas is not supported: each replica would move its own copy of "
            "the codes. Connect with is_training=False there, or train on one replica."
        )


class VectorQuantizerEMA(snt.AbstractModule):
    """A vector quantizer whose codes follow exponential moving averages of their inputs.

    Quantizes like ``snt.nets.VectorQuantizer``, but instead of a codebook
    loss, each training connection (``is_training=True``) moves the codes: with
    ``counts_k`` the number of inputs assigned to code ``k`` and ``dw_k`` their
    sum,

    * ``ema_cluster_size`` and ``ema_dw`` become zero-debiased moving averages
      (decay ``decay``) of ``counts`` and ``dw``: a ``biased`` average and a
      ``local_step`` counter per average, as TensorFlow's
      ``assign_moving_average`` keeps them;
    * the cluster sizes are Laplace-smoothed,
      ``n_k = (ema_k + epsilon) / (sum(ema) + K * epsilon) * sum(ema)``;
    * ``embedding`` becomes ``ema_dw / n``.

    The loss is only the commitment term ``commitment_cost * mean((sg(q) -
    inputs)^2)``. In ``tf.compat.v1`` graph mode the updates run when the
    ``loss`` output is evaluated (it depends on them), as in Sonnet 1; eagerly
    and inside ``tf.function`` they run with the call.

    Variables (Sonnet 1's names, created with the module): ``embedding``
    (random normal), ``ema_cluster_size`` (zeros), ``ema_dw`` (``embedding``'s
    initial value) and, for the debiasing, ``<scope>/<scope>/ema_cluster_size/
    biased``, ``.../local_step`` and the same under ``ema_dw``.

    Example:
      >>> vq = snt.nets.VectorQuantizerEMA(embedding_dim=4, num_embeddings=16,
      ...                                  commitment_cost=0.25, decay=0.99)
      >>> out = vq(tf.random.normal([8, 4]), is_training=True)  # moves the codes
      >>> out["encodings"].shape
      TensorShape([8, 16])

    Args:
      embedding_dim: the size ``D`` of each vector (the inputs' last dimension).
      num_embeddings: the number ``K`` of codes.
      commitment_cost: the weight of the commitment loss.
      decay: the decay of the moving averages.
      epsilon: the Laplace smoothing constant.
      name: module name.

    Raises:
      TypeError: a size is not an int.
      ValueError: a size is not positive, or ``decay`` is outside ``[0, 1]``.
      TypeError: ``decay`` is neither a number nor a tensor.
    """

    #: Tensor arguments of a connection, checked by core's input policy.
    CONNECTION_INPUTS = {"inputs": "float"}

    def __init__(
        self,
        embedding_dim: int,
        num_embeddings: int,
        commitment_cost: float,
        decay: float,
        epsilon: float = 1e-5,
        name: str = "VectorQuantizerEMA",
    ) -> None:
        super().__init__(name=name)
        self._embedding_dim, self._num_embeddings = check_sizes(
            self.scope_name, embedding_dim, num_embeddings
        )
        _checks.check_rate(self.scope_name, "decay", decay)
        self._commitment_cost = commitment_cost
        self._decay = decay
        self._epsilon = epsilon
        _utils.set_untracked(self, _vars=self._create_variables())

    @snt.reuse_variables
    def _create_variables(self) -> dict[str, tf.Variable]:
        """Creates every variable with the module (Sonnet 1 made three of them here)."""
        shape = [self._embedding_dim, self._num_embeddings]
        initial = tf.compat.v1.random_normal_initializer()(shape)
        made = {
            "embedding": tf.compat.v1.get_variable(
                "embedding", initializer=initial, use_resource=True
            ),
            "ema_cluster_size": tf.compat.v1.get_variable(
                "ema_cluster_size",
                [self._num_embeddings],
                initializer=tf.compat.v1.zeros_initializer(),
                use_resource=True,
            ),
            # The codes' initial value, sampled once (Sonnet 1 read it through
            # Variable.initialized_value(), which TensorFlow 2 no longer has).
            "ema_dw": tf.compat.v1.get_variable("ema_dw", initializer=initial, use_resource=True),
        }
        for average in _AVERAGES:
            variable = made[average]
            # TensorFlow's debiasing variables live in a scope named after the
            # full name of the average, inside the module's scope.
            with tf.compat.v1.variable_scope(variable.name[: -len(":0")]):
                for suffix, var_shape in (("biased", variable.shape), ("local_step", [])):
                    made[f"{average}/{suffix}"] = tf.compat.v1.get_variable(
                        suffix,
                        var_shape,
                        dtype=variable.dtype.base_dtype,
                        initializer=tf.compat.v1.zeros_initializer(),
                        trainable=False,
                        use_resource=True,
                    )
        return made

    def _build(self, inputs: tf.Tensor, is_training: Any) -> dict[str, tf.Tensor]:
        """Quantizes ``inputs`` and, when training, moves the codes.

        Args:
          inputs: a float32 tensor ``[..., embedding_dim]``.
          is_training: a Python bool: update the moving averages and the codes.

        Returns:
          Sonnet 1's dict: ``quantize``, ``loss``, ``perplexity``,
          ``encodings`` and ``encoding_indices`` (see
          ``snt.nets.VectorQuantizer``). In graph mode, evaluating ``loss``
          runs the updates.

        Raises:
          ValueError: the inputs' last dimension is not ``embedding_dim``
            (the message contains "Cannot reshape a tensor").
          TypeError: the inputs are not float32, or ``is_training`` is a
            tensor without a constant value.
          NotSupportedError: ``is_training=True`` in a ``tf.distribute``
            replica context with several replicas.
        """
        where = self.scope_name
        training = vq_math.static_bool(where, is_training)
        if training:
            _check_single_replica(where)
        w_var = self._vars["embedding"]
        inputs = vq_math.prepare_inputs(where, inputs, self._embedding_dim, w_var.dtype)
        # Read the codes after the inputs exist: an RNN step's updates then
        # precede the next step's read.
        with tf.control_dependencies([inputs]):
            w = tf.identity(w_var.read_value())
        codes = vq_math.nearest_codes(where, inputs, w, self._embedding_dim)
        quantized = self.quantize(codes.indices)
        commitment_loss = tf.reduce_mean(tf.square(tf.stop_gradient(quantized) - inputs))
        if training:
            with tf.control_dependencies([commitment_loss]):
                update = self._update_codes(codes)
            with tf.control_dependencies([update]):
                loss = self._commitment_cost * commitment_loss
        else:
            loss = self._commitment_cost * commitment_loss
        return vq_math.outputs(inputs, quantized, loss, codes)

    def _update_codes(self, codes: vq_math.Codes) -> Any:
        """Moves both averages and writes ``embedding``; returns the assignment."""
        counts = tf.reduce_sum(codes.encodings, axis=0)
        sums = tf.matmul(codes.flat_inputs, codes.encodings, transpose_a=True)
        cluster_size = self._move_average("ema_cluster_size", counts)
        dw = self._move_average("ema_dw", sums)
        total = tf.reduce_sum(cluster_size)
        smoothed = (
            (cluster_size + self._epsilon) / (total + self._num_embeddings * self._epsilon) * total
        )
        return self._vars["embedding"].assign(dw / smoothed[tf.newaxis, :])

    def _move_average(self, name: str, value: tf.Tensor) -> tf.Tensor:
        """One zero-debiased moving-average step of ``name`` towards ``value``; its new value."""
        average = self._vars[name]
        biased, step = self._vars[f"{name}/biased"], self._vars[f"{name}/local_step"]
        rate = tf.cast(1.0 - self._decay, average.dtype)
        new_biased = tf.convert_to_tensor(biased.assign_sub((biased - value) * rate))
        new_step = tf.convert_to_tensor(step.assign_add(1.0))
        debiased = new_biased / (1.0 - tf.pow(1.0 - rate, new_step))
        return tf.convert_to_tensor(average.assign(debiased))

    @property
    def embeddings(self) -> tf.Variable:
        """The codebook ``[embedding_dim, num_embeddings]`` (one code per column)."""
        return self._vars["embedding"]

    def quantize(self, encoding_indices: tf.Tensor) -> tf.Tensor:
        """The current codes for ``encoding_indices``."""
        return vq_math.lookup(self._vars["embedding"], encoding_indices)
