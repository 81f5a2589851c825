import itertools

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

C = snt.AffineWarpConstraints


def _full_params(constraints, batch, seed=0, offset=0.0):
    """Random full affine matrices (row-major) honouring the constraints, and the free part."""
    size = constraints.num_dim * (constraints.num_dim + 1)
    full = np.random.RandomState(seed).rand(batch, size) + offset
    flat = list(itertools.chain(*constraints.constraints))
    for i, value in enumerate(flat):
        if value is not None:
            full[:, i] = value
    free = [i for i, value in enumerate(flat) if value is None]
    return full, full[:, free].astype(np.float32)


def _reference_2d(output_shape, source_shape, full):
    """NumPy, point by point: output[i, j] maps (x_j, y_i, 1) through A, then to pixels."""
    height, width = output_shape
    xs, ys = np.linspace(-1, 1, width), np.linspace(-1, 1, height)
    half = [(s - 1) / 2 for s in reversed(source_shape)]  # x (width) first
    out = np.zeros((len(full), height, width, 2))
    for n, params in enumerate(full):
        matrix = params.reshape(2, 3)
        for i, j in itertools.product(range(height), range(width)):
            point = matrix @ np.array([xs[j], ys[i], 1.0])
            out[n, i, j] = point * half + half
    return out


def _reference_nd(output_shape, source_shape, full):
    """NumPy, Sonnet 1's layout for any dimensionality: the grid points in the
    order ``np.meshgrid(..., indexing="xy")`` of the reversed output axes gives."""
    n = len(source_shape)
    axes = [np.linspace(-1, 1, size) for size in reversed(output_shape)]
    grid = [g.reshape(-1) for g in np.meshgrid(*axes, indexing="xy")]
    grid += [np.zeros_like(grid[0])] * (n - len(output_shape)) + [np.ones_like(grid[0])]
    grid = np.stack(grid)
    half = np.array([(s - 1) / 2 for s in reversed(source_shape)])[:, None]
    out = [(params.reshape(n, n + 1) @ grid) * half + half for params in full]
    return np.stack([o.T.reshape(*output_shape, n) for o in out])


@pytest.mark.parametrize(
    "output_shape, source_shape, constraints",
    [
        ([7, 11], [13, 17], C.no_constraints(2)),
        ([2, 8], [11, 5], C.scale_2d(x=0.7)),
        ([3, 11], [9, 23], C.scale_2d(y=1.2) & C.translation_2d(x=-2)),
        ([9, 13], [2, 23], C([[1] * 3, [None] * 3])),
        ([1, 4], [3, 3], C.no_shear_2d()),
    ],
)
def test_2d_matches_pointwise_reference(mode, output_shape, source_shape, constraints):
    warper = snt.AffineGridWarper(source_shape, output_shape, constraints=constraints)
    full, free = _full_params(constraints, batch=4)
    out = warper(tf.constant(free))
    assert out.shape.as_list() == [4, *output_shape, 2]
    expected = _reference_2d(output_shape, source_shape, full)
    np.testing.assert_allclose(mode.evaluate(out), expected, rtol=1e-5, atol=1e-5)
    assert warper.variables == ()


@pytest.mark.parametrize(
    "output_shape, source_shape, constraints",
    [
        ([7, 11, 3], [13, 17, 3], C.no_constraints(3)),
        ([2, 8, 9], [11, 5, 6], C.scale_3d(x=0.7, z=2)),
        ([9, 13, 33], [2, 23, 2], C([[1] * 4, [None] * 4, [None, 1, None, 1]])),
        ([7, 11], [13, 17, 3], C.no_constraints(3)),
        ([2, 8], [11, 5, 4], C.no_shear_3d() & C.translation_3d(z=0.5)),
    ],
)
def test_3d_matches_reference(mode, output_shape, source_shape, constraints):
    warper = snt.AffineGridWarper(source_shape, output_shape, constraints=constraints)
    full, free = _full_params(constraints, batch=3, seed=1)
    out = warper(tf.constant(free))
    assert out.shape.as_list() == [3, *output_shape, 3]
    expected = _reference_nd(output_shape, source_shape, full)
    np.testing.assert_allclose(mode.evaluate(out), expected, rtol=1e-5, atol=1e-4)


def test_nd_reference_agrees_with_pointwise_in_2d():
    full, _ = _full_params(C.no_constraints(2), batch=2)
    np.testing.assert_allclose(
        _reference_nd([3, 4], [5, 6], full), _reference_2d([3, 4], [5, 6], full)
    )


