"""snt.nets.transformer's masks, position encodings, blocks and compressors (NumPy references)."""

import nets_numpy_reference as ref
import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.nets import transformer as tr

RNG = np.random.RandomState(11)


def test_namespace_is_sonnet_1s_file():
    assert snt.nets.transformer is tr
    assert snt.nets.future_mask is tr.future_mask
    assert snt.nets.TransformerTower is tr.TransformerTower
    for name in (
        "MultiheadAttention",
        "AttentionState",
        "CompressedMemoryState",
        "rel_shift",
        "simple_attention",
        "ResidualDropoutWrapper",
        "create_mask",
        "default_mlp",
        "get_position_encodings",
        "PoolCompressor",
        "ConvCompressor",
    ):
        assert name in dir(tr) and getattr(tr, name) is not None
    # TransformerXL and CompressiveTransformer come from snt-rnn: tests/integration.
    with pytest.raises(AttributeError, match="no attribute 'Transformer'"):
        tr.Transformer  # noqa: B018


def test_future_mask_softmax(mode):
    mask = tr.future_mask(5, tf.float32)
    weights = mode.evaluate(tf.nn.softmax(tf.zeros([1, 1, 5, 5]) + mask))
    np.testing.assert_array_equal(mode.evaluate(mask), ref.future_mask(5))
    want = np.tril(np.ones([5, 5])) / np.arange(1, 6)[:, None]
    np.testing.assert_allclose(weights[0, 0], want, atol=1e-7)


def test_create_mask(mode):
    x = tf.zeros([2, 3, 4])
    states = [tf.zeros([2, 2, 4]), tf.zeros([2, 5, 4])]  # the largest memory decides
    got = mode.evaluate(tr.create_mask(x, states, equal_window=False))
    want = np.concatenate([np.zeros([1, 1, 3, 5]), ref.future_mask(3)], axis=3)
    np.testing.assert_array_equal(got, want)
    assert mode.evaluate(tr.create_mask(x, None, False)).shape == (1, 1, 3, 3)
    window = mode.evaluate(tr.create_mask(x, states, equal_window=True))
    visible = (window == 0).sum(axis=-1)[0, 0]
    np.testing.assert_array_equal(visible, [6, 6, 6])  # M + 1 slots for every position
    for i in range(3):
        assert np.all(window[0, 0, i, :i] == -1e6)  # the i oldest slots are hidden
    compressed = tr.CompressedMemoryState(tf.zeros([2, 2, 4]), tf.zeros([2, 3, 4]), None)
    assert mode.evaluate(tr.create_mask(x, [compressed], False)).shape == (1, 1, 3, 8)


@pytest.mark.parametrize("clamp", [0, 2])
def test_position_encodings(mode, clamp):
    got = mode.evaluate(tr.get_position_encodings(6, 8, clamp_value=clamp))
    np.testing.assert_allclose(got[0], ref.position_encodings(6, 8, clamp), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=r"position embedding dimension \(8\) does not match"):
        tr.get_position_encodings(6, 7, clamp_value=0)


