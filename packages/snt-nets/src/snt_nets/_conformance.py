"""Conformance cases of snt-nets' modules (for core's shared suite).

Imported only by the ``snt_conformance_cases`` hook, so the entry point stays
free of TensorFlow. One case per module export, named like the export
(``"Linear"``, ``"nets.MLP"``). Inputs are small deterministic ramps (no
random ops), and every configuration is deterministic: dropout off,
batch normalization on its moving statistics without updating them.
"""

from __future__ import annotations

import math

import tensorflow as tf

from snt_nets import _conformance_more
from snt_nets.add_bias import AddBias
from snt_nets.attention import AttentiveRead
from snt_nets.batch_apply import BatchApply
from snt_nets.batch_norm import BatchNorm
from snt_nets.batch_norm_v2 import BatchNormV2
from snt_nets.batch_reshape import BatchFlatten, BatchReshape, FlattenTrailingDimensions
from snt_nets.concat_linear import ConcatLinear
from snt_nets.conv.causal_conv_1d import CausalConv1D
from snt_nets.conv.conv_1d import Conv1D
from snt_nets.conv.conv_2d import Conv2D
from snt_nets.conv.conv_3d import Conv3D
from snt_nets.conv.depthwise_conv_2d import DepthwiseConv2D
from snt_nets.conv.in_plane_conv_2d import InPlaneConv2D
from snt_nets.conv.separable_conv import SeparableConv1D, SeparableConv2D
from snt_nets.conv_constants import VALID
from snt_nets.embed import Embed
from snt_nets.layer_norm import LayerNorm
from snt_nets.linear import Linear
from snt_nets.merge_dims import MergeDims
from snt_nets.nets.convnet import ConvNet2D
from snt_nets.nets.mlp import MLP
from snt_nets.nets.transformer import MultiheadAttention, TransformerTower, future_mask
from snt_nets.nets.vector_quantizer import VectorQuantizer
from snt_nets.nets.vector_quantizer_ema import VectorQuantizerEMA
from snt_nets.residual import Residual
from snt_nets.select_input import SelectInput
from snt_nets.sequential import Sequential
from snt_nets.slice_tile import SliceByDim, TileByDim
from snt_nets.trainable_variable import TrainableVariable
from sonnet.plugins import ConformanceCase

#: The suite fills every variable with values in [-0.5, 0.5], moving variances
#: included; an ``eps`` of 1 keeps ``variance + eps`` positive.
_BN_EPS = 1.0
#: Batch normalization on the moving statistics: no update, no batch dependence.
_BN_TEST = {"is_training": False, "test_local_stats": False}
#: AttentiveRead's memory mask: every example keeps at least one slot.
_READ_MASK = [[True, False, True, True], [False, False, True, False]]


def ramp(*shape: int, offset: float = 0.0) -> tf.Tensor:
    """A float32 tensor of ``shape`` holding distinct values from -1 to 1 (plus ``offset``)."""
    count = math.prod(shape)
    return tf.reshape(tf.linspace(-1.0, 1.0, count), shape) + offset


