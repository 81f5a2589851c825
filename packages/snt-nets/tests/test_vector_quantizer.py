"""VectorQuantizer and VectorQuantizerEMA against NumPy: codes, losses, EMA updates."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.nets.vector_quantizer import VectorQuantizer
from snt_nets.nets.vector_quantizer_ema import VectorQuantizerEMA

RNG = np.random.RandomState(17)
D, K = 3, 5
X = RNG.randn(2, 4, D).astype(np.float32)
KEYS = ("quantize", "loss", "perplexity", "encodings", "encoding_indices")


def np_codes(x, w):
    """Nearest columns of ``w`` by squared distance (ties to the lowest index)."""
    flat = x.reshape(-1, w.shape[0]).astype(np.float64)
    distances = ((flat[:, :, None] - w[None].astype(np.float64)) ** 2).sum(axis=1)
    indices = distances.argmin(axis=1)
    return flat, indices, np.eye(w.shape[1])[indices]


def np_perplexity(encodings):
    p = encodings.mean(axis=0)
    return np.exp(-(p * np.log(p + 1e-10)).sum())


def np_ema(w, batches, decay, eps):
    """Zero-debiased moving averages of the counts and sums, then Laplace-smoothed codes."""
    biased_counts, biased_sums = 0.0, 0.0
    for step, x in enumerate(batches, start=1):
        flat, _, encodings = np_codes(x, w)
        biased_counts = biased_counts - (biased_counts - encodings.sum(axis=0)) * (1 - decay)
        biased_sums = biased_sums - (biased_sums - flat.T @ encodings) * (1 - decay)
        counts = biased_counts / (1 - decay**step)
        sums = biased_sums / (1 - decay**step)
        n = counts.sum()
        w = sums / ((counts + eps) / (n + len(counts) * eps) * n)
    return w, counts, sums


def test_quantizer_matches_numpy(mode):
    vq = VectorQuantizer(embedding_dim=D, num_embeddings=K, commitment_cost=0.25)
    assert [(v.name, v.shape.as_list()) for v in vq.variables] == [("vq_layer/embedding:0", [D, K])]
    out = vq(tf.constant(X), is_training=True)
    assert set(out) == set(KEYS)
    assert out["encoding_indices"].shape.as_list() == [2, 4]
    assert out["encodings"].shape.as_list() == [8, K]
    got, w = mode.evaluate([out, vq.embeddings])
    assert np.abs(w).max() <= np.sqrt(3.0 / D)  # uniform unit scaling
    flat, indices, encodings = np_codes(X, w)
    quantized = w.T[indices].reshape(X.shape)
    np.testing.assert_array_equal(got["encoding_indices"], indices.reshape(2, 4))
    np.testing.assert_array_equal(got["encodings"], encodings)
    np.testing.assert_allclose(got["quantize"], quantized, rtol=1e-6, atol=1e-6)
    mse = np.mean((quantized - X) ** 2)
    np.testing.assert_allclose(got["loss"], mse * 1.25, rtol=1e-5)
    np.testing.assert_allclose(got["perplexity"], np_perplexity(encodings), rtol=1e-5)
    np.testing.assert_allclose(
        mode.evaluate(vq.quantize(tf.constant([[4, 0]]))), [[w[:, 4], w[:, 0]]], rtol=1e-6
    )


def test_quantizer_gradients(mode):
    vq = VectorQuantizer(embedding_dim=D, num_embeddings=K, commitment_cost=0.5)
    x = tf.constant(X)
    if mode.eager:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            out = vq(x, is_training=True)
            pulled = tf.reduce_sum(out["quantize"] * 3.0)
        g_x, g_w = tape.gradient(pulled, x), tape.gradient(out["loss"], vq.embeddings)
    else:
        out = vq(x, is_training=True)
        g_x = tf.gradients(tf.reduce_sum(out["quantize"] * 3.0), x)[0]
        g_w = tf.gradients(out["loss"], vq.embeddings)[0]
    g_x, g_w, w, indices = mode.evaluate([g_x, g_w, vq.embeddings, out["encoding_indices"]])
    np.testing.assert_allclose(g_x, np.full(X.shape, 3.0))  # straight through
    flat = X.reshape(-1, D)
    want = np.zeros([D, K])
    for row, k in zip(flat, indices.reshape(-1), strict=True):  # d/dw mean((w_k - x)^2)
        want[:, k] += 2 * (w[:, k] - row) / X.size
    np.testing.assert_allclose(g_w, want, rtol=1e-4, atol=1e-6)


def test_ema_creates_sonnet_1s_variables_with_the_module(mode):
    vq = VectorQuantizerEMA(embedding_dim=D, num_embeddings=K, commitment_cost=0.5, decay=0.9)
    names = [(v.name, v.shape.as_list(), v.trainable) for v in vq.variables]
    scope = "VectorQuantizerEMA/VectorQuantizerEMA"
    assert names == [
        (f"{scope}/ema_cluster_size/biased:0", [K], False),
        (f"{scope}/ema_cluster_size/local_step:0", [], False),
        (f"{scope}/ema_dw/biased:0", [D, K], False),
        (f"{scope}/ema_dw/local_step:0", [], False),
        ("VectorQuantizerEMA/ema_cluster_size:0", [K], True),
        ("VectorQuantizerEMA/ema_dw:0", [D, K], True),
        ("VectorQuantizerEMA/embedding:0", [D, K], True),
    ]
    w, dw, size = mode.evaluate([vq.embeddings, vq.variables[5], vq.variables[4]])  # initial values
    np.testing.assert_array_equal(dw, w)  # ema_dw starts as the codes
    np.testing.assert_array_equal(size, np.zeros(K))


def test_ema_updates_match_numpy(mode):
    decay, eps = 0.8, 1e-5
    vq = VectorQuantizerEMA(D, K, commitment_cost=0.5, decay=decay, epsilon=eps)
    batches = [RNG.randn(6, D).astype(np.float32) for _ in range(3)]
    w0 = mode.evaluate(vq.embeddings)
    if mode.eager:
        outs = [vq(tf.constant(b), is_training=True) for b in batches]
        losses = [float(o["loss"]) for o in outs]
    else:
        x = tf.compat.v1.placeholder(tf.float32, [None, D])
        out = vq(x, is_training=True)
        losses = [mode.evaluate(out, feed_dict={x: b})["loss"] for b in batches]
    w, size, dw = mode.evaluate([vq.embeddings, vq.variables[4], vq.variables[5]])
    want_w, want_size, want_dw = np_ema(w0, batches, decay, eps)
    np.testing.assert_allclose(size, want_size, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dw, want_dw, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(w, want_w, rtol=1e-4, atol=1e-5)
    steps = mode.evaluate([vq.variables[1], vq.variables[3]])
    np.testing.assert_array_equal(steps, [3.0, 3.0])
    # The loss of a step is the commitment loss with the codes before the step.
    w_before = np_ema(w0, batches[:2], decay, eps)[0]
    _, indices, _ = np_codes(batches[2], w_before)
    want_loss = 0.5 * np.mean((w_before.T[indices] - batches[2]) ** 2)
    np.testing.assert_allclose(losses[2], want_loss, rtol=1e-4)


def test_ema_graph_mode_updates_run_with_the_loss(graph):
    vq = VectorQuantizerEMA(D, K, commitment_cost=0.5, decay=0.5)
    out = vq(tf.constant(X), is_training=True)
    w0 = graph.evaluate(vq.embeddings)
    graph.evaluate(out["quantize"])  # the quantized output alone does not update
    np.testing.assert_array_equal(graph.evaluate(vq.embeddings), w0)
    graph.evaluate(out["loss"])
    assert not np.allclose(graph.evaluate(vq.embeddings), w0)


def test_ema_evaluation_and_tf_function(eager):
    vq = VectorQuantizerEMA(D, K, commitment_cost=0.5, decay=0.5)
    w0 = vq.embeddings.numpy()
    out = vq(tf.constant(X), is_training=False)
    np.testing.assert_array_equal(vq.embeddings.numpy(), w0)
    np.testing.assert_array_equal(out["encoding_indices"].numpy().reshape(-1), np_codes(X, w0)[1])
    step = tf.function(lambda x: vq(x, is_training=True)["loss"])
    step(tf.constant(X))
    w1 = vq.embeddings.numpy()
    np.testing.assert_allclose(w1, np_ema(w0, [X], 0.5, 1e-5)[0], rtol=1e-4, atol=1e-5)
    step(tf.constant(X))
    np.testing.assert_allclose(
        vq.embeddings.numpy(), np_ema(w0, [X, X], 0.5, 1e-5)[0], rtol=1e-4, atol=1e-5
    )
    assert len(vq.variables) == 7


@pytest.mark.parametrize("cls", [VectorQuantizer, VectorQuantizerEMA])
def test_errors(graph, cls):
    extra = {"decay": 0.5} if cls is VectorQuantizerEMA else {}
    vq = cls(embedding_dim=4, num_embeddings=8, commitment_cost=0.25, name="vq", **extra)
    with pytest.raises(ValueError, match=r"vq: Cannot reshape a tensor of shape \[100, 8\]"):
        vq(tf.ones([100, 8]), is_training=False)
    with pytest.raises(TypeError, match="vq2?: inputs must have the embeddings' dtype float32"):
        # A fresh module: the input policy keeps the dtype of a module's first call.
        cls(embedding_dim=4, num_embeddings=8, commitment_cost=0.25, name="vq2", **extra)(
            tf.ones([2, 4], tf.float64), is_training=False
        )
    with pytest.raises(ValueError, match="vq: inputs must have at least one dimension"):
        vq(tf.constant(1.0), is_training=False)
    # A batch of unknown size works (Sonnet 1's testNoneBatch).
    out = vq(tf.compat.v1.placeholder(tf.float32, [None, 5, 5, 4]), is_training=False)
    assert out["quantize"].shape.as_list() == [None, 5, 5, 4]
    with pytest.raises(ValueError, match="bad: num_embeddings must be >= 1"):
        cls(embedding_dim=4, num_embeddings=0, commitment_cost=0.25, name="bad", **extra)
    with pytest.raises(TypeError, match="bad_1: embedding_dim must be an int"):
        cls(embedding_dim=4.0, num_embeddings=2, commitment_cost=0.25, name="bad_1", **extra)


def test_ema_argument_errors(graph):
    with pytest.raises(ValueError, match=r"e: decay must be in \[0, 1\]"):
        VectorQuantizerEMA(4, 8, 0.25, decay=1.5, name="e")
    vq = VectorQuantizerEMA(4, 8, 0.25, decay=0.5, name="e2")
    training = tf.compat.v1.placeholder(tf.bool, [])
    with pytest.raises(TypeError, match="e2: is_training must be a Python bool"):
        vq(tf.ones([2, 4]), is_training=training)
    vq(tf.ones([2, 4]), is_training=tf.constant(True))  # a constant is fine


def test_vq_inside_a_parent_shares_its_codes(mode):
    class Bottleneck(snt.AbstractModule):
        def __init__(self, name="bottleneck"):
            super().__init__(name=name)
            with self._enter_variable_scope():
                self.vq = VectorQuantizerEMA(D, K, 0.25, decay=0.9)

        def _build(self, x):
            return self.vq(x, is_training=False)["quantize"]

    net = Bottleneck()
    first, second = net(tf.constant(X)), net(tf.constant(X * 2))
    assert [v.name for v in net.vq.variables][-1] == "bottleneck/VectorQuantizerEMA/embedding:0"
    assert "bottleneck/VectorQuantizerEMA/bottleneck/VectorQuantizerEMA/ema_dw/biased:0" in [
        v.name for v in net.vq.variables
    ]
    assert len(net.variables) == 7
    w = mode.evaluate(net.vq.embeddings)
    got = mode.evaluate(first)
    # quantize is x + (q - x) (straight-through): equal to q up to rounding.
    np.testing.assert_allclose(got.reshape(-1, D), w.T[np_codes(X, w)[1]], rtol=1e-5, atol=1e-6)
    assert mode.evaluate(second).shape == X.shape


_MIRRORED_SCRIPT = """
import tensorflow as tf
import sonnet as snt
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
with strategy.scope():
    vq = snt.nets.VectorQuantizerEMA(3, 4, 0.25, decay=0.5, name="vq")
assert type(vq.embeddings).__name__ == "MirroredVariable", type(vq.embeddings)
run = lambda training: tf.function(
    lambda x: strategy.run(lambda x: vq(x, is_training=training)["loss"], args=(x,)))
run(False)(tf.ones([4, 3]))
try:
    run(True)(tf.ones([4, 3]))
except snt.NotSupportedError as e:
    print("REFUSED", e)
"""


def test_ema_training_is_refused_across_replicas():
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="3",
        TF_NUM_INTEROP_THREADS="1",
        TF_NUM_INTRAOP_THREADS="1",
        OMP_NUM_THREADS="1",
        SNT_PLUGINS="nets",
    )
    out = subprocess.run(
        [sys.executable, "-c", _MIRRORED_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert (
        "REFUSED vq: is_training=True inside a tf.distribute replica context with 2" in out.stdout
    )