def test_rel_shift(mode):
    x = RNG.randn(2, 3, 4, 6).astype(np.float32)  # N = 4 queries, T = 6 keys
    got = mode.evaluate(tr.rel_shift(tf.constant(x)))
    n, t = 4, 6
    for i in range(n):
        for j in range(t):
            source = j + n - 1 - i
            if source < t:  # row i moves right by n - 1 - i places
                np.testing.assert_array_equal(got[:, :, i, j], x[:, :, i, source])
    # The docstring's example: 5 rows of [5, 4, 3, 2, 1].
    row = np.array([5.0, 4, 3, 2, 1], np.float32)
    doc = mode.evaluate(tr.rel_shift(tf.constant(np.tile(row, [1, 1, 5, 1]))))[0, 0]
    np.testing.assert_array_equal(doc[:, 0], [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(np.diag(doc), np.ones(5))
    with pytest.raises(ValueError, match="rel_shift expects 4D"):
        tr.rel_shift(tf.zeros([2, 3, 4]))


def test_simple_attention(mode):
    q, k, v = RNG.randn(2, 3, 4), RNG.randn(2, 5, 4), RNG.randn(2, 5, 6)
    got = mode.evaluate(tr.simple_attention(tf.constant(q), tf.constant(k), tf.constant(v)))
    np.testing.assert_allclose(got, ref.softmax(q @ k.transpose(0, 2, 1)) @ v, rtol=1e-6)


@pytest.mark.parametrize("layer_norm", ["input", "output", "both", "none"])
def test_residual_dropout_wrapper(mode, layer_norm):
    x = RNG.randn(2, 3, 4).astype(np.float32)
    w = RNG.randn(4, 4).astype(np.float32)
    block = tr.ResidualDropoutWrapper(lambda h, **kw: h @ w, 0.5, layer_norm=layer_norm)
    out = block(tf.constant(x), is_training=False)
    inner = ref.layer_norm(x) if layer_norm in ("input", "both") else x
    want = x + inner @ w
    if layer_norm in ("output", "both"):
        want = ref.layer_norm(want)
    np.testing.assert_allclose(mode.evaluate(out), want, rtol=1e-4, atol=1e-5)
    norms = {"input": 1, "output": 1, "both": 2, "none": 0}[layer_norm]
    assert len(block.get_all_variables()) == 2 * norms  # gamma and beta per LayerNorm
    train = mode.evaluate(block(tf.constant(x), is_training=True))
    assert not np.allclose(train, mode.evaluate(out))


def test_residual_wrapper_passes_state_and_needs_is_training(mode):
    block = tr.ResidualDropoutWrapper(lambda h, **kw: (2 * h, "state"), 0.1, layer_norm=None)
    out, state = block(tf.ones([2, 3]), is_training=False)
    assert state == "state"
    np.testing.assert_allclose(mode.evaluate(out), 3 * np.ones([2, 3]))
    with pytest.raises(TypeError, match="residual_dropout_wrapper_1: call the wrapper with"):
        tr.ResidualDropoutWrapper(lambda h: h, 0.1)(tf.ones([2, 3]))
    with pytest.raises(ValueError, match="w: layer_norm must be one of"):
        tr.ResidualDropoutWrapper(lambda h: h, 0.1, layer_norm="inptu", name="w")
    with pytest.raises(TypeError, match="w_1: layer must be a module or callable"):
        tr.ResidualDropoutWrapper(None, 0.1, name="w_1")


def test_default_mlp(mode):
    mlp = tr.default_mlp([5, 3], init_std=2.0)
    x = RNG.randn(2, 4, 6).astype(np.float32)
    out = mlp(tf.constant(x), is_training=False)
    names = [(v.name, v.shape.as_list()) for v in mlp.get_all_variables()]
    assert names == [
        ("mlp/linear_0/b:0", [5]),
        ("mlp/linear_0/w:0", [6, 5]),
        ("mlp/linear_1/b:0", [3]),
        ("mlp/linear_1/w:0", [5, 3]),
    ]
    b0, w0, b1, w1 = mode.evaluate(mlp.get_all_variables())
    want = np.maximum(x @ w0 + b0, 0) @ w1 + b1
    np.testing.assert_allclose(mode.evaluate(out), want, rtol=1e-4, atol=1e-5)
    # Variance scaling (scale 2, fan in 6, truncated normal): |w| < 2 stddevs.
    assert np.abs(w0).max() <= 2 * np.sqrt(2.0 / 6) / 0.87962566 + 1e-6


def test_pool_compressor(mode):
    memory = RNG.randn(2, 6, 3).astype(np.float32)
    for pooling, reduce in (("AVG", np.mean), ("MAX", np.max)):
        pool = tr.PoolCompressor(compression_rate=2, kernel_size=1, pooling=pooling)
        compressed, loss = pool(tf.constant(memory))
        want = np.stack([reduce(memory[:, s : s + 3], axis=1) for s in (0, 2)], axis=1)
        np.testing.assert_allclose(mode.evaluate(compressed), want, rtol=1e-6)
        assert mode.evaluate(loss) == 0
    with pytest.raises(ValueError, match="p: pooling must be 'AVG' or 'MAX'"):
        tr.PoolCompressor(pooling="MIN", name="p")


def _np_strided_conv(x, w, stride):
    """VALID 1-D convolution without bias: ``x`` ``[B, T, C]``, ``w`` ``[k, C, C']``."""
    k = w.shape[0]
    steps = range(0, x.shape[1] - k + 1, stride)
    return np.stack([np.einsum("btc,tcd->bd", x[:, s : s + k], w) for s in steps], axis=1)


def test_conv_compressor_mha_loss(mode):
    memory = RNG.randn(2, 6, 4).astype(np.float32)
    x = RNG.randn(2, 5, 4).astype(np.float32)
    attend = tr.MultiheadAttention(value_size=2, key_size=2, num_heads=2)
    _, attention_state = attend(tf.constant(x))
    compress = tr.ConvCompressor(
        compression_rate=2, compressed_memory_size=3, episodic_memory_size=4
    )
    compressed, loss = compress(
        tf.constant(memory), attention_state=attention_state, attention_module=attend
    )
    assert [v.name for v in compress.get_variables()] == ["conv_compressor/conv_1d/w:0"]
    assert len(attend.variables) == 5  # the compressor reused the key/value projections
    w, wk, wv, queries = mode.evaluate(
        [
            compress.get_variables()[0],
            attend.variables[0],
            attend.variables[4],
            attention_state.queries,
        ]
    )
    got_compressed, got_loss = mode.evaluate([compressed, loss])
    want_compressed = _np_strided_conv(memory, w, 2)
    np.testing.assert_allclose(got_compressed, want_compressed, rtol=1e-4, atol=1e-5)

    def read(mem):
        keys, values = ref.project(mem, wk, 2), ref.project(mem, wv, 2)
        q = queries[:, :, 6 - 4 :]  # the queries after the last 4 (episodic) positions
        return ref.softmax(q @ keys.transpose(0, 1, 3, 2)) @ values

    want_loss = np.mean(np.square(read(memory) - read(want_compressed)))
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-4, atol=1e-7)


def test_conv_compressor_errors(graph):
    with pytest.raises(NotImplementedError, match="c: Unrecognised loss: 'l2'"):
        tr.ConvCompressor(2, 3, 4, loss="l2", name="c")
    compress = tr.ConvCompressor(2, 3, 4, name="d")
    with pytest.raises(ValueError, match="d: the 'mha' loss needs"):
        compress(tf.ones([2, 6, 4]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"d: memory must be \[batch, time"):
        compress(tf.ones([2, 6]))
