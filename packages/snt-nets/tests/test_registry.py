"""Every export resolves through ``snt`` (needs the editable install)."""

import importlib

import pytest

import sonnet as snt
from snt_nets._plugin import EXPORTS

EXPECTED_MODULES = {
    "Linear",
    "AddBias",
    "ConcatLinear",
    "TrainableVariable",
    "BatchReshape",
    "BatchFlatten",
    "FlattenTrailingDimensions",
    "MergeDims",
    "SliceByDim",
    "TileByDim",
    "SelectInput",
    "BatchApply",
    "Sequential",
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "CausalConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "InPlaneConv2D",
    "Embed",
    "LayerNorm",
    "BatchNorm",
    "BatchNormV2",
    "GridWarper",
    "AffineGridWarper",
    "BlockTriangularMatrix",
    "BlockDiagonalMatrix",
    "MovingAverage",
    "SpectralNormWrapper",
    "AttentiveRead",
}


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_export_resolves(export):
    module_name, attr = export.target.split(":")
    expected = getattr(importlib.import_module(module_name), attr)
    owner = snt.nets if export.namespace == "nets" else snt
    assert getattr(owner, export.name) is expected


def test_everything_is_exported():
    top = {e.name for e in EXPORTS if e.namespace is None}
    others = {"merge_leading_dims", "split_leading_dim", "SAME", "AffineWarpConstraints"}
    others |= {"OptimizationConstraints", "get_lagrange_multiplier"}
    others |= {"wrap_with_spectral_norm", "spectral_norm"}
    assert EXPECTED_MODULES | others <= top
    assert {e.name for e in EXPORTS if e.namespace == "nets"} == {
        "MLP",
        "ConvNet2D",
        "AlexNet",
        "AlexNetFull",
        "AlexNetMini",
        "Dilation",
        "identity_kernel_initializer",
        "noisy_identity_kernel_initializer",
        "TransformerTower",
        "future_mask",
        "transformer",
        "VectorQuantizer",
        "VectorQuantizerEMA",
    }


def test_plugin_module_imports_no_implementation_module():
    import subprocess
    import sys

    code = (
        "import sys, snt_nets._plugin; "
        "print(sorted(m for m in sys.modules if m.startswith('snt_nets')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['snt_nets', 'snt_nets._plugin', 'snt_nets._version']"


def test_guide_example(eager):
    import tensorflow as tf

    mlp = snt.Sequential(
        [snt.Linear(4, name="inp_to_hidden"), tf.sigmoid, snt.Linear(2, name="hidden_to_out")]
    )
    assert mlp(tf.ones([3, 5])).shape.as_list() == [3, 2]
    assert snt.nets.MLP([3])(tf.ones([1, 2])).shape.as_list() == [1, 3]
