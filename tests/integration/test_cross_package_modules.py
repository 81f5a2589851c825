"""Modules whose behaviour spans packages: a plugin's module that needs another plugin.

Each package's own session installs only snt-core and that package, so these
cases (a convolution transposed through snt-transpose, snt-nets' transformer file
naming snt-rnn's cores, the "ae" compression loss) are tested here, with all four
first-party packages installed.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from sonnet.mode_testing import MODES, run_in_mode

RNG = np.random.RandomState(7)


@pytest.fixture(params=MODES)
def mode(request):
    with run_in_mode(request.param) as runner:
        yield runner


def np_conv(x: np.ndarray, w: np.ndarray, stride: int) -> np.ndarray:
    """VALID 1-D convolution (batch, time, channels) with a (k, in, out) kernel."""
    k = w.shape[0]
    starts = range(0, x.shape[1] - k + 1, stride)
    return np.stack([np.einsum("btc,tcd->bd", x[:, s : s + k], w) for s in starts], axis=1)


def test_valid_padding_ignores_padding_value_when_transposed(mode):
    conv = snt.Conv2D(2, 3, padding="VALID", padding_value="REFLECT")
    transposed = conv.transpose()
    assert isinstance(transposed, snt.Conv2DTranspose)
    assert transposed.padding == "VALID"
    x = tf.constant(RNG.randn(1, 5, 5, 1).astype(np.float32))
    assert transposed(conv(x)).shape.as_list() == [1, 5, 5, 1]


def test_transformer_file_names_the_rnn_cores():
    transformer = snt.nets.transformer
    assert transformer.TransformerXL is snt.nets.TransformerXL
    assert transformer.CompressiveTransformer is snt.nets.CompressiveTransformer
    assert issubclass(snt.nets.TransformerXL, snt.RNNCore)


def test_conv_compressor_ae_loss_stops_gradients_to_the_memory(mode):
    memory_np = RNG.randn(2, 6, 4).astype(np.float32)
    memory = tf.constant(memory_np)
    compress = snt.nets.transformer.ConvCompressor(2, 3, 4, loss="ae", dilation_rates=None)
    compressed, loss = compress(memory)
    assert compressed.shape.as_list() == [2, 3, 4]
    if mode.eager:
        with tf.GradientTape() as tape:
            tape.watch(memory)
            loss = compress(memory)[1]
        assert tape.gradient(loss, memory) is None
    else:
        assert tf.gradients(loss, memory) == [None]
        assert all(g is not None for g in tf.gradients(loss, compress.get_all_variables()))
    names = sorted(v.name for v in compress.get_all_variables())
    assert names == ["conv_compressor/conv_1d/w:0", "conv_compressor/conv_1d_transpose/w:0"]
    got_compressed, got_loss, w = mode.evaluate([compressed, loss, compress.get_all_variables()[0]])
    np.testing.assert_allclose(got_compressed, np_conv(memory_np, w, 2), rtol=1e-4, atol=1e-5)
    assert got_loss > 0


def test_compressive_transformer_with_the_ae_loss(mode):
    b, n, em, cm, width = 2, 4, 4, 2, 4
    config = {"value_size": 2, "num_heads": 2, "num_layers": 2, "mlp_hidden_sizes": [8]}
    core = snt.nets.CompressiveTransformer(config, n, em, cm, compression_config={"loss": "ae"})
    state_type = snt.nets.transformer.CompressedMemoryState
    prev = tuple(
        state_type(
            episodic_memory=tf.constant(RNG.randn(b, em, width).astype(np.float32)),
            compressed_memory=tf.constant(RNG.randn(b, cm, width).astype(np.float32)),
            index=tf.zeros([b, 1]),
        )
        for _ in range(2)
    )
    x = tf.constant(RNG.randn(b, n, 5).astype(np.float32))
    output, state = core(x, prev, is_training=False)
    assert output.shape.as_list() == [b, n, width]
    names = sorted(v.name for v in core.get_variables() if "compressor" in v.name)
    assert names == [
        "compressive_transformer/conv_compressor/conv_1d/w:0",
        "compressive_transformer/conv_compressor/conv_1d_transpose/w:0",
        "compressive_transformer/conv_compressor_1/conv_1d/w:0",
        "compressive_transformer/conv_compressor_1/conv_1d_transpose/w:0",
    ]
    conv_w = [v for v in core.get_variables() if v.name.endswith("conv_1d/w:0")]
    got_prev, got, ws = mode.evaluate([prev, state, conv_w])
    for layer in range(2):
        new = got[layer].episodic_memory[:, em - n :]
        joined = np.concatenate([got_prev[layer].episodic_memory, new], axis=1)
        want = np_conv(joined[:, :4], ws[layer], 2)
        compressed = np.concatenate([got_prev[layer].compressed_memory, want], axis=1)[:, -cm:]
        np.testing.assert_allclose(got[layer].compressed_memory, compressed, rtol=1e-4, atol=1e-5)