def test_identity_in_float64(mode):
    warper = snt.AffineGridWarper([3, 3], [3, 3])
    out = warper(tf.constant([[1.0, 0, 0, 0, 1, 0]], tf.float64))
    assert out.dtype == tf.float64
    expected = [[[[x, y] for x in range(3)] for y in range(3)]]
    np.testing.assert_array_equal(mode.evaluate(out), expected)


def test_unknown_batch_and_tf_function(mode):
    constraints = C.translation_2d(x=0.0, y=0.0)
    warper = snt.AffineGridWarper([6, 9], [2, 3], constraints=constraints)
    full, free = _full_params(constraints, batch=5)
    expected = _reference_2d([2, 3], [6, 9], full)
    if mode.eager:
        out = tf.function(warper)(tf.constant(free))
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)
        return
    params = tf.compat.v1.placeholder(tf.float32, [None, 4])
    out = warper(params)
    assert out.shape.as_list() == [None, 2, 3, 2]
    np.testing.assert_allclose(mode.evaluate(out, {params: free}), expected, rtol=1e-5, atol=1e-5)


def test_gradient_with_respect_to_parameters(mode):
    # d(sum of x outputs)/d(A[0, k]) = half_x * sum over points of p_k.
    warper = snt.AffineGridWarper([5, 9], [3, 4])
    params = tf.constant([[1.0, 0.2, 0.1, -0.3, 0.9, 0.0]])
    if mode.eager:
        with tf.GradientTape() as tape:
            tape.watch(params)
            total = tf.reduce_sum(warper(params)[..., 0])
        grad = tape.gradient(total, params)
    else:
        grad = tf.gradients(tf.reduce_sum(warper(params)[..., 0]), params)[0]
    xs, ys = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 3))
    half_x = (9 - 1) / 2
    expected = [half_x * xs.sum(), half_x * ys.sum(), half_x * 12, 0, 0, 0]
    np.testing.assert_allclose(mode.evaluate(grad)[0], expected, atol=1e-5)


@pytest.mark.parametrize(
    "output_shape, source_shape, constraints",
    [
        ([7, 11], [13, 17], C.no_constraints(2)),
        ([2, 8], [11, 5], C.scale_2d(x=0.7)),
        ([3, 11], [9, 23], C.scale_2d(y=1.2)),
        ([9, 13], [2, 23], C([[1] * 3, [None] * 3])),
    ],
)
def test_inverse_matches_numpy(mode, output_shape, source_shape, constraints):
    warper = snt.AffineGridWarper(source_shape, output_shape, constraints=constraints)
    inverse = warper.inverse()
    assert inverse.module_name == "affine_grid_warper_inverse"
    full, free = _full_params(constraints, batch=6, seed=2, offset=0.1)  # away from singular
    inverted = []
    for params in full:
        matrix = params.reshape(2, 3)
        m_inv = np.linalg.inv(matrix[:, :2])
        inverted.append(np.concatenate([m_inv, -m_inv @ matrix[:, 2:]], axis=1).reshape(-1))
    expected = _reference_2d(source_shape, output_shape, np.array(inverted))
    out = inverse(tf.constant(free))
    assert out.shape.as_list() == [6, *source_shape, 2]
    np.testing.assert_allclose(mode.evaluate(out), expected, rtol=1e-4, atol=1e-4)


def test_inverse_undoes_the_warp(mode):
    # Warping the inverse grid's points forward lands on the source pixel grid.
    warper = snt.AffineGridWarper([4, 5], [4, 5])
    params = tf.constant([[1.2, 0.3, 0.1, -0.2, 0.8, 0.05]])
    back = mode.evaluate(warper.inverse(name="back")(params))[0]  # output-grid pixels
    matrix = np.array([[1.2, 0.3, 0.1], [-0.2, 0.8, 0.05]])
    half = np.array([2.0, 1.5])  # output [4, 5]: (5 - 1) / 2 for x, (4 - 1) / 2 for y
    normalized = (back - half) / half  # back to [-1, 1] coordinates
    forward = normalized @ matrix[:, :2].T + matrix[:, 2]
    ys, xs = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 5), indexing="ij")
    np.testing.assert_allclose(forward, np.stack([xs, ys], -1), atol=1e-5)


def test_inverse_is_2d_only():
    warper = snt.AffineGridWarper([3, 3, 3], [2, 2, 2], name="m_warp")
    with pytest.raises(snt.NotSupportedError, match="m_warp.*2D"):
        warper.inverse()


