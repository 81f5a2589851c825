import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def _reference(vector, block_shape, block_rows, has_entries):
    """NumPy: block (r, c) holds entries when has_entries(r, c); each block row's
    non-zero strip is filled row by row from the vector."""
    height, width = block_shape
    out = np.zeros((len(vector), height * block_rows, width * block_rows), vector.dtype)
    for n, row in enumerate(vector):
        entries = iter(row)
        for r in range(block_rows):
            cols = [c for c in range(block_rows) if has_entries(r, c)]
            for i in range(height):
                for c in cols:
                    for j in range(width):
                        out[n, r * height + i, c * width + j] = next(entries)
        assert next(entries, None) is None  # every entry used
    return out


CONFIGS = {
    "lower": ({}, lambda r, c: c <= r),
    "lower_no_diagonal": ({"include_diagonal": False}, lambda r, c: c < r),
    "upper": ({"upper": True}, lambda r, c: c >= r),
    "upper_no_diagonal": ({"upper": True, "include_diagonal": False}, lambda r, c: c > r),
    "diagonal_only": ({"include_off_diagonal": False}, lambda r, c: c == r),
}


@pytest.mark.parametrize("config", sorted(CONFIGS))
@pytest.mark.parametrize("block_shape", [(2, 3), (1, 1), (3, 2)])
def test_matches_numpy_reference(mode, config, block_shape):
    kwargs, has_entries = CONFIGS[config]
    rows = 3
    module = snt.BlockTriangularMatrix(block_shape, rows, **kwargs)
    num_blocks = sum(has_entries(r, c) for r in range(rows) for c in range(rows))
    assert module.num_blocks == num_blocks
    assert module.block_size == block_shape[0] * block_shape[1]
    assert module.input_size == num_blocks * module.block_size
    assert module.output_shape == (block_shape[0] * rows, block_shape[1] * rows)
    vector = np.random.RandomState(0).randn(2, module.input_size).astype(np.float32)
    out = module(tf.constant(vector))
    assert out.shape.as_list() == [2, *module.output_shape]
    expected = _reference(vector, block_shape, rows, has_entries)
    np.testing.assert_array_equal(mode.evaluate(out), expected)
    assert module.variables == ()


def test_small_example_by_hand(mode):
    # Lower triangular, 1x2 blocks, 2 block rows: [[1 2 0 0], [3 4 5 6]].
    module = snt.BlockTriangularMatrix(block_shape=(1, 2), block_rows=2)
    out = module(tf.constant([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]))
    np.testing.assert_array_equal(mode.evaluate(out)[0], [[1, 2, 0, 0], [3, 4, 5, 6]])


def test_block_diagonal(mode):
    module = snt.BlockDiagonalMatrix(block_shape=(3, 5), block_rows=7)
    assert (module.num_blocks, module.block_size, module.input_size) == (7, 15, 105)
    assert module.output_shape == (21, 35) and module.block_shape == (3, 5)
    assert module.module_name == "block_diagonal_matrix"
    vector = np.arange(2 * 105, dtype=np.float32).reshape(2, 105)
    expected = _reference(vector, (3, 5), 7, lambda r, c: r == c)
    np.testing.assert_array_equal(mode.evaluate(module(tf.constant(vector))), expected)


def test_unknown_batch_in_graph_mode(graph):
    module = snt.BlockTriangularMatrix((2, 2), 2)
    x = tf.compat.v1.placeholder(tf.float32, [None, module.input_size])
    out = module(x)
    assert out.shape.as_list() == [None, 4, 4]
    vector = np.arange(24, dtype=np.float32).reshape(2, 12)
    expected = _reference(vector, (2, 2), 2, lambda r, c: c <= r)
    np.testing.assert_array_equal(graph.evaluate(out, {x: vector}), expected)


def test_tf_function_and_gradient(eager):
    module = snt.BlockTriangularMatrix((2, 1), 2, upper=True)
    vector = tf.constant(np.arange(1, 7, dtype=np.float32).reshape(1, 6))
    expected = _reference(vector.numpy(), (2, 1), 2, lambda r, c: c >= r)
    np.testing.assert_array_equal(tf.function(module)(vector).numpy(), expected)
    with tf.GradientTape() as tape:
        tape.watch(vector)
        total = tf.reduce_sum(module(vector) * 2.0)
    np.testing.assert_array_equal(tape.gradient(total, vector).numpy(), np.full([1, 6], 2.0))


def test_errors_name_the_module(mode):
    with pytest.raises(ValueError, match="m_btm.*include_diagonal and include_off_diagonal"):
        snt.BlockTriangularMatrix((2, 2), 2, False, False, name="m_btm")
    with pytest.raises(TypeError, match="m_btm.*block_shape"):
        snt.BlockTriangularMatrix((2, 2, 2), 2, name="m_btm")
    with pytest.raises(ValueError, match="m_btm.*block_rows"):
        snt.BlockTriangularMatrix((2, 2), 0, name="m_btm")
    module = snt.BlockDiagonalMatrix((2, 2), 2, name="m_bdm")
    with pytest.raises(snt.IncompatibleShapeError, match=r"m_bdm.*\[batch, 8\]"):
        module(tf.zeros([1, 7]))
    with pytest.raises(snt.IncompatibleShapeError, match="m_bdm"):
        module(tf.zeros([8]))
