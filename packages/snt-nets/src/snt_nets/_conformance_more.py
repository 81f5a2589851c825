"""Conformance cases of AlexNet, Dilation, the warpers, block matrices, MovingAverage
and SpectralNormWrapper (part of ``_conformance.cases()``).

Every configuration is deterministic: no dropout, batch normalization on its
moving statistics, spectral normalization without power-iteration updates.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import tensorflow as tf

from snt_nets.affine_grid_warper import AffineGridWarper
from snt_nets.affine_warp_constraints import AffineWarpConstraints
from snt_nets.block_matrix import BlockDiagonalMatrix, BlockTriangularMatrix
from snt_nets.grid_warper import GridWarper
from snt_nets.linear import Linear
from snt_nets.moving_average import MovingAverage
from snt_nets.nets.alexnet import AlexNet, AlexNetFull, AlexNetMini
from snt_nets.nets.dilation import Dilation
from snt_nets.spectral_normalization import SpectralNormWrapper
from sonnet.plugins import ConformanceCase

#: Batch norm: variances are filled with values in [-0.5, 0.5]; eps 1 keeps them positive.
_BN_CONFIG = {"eps": 1.0, "scale": True}
_BN_TEST = {"is_training": False, "test_local_stats": False}


def _ramp(*shape: int) -> tf.Tensor:
    count = math.prod(shape)
    return tf.reshape(tf.linspace(-1.0, 1.0, count), shape)


class ScaledGridWarper(GridWarper):
    """The smallest concrete warper, to put the ``GridWarper`` base class through the suite.

    Its reference grid is the output grid's ``[-1, 1]`` coordinates; each
    input row scales it per dimension.
    """

    def __init__(self, shape: list[int], name: str = "scaled_grid_warper") -> None:
        super().__init__(shape, shape, num_coeff=len(shape), name=name)

    def _create_features(self) -> np.ndarray:
        axes = [np.linspace(-1.0, 1.0, n) for n in self.output_shape]
        return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).astype(np.float32)

    def _build(self, scales: tf.Tensor) -> tf.Tensor:
        expand = [slice(None)] + [None] * len(self.output_shape)
        return tf.constant(self.psi) * scales[tuple(expand)]


def _alexnet_input() -> tuple[Any, ...]:
    return (_ramp(1, 17, 17, 3),)


def cases() -> list[ConformanceCase]:
    """The cases of this group of exports."""
    scale_x = AffineWarpConstraints.scale_2d(x=1.0)
    return [
        ConformanceCase(
            "nets.AlexNet",
            create=lambda: AlexNet(mode=AlexNet.MINI),
            inputs=_alexnet_input,
        ),
        ConformanceCase(
            "nets.AlexNetMini",
            create=lambda: AlexNetMini(use_batch_norm=True, batch_norm_config=_BN_CONFIG),
            inputs=_alexnet_input,
            kwargs=_BN_TEST,
        ),
        ConformanceCase(
            "nets.AlexNetFull",
            create=lambda: AlexNetFull(),
            inputs=lambda: (_ramp(1, 195, 195, 3) * 0.01,),
        ),
        ConformanceCase(
            "nets.Dilation",
            create=lambda: Dilation(num_output_classes=2),
            inputs=lambda: (_ramp(1, 5, 5, 2),),
        ),
        ConformanceCase(
            "GridWarper", create=lambda: ScaledGridWarper([2, 3]), inputs=lambda: (_ramp(2, 2),)
        ),
        ConformanceCase(
            "AffineGridWarper",
            create=lambda: AffineGridWarper([4, 5], [2, 3], constraints=scale_x),
            inputs=lambda: (_ramp(2, 5),),
        ),
        ConformanceCase(
            "BlockTriangularMatrix",
            create=lambda: BlockTriangularMatrix([2, 1], 3, upper=True),
            inputs=lambda: (_ramp(2, 12),),
        ),
        ConformanceCase(
            "BlockDiagonalMatrix",
            create=lambda: BlockDiagonalMatrix([1, 2], 2),
            inputs=lambda: (_ramp(2, 4),),
        ),
        ConformanceCase(
            "MovingAverage",
            create=lambda: MovingAverage(decay=0.9),
            inputs=lambda: (_ramp(2, 3),),
        ),
        ConformanceCase(
            "SpectralNormWrapper",
            create=lambda: SpectralNormWrapper(Linear, {"num_iters": 2}, "sn_updates", 3),
            inputs=lambda: (_ramp(2, 4),),
            kwargs={"enable_power_iteration": False},
        ),
    ]