def test_errors_name_the_module(mode):
    with pytest.raises(snt.Error, match="m_warp.*Incompatible set of constraints provided"):
        snt.AffineGridWarper([5, 5, 5], [2, 2, 2], C.no_constraints(2), name="m_warp")
    with pytest.raises(snt.Error, match="m_warp.*Output domain dimensionality"):
        snt.AffineGridWarper([5, 5], [2, 2, 2], C.no_constraints(2), name="m_warp")
    with pytest.raises(snt.Error, match="m_warp.*Transformation is fully constrained"):
        snt.AffineGridWarper([5, 5], [2, 2], [[1, 0, 0], [0, 1, 0]], name="m_warp")
    with pytest.raises(TypeError, match="m_warp.*source_shape"):
        snt.AffineGridWarper(5, [2, 2], name="m_warp")
    warper = snt.AffineGridWarper([5, 5], [2, 2], C.scale_2d(1, 1), name="m_warp")
    with pytest.raises(snt.Error, match="m_warp.*Input size is not consistent.*4 parameters"):
        warper(tf.zeros([2, 6]))
    with pytest.raises(TypeError, match="m_warp.*floating point"):
        warper(tf.zeros([2, 4], tf.int32))
    with pytest.raises(snt.Error, match="m_warp"):
        warper.inverse()(tf.zeros([2, 3]))


def test_constraint_shorthands():
    assert C.no_constraints(1).constraints == ((None, None),)
    assert C().constraints == ((None,) * 3,) * 2
    assert C.translation_2d(x=11).constraints == ((None, None, 11), (None, None, None))
    assert C.translation_3d(z=13).constraints == ((None,) * 4, (None,) * 4, (None,) * 3 + (13,))
    assert C.scale_2d(y=12).constraints == ((None,) * 3, (None, 12, None))
    assert C.scale_3d(x=1, y=2, z=3).constraints == (
        (1, None, None, None),
        (None, 2, None, None),
        (None, None, 3, None),
    )
    assert C.shear_2d(x=11, y=12).constraints == ((None, 11, None), (12, None, None))
    assert C.no_shear_2d().constraints == ((None, 0, None), (0, None, None))
    assert C.no_shear_3d()[1] == (0, None, 0, None)


def test_constraint_operations():
    assert C.no_constraints(2).num_free_params == 6
    assert C.scale_2d(2, 4).num_free_params == 4
    assert C.scale_2d(2, 4).mask == ((False, True, True), (True, False, True))
    combined = C.scale_2d(2, 4) & C.translation_2d(x=2)
    assert combined.constraints == ((2, None, 2), (None, 4, None))
    assert combined == C([[2, None, 2], [None, 4, None]]) and combined.num_dim == 2
    # A zero on either side survives the combination.
    assert (C.shear_2d(x=0) & C.shear_2d(y=0)) == C.no_shear_2d()
    assert C.no_shear_2d().combine_with([[None] * 3] * 2) == C.no_shear_2d()
    with pytest.raises(ValueError, match="Incompatible set of constraints provided"):
        C.scale_2d(2) & C.scale_2d(3)
    with pytest.raises(ValueError, match="Incompatible"):
        C.no_constraints(2) & C.no_constraints(3)
    with pytest.raises(TypeError, match="nested iterable"):
        C([1, 2])
    with pytest.raises(ValueError, match="Nx\\(N\\+1\\)"):
        C([[None, None], [None, None]])


class _Shift(snt.GridWarper):
    """A test warper: the output grid's integer coordinates plus a per-example shift."""

    def __init__(self, shape, name="shift"):
        super().__init__(shape, shape, num_coeff=len(shape), name=name)

    def _create_features(self):
        return np.stack(np.meshgrid(*map(np.arange, self.output_shape), indexing="ij"), -1)

    def _build(self, shifts):
        return self.psi.astype(np.float32) + shifts[:, None, None, :]


def test_grid_warper_base(mode):
    with pytest.raises(TypeError):
        snt.GridWarper([2], [2], 1, "abstract")
    warper = _Shift([2, 3])
    assert (warper.source_shape, warper.output_shape, warper.n_coeff) == ((2, 3), (2, 3), 2)
    out = mode.evaluate(warper(tf.constant([[0.5, -1.0]])))
    ii, jj = np.meshgrid(np.arange(2), np.arange(3), indexing="ij")
    np.testing.assert_array_equal(out[0], np.stack([ii + 0.5, jj - 1.0], -1))
    with pytest.raises(snt.Error, match="m_shift: Output domain"):
        snt.GridWarper.__init__(_Shift.__new__(_Shift), [2], [2, 2], 1, "m_shift")
