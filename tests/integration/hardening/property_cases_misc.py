"""Property strategies for AlexNet, Dilation, the grid warpers, the block matrices,
MovingAverage and SpectralNormWrapper (snt-nets).

Every valid configuration is deterministic: no dropout, batch normalization
on batch or moving statistics, spectral normalization without power-iteration
updates (``enable_power_iteration=False`` with a collection).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf
from hypothesis import strategies as st
from property_support import (
    CONNECTION,
    CONSTRUCTION,
    Drawn,
    bad_key,
    batches,
    case,
    ones,
    ramp,
    sizes,
    small,
)

import sonnet as snt

_BN_EPS = 1.0  # variables are filled with values in [-0.5, 0.5], moving variances included
_MINI = 17  # AlexNetMini's minimum height and width
_FULL = 195


class ScaledGridWarper(snt.GridWarper):
    """A small concrete warper, to put the ``GridWarper`` base class through the suite.

    The reference grid holds the output grid's ``[-1, 1]`` coordinates; each
    input row scales them per dimension.
    """

    def __init__(self, shape, name="scaled_grid_warper"):
        super().__init__(shape, shape, num_coeff=len(shape), name=name)

    def _create_features(self):
        axes = [np.linspace(-1.0, 1.0, n) for n in self.output_shape]
        return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).astype(np.float32)

    def _build(self, scales):
        expand = (slice(None),) + (None,) * len(self.output_shape)
        return tf.constant(self.psi) * scales[expand]


# --------------------------------------------------------------------------- VALID


def _alexnet_drawn(draw, name, ctor, mode_is_full=False):
    batch = 1 if mode_is_full else draw(batches)
    low = _FULL if mode_is_full else _MINI
    height = low + (0 if mode_is_full else draw(st.integers(0, 3)))
    width = low + (0 if mode_is_full else draw(st.integers(0, 3)))
    use_bn = draw(st.booleans())
    kwargs, config, norms = {}, None, 0
    # FULL is big (21M parameters): two configurations only.
    scale = False if mode_is_full else draw(st.booleans())
    bn_on_fc = False
    if use_bn:
        config = {"eps": _BN_EPS, "scale": scale}
        training = False if mode_is_full else draw(st.booleans())
        kwargs = {"is_training": training, "test_local_stats": training}
    extra = {}
    if name == "nets.AlexNet":
        bn_on_fc = draw(st.booleans())
        extra = {"mode": snt.nets.AlexNet.MINI, "bn_on_fc_layers": bn_on_fc}
    if use_bn:
        norms = 5 + (2 if bn_on_fc else 0)
    factor = 0.01 if mode_is_full else 1.0

    def create():
        return ctor(use_batch_norm=use_bn, batch_norm_config=config, **extra)

    out = 4096 if mode_is_full else 1024
    return Drawn(
        case(name, create, lambda: (ramp(batch, height, width, 3) * factor,), kwargs=kwargs),
        (batch, out),
        14 + norms * (4 if scale else 3),
    )


@st.composite
def alexnet(draw):
    return _alexnet_drawn(draw, "nets.AlexNet", snt.nets.AlexNet)


@st.composite
def alexnet_mini(draw):
    return _alexnet_drawn(draw, "nets.AlexNetMini", snt.nets.AlexNetMini)


@st.composite
def alexnet_full(draw):
    return _alexnet_drawn(draw, "nets.AlexNetFull", snt.nets.AlexNetFull, mode_is_full=True)


@st.composite
def dilation(draw):
    classes = draw(st.integers(1, 3))
    model_size = draw(st.sampled_from(["basic", "large"]))
    depth = classes * (1 if model_size == "basic" else draw(st.integers(1, 2)))
    shape = (draw(batches), draw(sizes), draw(sizes), depth)
    return Drawn(
        case(
            "nets.Dilation",
            lambda: snt.nets.Dilation(num_output_classes=classes, model_size=model_size),
            lambda: (ramp(*shape),),
        ),
        (*shape[:3], classes),
        16,
    )


@st.composite
def grid_warper(draw):
    shape = [draw(small) for _ in range(draw(st.integers(1, 3)))]
    batch = draw(batches)
    return Drawn(
        case("GridWarper", lambda: ScaledGridWarper(shape), lambda: (ramp(batch, len(shape)),)),
        (batch, *shape, len(shape)),
        0,
    )


@st.composite
def affine_grid_warper(draw):
    num_dim = draw(st.integers(2, 3))
    source = [draw(sizes) for _ in range(num_dim)]
    output = [draw(sizes) for _ in range(draw(st.integers(1, num_dim)))]
    entries = num_dim * (num_dim + 1)
    free = draw(st.lists(st.booleans(), min_size=entries, max_size=entries).filter(any))
    fixed = st.sampled_from([0.0, 1.0, -0.5, 2])
    flat = [None if is_free else draw(fixed) for is_free in free]
    rows = [flat[i * (num_dim + 1) : (i + 1) * (num_dim + 1)] for i in range(num_dim)]
    constraints = snt.AffineWarpConstraints(rows) if draw(st.booleans()) else rows
    batch = draw(batches)
    return Drawn(
        case(
            "AffineGridWarper",
            lambda: snt.AffineGridWarper(source, output, constraints=constraints),
            lambda: (ramp(batch, sum(free)),),
        ),
        (batch, *output, num_dim),
        0,
    )


def _block_drawn(name, module_fn, batch):
    module = module_fn()  # for the sizes only (eagerly, no variables)
    return Drawn(
        case(name, module_fn, lambda: (ramp(batch, module.input_size),)),
        (batch, *module.output_shape),
        0,
    )


@st.composite
def block_triangular(draw):
    shape, rows = (draw(small), draw(small)), draw(small)
    diagonal, off_diagonal = draw(st.sampled_from([(True, True), (True, False), (False, True)]))
    upper = draw(st.booleans())
    return _block_drawn(
        "BlockTriangularMatrix",
        lambda: snt.BlockTriangularMatrix(shape, rows, diagonal, off_diagonal, upper),
        draw(batches),
    )


@st.composite
def block_diagonal(draw):
    shape, rows = (draw(small), draw(small)), draw(small)
    return _block_drawn(
        "BlockDiagonalMatrix", lambda: snt.BlockDiagonalMatrix(shape, rows), draw(batches)
    )


@st.composite
def moving_average(draw):
    decay = draw(st.sampled_from([0.0, 0.5, 0.9, 0.99, 1.0]))
    shape = [draw(small) for _ in range(draw(st.integers(0, 3)))]
    # local=True is left to test_moving_average.py: the suite initializes and
    # counts global variables only.
    return Drawn(
        case(
            "MovingAverage",
            lambda: snt.MovingAverage(decay=decay),
            lambda: (ramp(*shape) if shape else tf.constant(0.25),),
        ),
        tuple(shape),
        2,
    )


@st.composite
def spectral_norm_wrapper(draw):
    out, batch, width = draw(sizes), draw(batches), draw(sizes)
    sn_kwargs = {"num_iters": draw(st.integers(1, 3)), "eps": draw(st.sampled_from([1e-4, 1e-2]))}
    return Drawn(
        case(
            "SpectralNormWrapper",
            lambda: snt.SpectralNormWrapper(snt.Linear, sn_kwargs, "sn_updates", out),
            lambda: (ramp(batch, width),),
            kwargs={"enable_power_iteration": False},
        ),
        (batch, out),
        3,
    )


VALID = {
    "nets.AlexNet": alexnet(),
    "nets.AlexNetMini": alexnet_mini(),
    "nets.AlexNetFull": alexnet_full(),
    "nets.Dilation": dilation(),
    "GridWarper": grid_warper(),
    "AffineGridWarper": affine_grid_warper(),
    "BlockTriangularMatrix": block_triangular(),
    "BlockDiagonalMatrix": block_diagonal(),
    "MovingAverage": moving_average(),
    "SpectralNormWrapper": spectral_norm_wrapper(),
}


# ------------------------------------------------------------------------- INVALID


def _dict_kind(draw, ctor, keys, which_dicts=("initializers", "partitioners", "regularizers")):
    which = draw(st.sampled_from(list(which_dicts)))
    if draw(st.booleans()):
        value = tf.zeros_initializer() if which == "initializers" else tf.identity
        key = bad_key(draw, keys)
        return CONSTRUCTION, lambda n: ctor(n, **{which: {key: value}}), None
    key, bad = draw(st.sampled_from(sorted(keys))), draw(st.sampled_from([1, "zeros", 2.5]))
    return CONSTRUCTION, lambda n: ctor(n, **{which: {key: bad}}), None


def _alexnet_cases(draw, ctor):
    kind = draw(st.sampled_from(["dicts", "small", "rank", "no_is_training"]))
    if kind == "dicts":
        return _dict_kind(draw, lambda n, **kw: ctor(name=n, **kw), {"w", "b"})
    if kind == "small":
        height = draw(st.integers(1, _MINI - 1))
        shape = [1, height, _MINI, 3] if draw(st.booleans()) else [1, _MINI, height, 3]
        return CONNECTION, lambda n: ctor(name=n), lambda m: m(ones(*shape))
    if kind == "rank":
        shape = draw(st.sampled_from([[_MINI, _MINI, 3], [1, _MINI, _MINI, 3, 1], [2, 3]]))
        return CONNECTION, lambda n: ctor(name=n), lambda m: m(ones(*shape))
    if draw(st.booleans()):
        return (
            CONNECTION,
            lambda n: ctor(name=n, use_batch_norm=True),
            lambda m: m(ones(1, _MINI, _MINI, 3)),
        )
    keep = draw(st.sampled_from([0.5, 1.0]))
    return CONNECTION, lambda n: ctor(name=n), lambda m: m(ones(1, _MINI, _MINI, 3), keep)


@st.composite
def alexnet_cases(draw):
    if draw(st.integers(0, 4)) == 0:
        mode = draw(st.sampled_from(["BLAH", "mini", "", None, 1]))
        return CONSTRUCTION, lambda n: snt.nets.AlexNet(mode=mode, name=n), None
    mini = snt.nets.AlexNet.MINI
    return _alexnet_cases(
        draw, lambda **kw: snt.nets.AlexNet(mode=mini, bn_on_fc_layers=False, **kw)
    )


@st.composite
def alexnet_mini_cases(draw):
    return _alexnet_cases(draw, snt.nets.AlexNetMini)


@st.composite
def alexnet_full_cases(draw):
    # The MINI-sized inputs of _alexnet_cases are all too small for FULL: still an error.
    return _alexnet_cases(draw, snt.nets.AlexNetFull)


@st.composite
def dilation_cases(draw):
    kind = draw(st.sampled_from(["dicts", "rank", "model_size", "classes", "depth"]))
    classes = draw(small)
    if kind == "dicts":
        return _dict_kind(
            draw,
            lambda n, **kw: snt.nets.Dilation(classes, name=n, **kw),
            {"w", "b"},
            ("initializers", "regularizers"),
        )
    if kind == "rank":
        shape = draw(st.sampled_from([[4, 4, classes], [1, 4, 4, classes, 1]]))
        return CONNECTION, lambda n: snt.nets.Dilation(classes, name=n), lambda m: m(ones(*shape))
    if kind == "model_size":
        size = draw(st.sampled_from(["medium", "Basic", ""]))
        make = lambda n: snt.nets.Dilation(classes, model_size=size, name=n)  # noqa: E731
        return CONNECTION, make, lambda m: m(ones(1, 4, 4, classes))
    if kind == "classes":
        bad = draw(st.sampled_from([0, -1, 2.5, "3", None]))
        return CONSTRUCTION, lambda n: snt.nets.Dilation(bad, name=n), None
    size = draw(st.sampled_from(["basic", "large"]))
    depth = classes + draw(small) if size == "basic" else classes * draw(small) + 1
    if size == "large" and classes == 1:
        depth, classes = 3, 2
    make = lambda n: snt.nets.Dilation(classes, model_size=size, name=n)  # noqa: E731
    return CONNECTION, make, lambda m: m(ones(1, 4, 4, depth))


@st.composite
def grid_warper_cases(draw):
    kind = draw(st.sampled_from(["dims", "shape"]))
    if kind == "dims":
        source = [draw(small)]
        output = [draw(small), draw(small)]
        return (
            CONSTRUCTION,
            lambda n: snt.GridWarper.__init__(
                ScaledGridWarper.__new__(ScaledGridWarper), source, output, 1, n
            ),
            None,
        )
    bad = draw(st.sampled_from(["ab", [1.5, 2], [0, 2], [2, None]]))
    return CONSTRUCTION, lambda n: ScaledGridWarper(bad, name=n), None


@st.composite
def affine_grid_warper_cases(draw):
    kind = draw(st.sampled_from(["full", "dims", "output_dims", "params", "dtype", "shape"]))
    num_dim = draw(st.integers(2, 3))
    source = [draw(sizes) for _ in range(num_dim)]
    if kind == "full":
        rows = [[draw(st.sampled_from([0.0, 1.0]))] * (num_dim + 1) for _ in range(num_dim)]
        return CONSTRUCTION, lambda n: snt.AffineGridWarper(source, source, rows, name=n), None
    if kind == "dims":
        other = snt.AffineWarpConstraints.no_constraints(5 - num_dim)
        return CONSTRUCTION, lambda n: snt.AffineGridWarper(source, source, other, name=n), None
    if kind == "output_dims":
        output = [*source, draw(small)]
        return CONSTRUCTION, lambda n: snt.AffineGridWarper(source, output, name=n), None
    if kind == "shape":
        bad = draw(st.sampled_from([5, [2, 0], [2.5, 3]]))
        return CONSTRUCTION, lambda n: snt.AffineGridWarper(bad, [2, 2], name=n), None
    expected = num_dim * (num_dim + 1)
    make = lambda n: snt.AffineGridWarper(source, source, name=n)  # noqa: E731
    if kind == "params":
        width = draw(st.integers(1, 14).filter(lambda w: w != expected))
        shape = draw(st.sampled_from([[2, width], [expected], [1, 1, expected]]))
        return CONNECTION, make, lambda m: m(ones(*shape))
    return CONNECTION, make, lambda m: m(tf.ones([2, expected], tf.int32))


def _block_cases(draw, ctor, allow_flags):
    kinds = ["shape", "rows", "input"] + (["flags"] if allow_flags else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "flags":
        upper = draw(st.booleans())
        return (
            CONSTRUCTION,
            lambda n: snt.BlockTriangularMatrix((2, 2), 2, False, False, upper, name=n),
            None,
        )
    if kind == "shape":
        bad = draw(st.sampled_from([(2,), (2, 2, 2), (0, 2), (2.5, 2), "ab", 3]))
        return CONSTRUCTION, lambda n: ctor(bad, 2, name=n), None
    if kind == "rows":
        bad = draw(st.sampled_from([0, -2, 1.5, "2", None]))
        return CONSTRUCTION, lambda n: ctor((2, 2), bad, name=n), None
    rows, shape = draw(small), (draw(small), draw(small))
    size = ctor(shape, rows).input_size
    width = draw(st.integers(1, size + 5).filter(lambda w: w != size))
    bad_shape = draw(st.sampled_from([[2, width], [size], [1, 2, size]]))
    return CONNECTION, lambda n: ctor(shape, rows, name=n), lambda m: m(ones(*bad_shape))


@st.composite
def block_triangular_cases(draw):
    return _block_cases(draw, snt.BlockTriangularMatrix, allow_flags=True)


@st.composite
def block_diagonal_cases(draw):
    return _block_cases(draw, snt.BlockDiagonalMatrix, allow_flags=False)


@st.composite
def moving_average_cases(draw):
    kind = draw(st.sampled_from(["decay", "dtype", "reshape"]))
    if kind == "decay":
        bad = draw(st.sampled_from([-0.1, 1.5, 2, "0.5", None]))
        return CONSTRUCTION, lambda n: snt.MovingAverage(decay=bad, name=n), None
    if kind == "dtype":
        dtype = draw(st.sampled_from([tf.int32, tf.bool, tf.string]))
        value = {tf.int32: 1, tf.bool: True, tf.string: "a"}[dtype]
        return (
            CONNECTION,
            lambda n: snt.MovingAverage(name=n),
            lambda m: m(tf.fill([2], tf.constant(value, dtype))),
        )
    first = [draw(small) for _ in range(draw(st.integers(0, 2)))]
    second = draw(st.lists(small, min_size=0, max_size=3).filter(lambda s: list(s) != list(first)))

    def connect(m):
        m(ones(*first))
        return m(ones(*second))

    return CONNECTION, lambda n: snt.MovingAverage(name=n), connect


@st.composite
def spectral_norm_wrapper_cases(draw):
    kind = draw(st.sampled_from(["kwargs", "num_iters", "module", "inner"]))
    if kind == "kwargs":
        bad = draw(st.sampled_from([[1], "eps", {"iters": 2}, {"eps": 1e-4, "update": None}]))
        return (
            CONSTRUCTION,
            lambda n: snt.SpectralNormWrapper(snt.Linear, bad, None, 3, name=n),
            None,
        )
    if kind == "num_iters":
        bad = draw(st.sampled_from([0, -1, 1.5, "2"]))
        return (
            CONSTRUCTION,
            lambda n: snt.SpectralNormWrapper(snt.Linear, {"num_iters": bad}, None, 3, name=n),
            None,
        )
    if kind == "module":
        bad = draw(st.sampled_from(["Linear", 3, None]))
        return CONSTRUCTION, lambda n: snt.SpectralNormWrapper(bad, {}, None, 3, name=n), None
    # The wrapped module's own checks, which name it (``name`` names both).
    width = draw(small)
    return (
        CONNECTION,
        lambda n: snt.SpectralNormWrapper(snt.Linear, {}, None, 3, name=n),
        lambda m: m(ones(width)),
    )


INVALID = {
    "nets.AlexNet": alexnet_cases(),
    "nets.AlexNetMini": alexnet_mini_cases(),
    "nets.AlexNetFull": alexnet_full_cases(),
    "nets.Dilation": dilation_cases(),
    "GridWarper": grid_warper_cases(),
    "AffineGridWarper": affine_grid_warper_cases(),
    "BlockTriangularMatrix": block_triangular_cases(),
    "BlockDiagonalMatrix": block_diagonal_cases(),
    "MovingAverage": moving_average_cases(),
    "SpectralNormWrapper": spectral_norm_wrapper_cases(),
}
