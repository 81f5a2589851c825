"""Autoencoders built from a network and its transpose, across snt-nets and snt-transpose."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def encoder(strides, paddings):
    convs = [
        snt.Conv2D(4, kernel_shape=3, stride=strides[0], padding=paddings[0], name="enc_0"),
        snt.Conv2D(6, kernel_shape=2, stride=strides[1], padding=paddings[1], name="enc_1"),
    ]
    return convs + [
        snt.BatchFlatten(name="flat"),
        snt.Linear(5, name="code"),
        snt.AddBias(name="shift"),
        snt.nets.MLP([7, 3], name="mlp"),
    ]


def transposes(modules):
    """Every module's transpose, in reverse order, built before any connection."""
    return [m.transpose() for m in reversed(modules)]


@pytest.mark.parametrize(
    "size, strides, paddings",
    [
        ((9, 9), (2, 3), ("SAME", "VALID")),
        ((8, 10), (2, 2), ("VALID", "SAME")),
        ((7, 12), (3, 1), ("SAME", "SAME")),
        ((10, 7), (1, 2), ("VALID", "VALID")),
    ],
)
def test_mixed_autoencoder_reconstructs_shape(mode, size, strides, paddings):
    enc = encoder(strides, paddings)
    dec = transposes(enc)
    x = tf.random.normal([2, *size, 3])
    net = x
    for m in enc:
        net = tf.nn.relu(m(net)) if isinstance(m, snt.Conv2D) else m(net)
    code = net
    for m in dec:
        net = m(net)
    assert code.shape.as_list() == [2, 3] and net.shape.as_list() == [2, *size, 3]
    names = [m.module_name for m in dec]
    assert names == [
        "mlp_transpose",
        "shift_transpose",
        "code_transpose",
        "flat_transpose",
        "enc_1_transpose",
        "enc_0_transpose",
    ]
    assert mode.evaluate(net).shape == (2, *size, 3)


@pytest.mark.parametrize("size", [(9, 9), (8, 8), (11, 6)])
@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_convnet_autoencoder(mode, size, data_format):
    net = snt.nets.ConvNet2D(
        [4, 6, 8],
        kernel_shapes=[3, 2, 3],
        strides=[2, 3, 1],
        paddings=["SAME", "VALID", "SAME"],
        data_format=data_format,
    )
    back = net.transpose()  # before the original is connected
    shape = [2, 3, *size] if data_format == "NCHW" else [2, *size, 3]
    x = tf.random.normal(shape)
    y = back(net(x))
    assert y.shape.as_list() == shape
    loss = tf.reduce_mean(tf.square(y - x))
    assert np.isfinite(mode.evaluate(loss))


def test_transposed_module_connected_first_names_the_original(eager):
    lin = snt.Linear(4, name="orig_lin")
    add = snt.AddBias(name="orig_add")
    flat = snt.BatchReshape([6], name="orig_reshape")
    mlp = snt.nets.MLP([3, 2], name="orig_mlp")
    conv = snt.Conv2D(2, 3, name="orig_conv")
    convnet = snt.nets.ConvNet2D([2], [3], [1], ["SAME"], name="orig_net")
    cases = [
        (lin, tf.ones([1, 4])),
        (flat, tf.ones([1, 6])),
        (mlp, tf.ones([1, 2])),
        (conv, tf.ones([1, 4, 4, 2])),
        (convnet, tf.ones([1, 4, 4, 2])),
    ]
    for original, inputs in cases:
        # MLP's transpose reads its layers, so the message names ``orig_mlp/linear_1``.
        pattern = rf"^{original.module_name}(/\w+)?: module not connected"
        with pytest.raises(snt.NotConnectedError, match=pattern):
            original.transpose()(inputs)
    # AddBias' transpose takes its shape from the original when connected: Sonnet 1's
    # ParentNotBuiltError, naming the transposed module and the original's role.
    with pytest.raises(snt.ParentNotBuiltError, match="^orig_add_transpose: .*original"):
        add.transpose()(tf.ones([1, 4]))


def test_autoencoder_in_tf_function_trains(eager):
    net = snt.nets.ConvNet2D([4, 8], kernel_shapes=[3], strides=[2], paddings=["SAME"])
    back = net.transpose()
    x = tf.random.normal([4, 9, 9, 1])
    opt_vars = []

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(back(net(x)) - x))
        variables = net.trainable_variables + back.trainable_variables
        opt_vars[:] = variables
        for v, g in zip(variables, tape.gradient(loss, variables), strict=True):
            v.assign_sub(0.1 * g)
        return loss

    first = step().numpy()
    for _ in range(20):
        last = step().numpy()
    assert last < first
    assert len(opt_vars) == 8
    assert {v.name.split("/")[0] for v in opt_vars} == {"conv_net_2d", "conv_net_2d_transpose"}