def cases() -> list[ConformanceCase]:
    """One case per module exported by snt-nets."""
    return [
        # Basic layers.
        ConformanceCase("Linear", create=lambda: Linear(3), inputs=lambda: (ramp(2, 4),)),
        ConformanceCase("AddBias", create=lambda: AddBias(), inputs=lambda: (ramp(2, 3, 2),)),
        ConformanceCase(
            "ConcatLinear",
            create=lambda: ConcatLinear(3),
            inputs=lambda: ([ramp(2, 4), ramp(2, 2, offset=0.5)],),
        ),
        ConformanceCase(
            "TrainableVariable", create=lambda: TrainableVariable([2, 3]), inputs=lambda: ()
        ),
        ConformanceCase(
            "Embed",
            create=lambda: Embed(vocab_size=5, embed_dim=3),
            inputs=lambda: (tf.constant([[0, 1, 4], [3, 2, 2]]),),
        ),
        # Shape manipulation (no variables).
        ConformanceCase(
            "BatchReshape", create=lambda: BatchReshape([3, 2]), inputs=lambda: (ramp(2, 6),)
        ),
        ConformanceCase(
            "BatchFlatten", create=lambda: BatchFlatten(), inputs=lambda: (ramp(2, 3, 2),)
        ),
        ConformanceCase(
            "FlattenTrailingDimensions",
            create=lambda: FlattenTrailingDimensions(2),
            inputs=lambda: (ramp(2, 3, 2, 2),),
        ),
        ConformanceCase(
            "MergeDims",
            create=lambda: MergeDims(start=1, size=2),
            inputs=lambda: (ramp(2, 3, 2, 2),),
        ),
        ConformanceCase(
            "SliceByDim",
            create=lambda: SliceByDim(dims=[1], begin=[1], size=[2]),
            inputs=lambda: (ramp(2, 4, 3),),
        ),
        ConformanceCase(
            "TileByDim",
            create=lambda: TileByDim(dims=[0, 2], multiples=[2, 3]),
            inputs=lambda: (ramp(2, 3, 1),),
        ),
        ConformanceCase(
            "SelectInput",
            create=lambda: SelectInput(idx=[1, (0, 2)]),
            inputs=lambda: (ramp(2, 3), ramp(2, 2), ramp(1, 4)),
        ),
        # Wrappers, around concrete modules with variables.
        ConformanceCase(
            "BatchApply",
            create=lambda: BatchApply(Linear(3)),
            inputs=lambda: (ramp(2, 3, 4),),
        ),
        ConformanceCase(
            "Sequential",
            create=lambda: Sequential([Linear(4), tf.nn.relu, Linear(2, name="linear_out")]),
            inputs=lambda: (ramp(2, 3),),
        ),
        ConformanceCase(
            "Residual",
            create=lambda: Residual(MLP([5, 3])),
            inputs=lambda: (ramp(2, 3),),
        ),
        # Convolutions.
        ConformanceCase(
            "Conv1D", create=lambda: Conv1D(3, kernel_shape=3), inputs=lambda: (ramp(2, 5, 2),)
        ),
        ConformanceCase(
            "Conv2D",
            create=lambda: Conv2D(3, kernel_shape=3, stride=2, padding=VALID),
            inputs=lambda: (ramp(2, 5, 5, 2),),
        ),
        ConformanceCase(
            "Conv3D",
            create=lambda: Conv3D(2, kernel_shape=2),
            inputs=lambda: (ramp(1, 3, 3, 3, 2),),
        ),
        ConformanceCase(
            "CausalConv1D",
            create=lambda: CausalConv1D(3, kernel_shape=3, rate=2),
            inputs=lambda: (ramp(2, 6, 2),),
        ),
        ConformanceCase(
            "DepthwiseConv2D",
            create=lambda: DepthwiseConv2D(2, kernel_shape=3),
            inputs=lambda: (ramp(2, 4, 4, 2),),
        ),
        ConformanceCase(
            "SeparableConv1D",
            create=lambda: SeparableConv1D(3, channel_multiplier=2, kernel_shape=3),
            inputs=lambda: (ramp(2, 5, 2),),
        ),
        ConformanceCase(
            "SeparableConv2D",
            create=lambda: SeparableConv2D(3, channel_multiplier=2, kernel_shape=3),
            inputs=lambda: (ramp(2, 4, 4, 2),),
        ),
        ConformanceCase(
            "InPlaneConv2D",
            create=lambda: InPlaneConv2D(kernel_shape=3),
            inputs=lambda: (ramp(2, 4, 4, 2),),
        ),
        # Normalization.
        ConformanceCase("LayerNorm", create=lambda: LayerNorm(), inputs=lambda: (ramp(2, 4),)),
        ConformanceCase(
            "BatchNorm",
            create=lambda: BatchNorm(scale=True, eps=_BN_EPS),
            inputs=lambda: (ramp(4, 3),),
            kwargs=_BN_TEST,
        ),
        ConformanceCase(
            "BatchNormV2",
            create=lambda: BatchNormV2(scale=True, eps=_BN_EPS),
            inputs=lambda: (ramp(2, 3, 3, 2),),
            kwargs=_BN_TEST,
        ),
        # Networks.
        ConformanceCase(
            "nets.MLP",
            create=lambda: MLP([4, 3], use_dropout=True),
            inputs=lambda: (ramp(2, 5),),
            kwargs={"is_training": False},  # dropout configured but off: deterministic
        ),
        ConformanceCase(
            "nets.ConvNet2D",
            create=lambda: ConvNet2D(
                [3, 2],
                kernel_shapes=[3],
                strides=[1, 2],
                paddings=["SAME"],
                normalization_ctor=BatchNorm,
                normalization_kwargs={"scale": True, "eps": _BN_EPS},
            ),
            inputs=lambda: (ramp(2, 4, 4, 2),),
            kwargs=_BN_TEST,
        ),
        # Attention and Transformers (dropout off: deterministic).
        ConformanceCase(
            "AttentiveRead",
            create=lambda: AttentiveRead(MLP([3, 1])),
            inputs=lambda: (ramp(2, 4, 3), ramp(2, 2, offset=0.5), tf.constant(_READ_MASK)),
        ),
        ConformanceCase(
            "nets.transformer.MultiheadAttention",
            create=lambda: MultiheadAttention(
                value_size=2,
                key_size=3,
                num_heads=2,
                mask=tf.concat([tf.zeros([1, 1, 3, 2]), future_mask(3, tf.float32)], axis=3),
            ),
            inputs=lambda: (ramp(2, 3, 4), None, ramp(2, 2, 4, offset=0.5)),  # with a memory
        ),
        ConformanceCase(
            "nets.TransformerTower",
            create=lambda: TransformerTower(
                value_size=2, num_heads=2, num_layers=2, output_size=3, mlp_hidden_sizes=[5]
            ),
            inputs=lambda: (ramp(2, 3, 4),),
            kwargs={"is_training": False},
        ),
        # Vector quantizers: evaluation connections (training ones move the codes).
        ConformanceCase(
            "nets.VectorQuantizer",
            create=lambda: VectorQuantizer(embedding_dim=3, num_embeddings=5, commitment_cost=0.25),
            inputs=lambda: (ramp(2, 4, 3),),
            kwargs={"is_training": False},
        ),
        ConformanceCase(
            "nets.VectorQuantizerEMA",
            create=lambda: VectorQuantizerEMA(
                embedding_dim=3, num_embeddings=5, commitment_cost=0.25, decay=0.9
            ),
            inputs=lambda: (ramp(2, 4, 3),),
            kwargs={"is_training": False},
        ),
    ] + _conformance_more.cases()
