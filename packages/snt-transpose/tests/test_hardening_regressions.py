"""Regressions found by the property-based hardening tests (tests/integration/hardening).

Each test runs in graph and in eager mode (the ``mode`` fixture).
"""

import pytest
import tensorflow as tf

import sonnet as snt
from snt_transpose.conv_transpose import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
from snt_transpose.convnet_transpose import ConvNet2DTranspose


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda: Conv1DTranspose(2, kernel_shape=3, name="my_up"), [1, 4, 0]),
        (lambda: Conv2DTranspose(2, kernel_shape=3, stride=2, name="my_up"), [2, 3, 3, 0]),
        (
            lambda: Conv3DTranspose(2, kernel_shape=2, data_format="NCDHW", name="my_up"),
            [1, 0, 2, 2, 2],
        ),
    ],
)
def test_inputs_without_channels(mode, make, shape):
    # Used to fail with ZeroDivisionError in the default initializer.
    del mode
    with pytest.raises(snt.IncompatibleShapeError, match="my_up: .*at least one channel"):
        make()(tf.ones(shape))


@pytest.mark.parametrize("bad", [3, None, 2.5, "ab"])
def test_output_channels_must_be_a_sequence(mode, bad):
    del mode
    with pytest.raises(TypeError, match="my_net: output_channels must be iterable, with one entry"):
        ConvNet2DTranspose(bad, None, [3], [1], ["SAME"], name="my_net")


def test_bad_normalization_string(mode):
    del mode
    with pytest.raises(ValueError, match="my_net: bad normalization_ctor 'no_such.Norm'"):
        ConvNet2DTranspose(
            [2], None, [3], [1], ["SAME"], normalization_ctor="no_such.Norm", name="my_net"
        )
