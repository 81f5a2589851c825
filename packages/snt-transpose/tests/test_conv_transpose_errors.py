"""Every error of the transposed convolutions: class, module name, expected and got."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_transpose import _plugin
from snt_transpose.conv_transpose import Conv2DTranspose
from sonnet.testing import isolated_registry


def test_constructor_errors(eager):
    with pytest.raises(TypeError, match=r"up: output_channels must be a positive int .*got 0"):
        snt.Conv2DTranspose(0, kernel_shape=3, name="up")
    with pytest.raises(ValueError, match=r"up_1: `kernel_shape` cannot be None. Give an int or 2"):
        snt.Conv2DTranspose(2, name="up")
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"up_2: Invalid kernel shape: x is \(3, 3, 3\), must be either a positive integer "
        r"or an iterable of positive integers of size 2",
    ):
        snt.Conv2DTranspose(2, kernel_shape=(3, 3, 3), name="up")
    with pytest.raises(snt.IncompatibleShapeError, match=r"up_3: Invalid stride shape: x is -1,"):
        snt.Conv2DTranspose(2, kernel_shape=3, stride=-1, name="up")
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"up_4: Invalid stride \(2, 2, 2, 1\): a full-rank stride must be 1 .*first and last",
    ):
        snt.Conv2DTranspose(2, kernel_shape=3, stride=(2, 2, 2, 1), name="up")
    with pytest.raises(ValueError, match=r"up_5: Padding must be member of .*got 'FULL'"):
        snt.Conv2DTranspose(2, kernel_shape=3, padding="FULL", name="up")
    with pytest.raises(ValueError, match=r"up_6: Padding must be member of .*'VALID'\)"):
        snt.Conv2DTranspose(2, kernel_shape=3, padding=("SAME", "VALID"), name="up")
    with pytest.raises(ValueError, match=r"up_7: Invalid data_format 'NCW'; the allowed formats"):
        snt.Conv2DTranspose(2, kernel_shape=3, data_format="NCW", name="up")
    with pytest.raises(
        snt.IncompatibleShapeError, match=r"up_8: Invalid output_shape shape: x is \(4, 0\)"
    ):
        snt.Conv2DTranspose(2, output_shape=(4, 0), kernel_shape=3, name="up")
    with pytest.raises(KeyError, match=r"up_9.*'c'"):
        snt.Conv2DTranspose(
            2, kernel_shape=3, initializers={"c": tf.zeros_initializer()}, name="up"
        )
    with pytest.raises(KeyError, match=r"up_10.*'b'"):
        snt.Conv2DTranspose(
            2, kernel_shape=3, use_bias=False, regularizers={"b": tf.nn.l2_loss}, name="up"
        )
    with pytest.raises(TypeError, match=r"up_11.*callable"):
        snt.Conv2DTranspose(2, kernel_shape=3, partitioners={"w": 3}, name="up")


def test_connection_errors(mode):
    mod = snt.Conv2DTranspose(2, kernel_shape=3, stride=2, name="up")
    with pytest.raises(
        snt.IncompatibleShapeError,
        match=r"up: Input Tensor must have rank 4 corresponding to data_format NHWC",
    ):
        mod(tf.ones([1, 4, 4]))
    with pytest.raises(TypeError, match=r"up: Input must have dtype tf.float16, .*was int32"):
        mod(tf.ones([1, 4, 4, 3], tf.int32))
    mod(tf.ones([1, 4, 4, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match=r"up: .*channels must stay 3 .*got 5"):
        mod(tf.ones([1, 4, 4, 5]))


def test_output_shape_not_fitting_the_input_fails_when_run(mode):
    # As in Sonnet 1 (where the TensorFlow op failed): the graph builds, running it fails.
    fixed = snt.Conv2DTranspose(2, output_shape=(9, 8), kernel_shape=3, stride=2, name="fixed")
    fits = fixed(tf.ones([1, 5, 4, 3]))
    message = (
        r"fixed: output_shape \[9, 8\] does not fit the input spatial shape \[4, 4\]: a "
        r"SAME convolution with kernel \[3, 3\] and stride \[2, 2\] maps it to \[5, 4\]"
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        mode.evaluate(fixed(tf.ones([1, 4, 4, 3])))
    assert mode.evaluate(fits).shape == (1, 9, 8, 2)


def test_unknown_channels_are_refused():
    with tf.Graph().as_default():
        mod = snt.Conv2DTranspose(2, kernel_shape=3, data_format="NCHW", name="up")
        x = tf.compat.v1.placeholder(tf.float32, [1, None, 4, 4])
        with pytest.raises(
            snt.UnderspecifiedError, match=r"up: Number of input channels must be known"
        ):
            mod(x)


def test_deferred_values_are_checked(mode):
    bad_channels = snt.Conv2DTranspose(lambda: "3", kernel_shape=3, name="up")
    with pytest.raises(TypeError, match=r"up: the output_channels callable must return a .*'3'"):
        bad_channels(tf.ones([1, 2, 2, 1]))
    bad_shape = snt.Conv2DTranspose(2, output_shape=lambda: (4,), kernel_shape=3, name="up2")
    with pytest.raises(TypeError, match=r"up2: the output_shape callable must return 2 .*\(4,\)"):
        bad_shape(tf.ones([1, 2, 2, 1]))


def test_before_connection(eager):
    mod = snt.Conv2DTranspose(2, kernel_shape=3, name="up")
    for attribute in ("w", "b", "input_shape", "input_channels", "output_shape"):
        with pytest.raises(snt.NotConnectedError, match="up: "):
            getattr(mod, attribute)


def test_transpose_needs_snt_nets(eager):
    # A registry without snt-nets: the Conv2D to transpose back to is missing.
    mod = Conv2DTranspose(2, kernel_shape=3, name="up")
    with isolated_registry(plugins=[(_plugin, "snt-transpose")]):
        with pytest.raises(
            snt.NotSupportedError,
            match=r"up: transpose\(\) needs snt.Conv2D from the snt-nets package: snt.Conv2D is "
            r"provided by snt-nets",
        ):
            mod.transpose()


def test_numpy_inputs_are_accepted(mode):
    deconv = snt.Conv2DTranspose(2, kernel_shape=2, stride=2)
    out = mode.evaluate(deconv(np.ones([1, 3, 3, 4], np.float32)))
    assert out.shape == (1, 6, 6, 2)
