"""snt.nets.ConvNet2DTranspose: layers, normalization, activations, errors."""

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt


def make(**kwargs):
    args = dict(
        output_channels=[4, 2],
        output_shapes=[(8, 8), (16, 16)],
        kernel_shapes=[3],
        strides=[2],
        paddings=["SAME"],
    )
    args.update(kwargs)
    return snt.nets.ConvNet2DTranspose(**args)


def test_layers_and_variable_names(mode):
    net = make()
    y = net(tf.ones([2, 4, 4, 3]))
    assert y.shape.as_list() == [2, 16, 16, 2]
    assert [type(layer) for layer in net.layers] == [snt.Conv2DTranspose] * 2
    assert sorted(v.name for v in net.variables) == [
        f"conv_net_2d_transpose/conv_2d_transpose_{i}/{v}:0" for i in (0, 1) for v in "bw"
    ]
    assert len(net.trainable_variables) == 4
    assert net.output_shapes == ((8, 8), (16, 16)) and net.rates == (1, 1)
    assert net.strides == (2, 2) and net.paddings == ("SAME", "SAME")
    assert net.input_shape == (2, 4, 4, 3)
    mode.evaluate(y)


def test_matches_its_layers_with_relu_between(mode):
    net = make(initializers={"b": tf.compat.v1.constant_initializer(-0.5)})
    x = tf.constant(np.random.RandomState(0).randn(1, 4, 4, 3).astype(np.float32))
    y = net(x)
    first, second = net.layers
    hidden = tf.nn.relu(tf.nn.conv2d_transpose(x, first.w, [1, 8, 8, 4], 2, "SAME") - 0.5)
    ref = tf.nn.conv2d_transpose(hidden, second.w, [1, 16, 16, 2], 2, "SAME") - 0.5
    out, expected = mode.evaluate((y, ref))
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    assert (out < 0).any()  # no final activation by default


def test_inferred_and_callable_output_shapes_nchw(mode):
    net = make(output_shapes=[None, lambda: (17, 17)], paddings=["VALID"], data_format="NCHW")
    y = net(tf.ones([1, 3, 3, 3]))
    assert y.shape.as_list() == [1, 2, 17, 17]  # 3 -> 3*2+3-1 = 8 -> 17 (given; 18 also fits)
    assert net.output_shapes == ((8, 8), (17, 17))
    all_inferred = make(output_shapes=None, name="inferred")
    assert all_inferred(tf.ones([1, 3, 5, 1])).shape.as_list() == [1, 12, 20, 2]
    mode.evaluate(y)


def test_normalization_and_final_activation(mode):
    net = make(use_batch_norm=True, activate_final=True, batch_norm_config={"offset": True})
    y = net(tf.ones([2, 4, 4, 3]), is_training=True)
    names = {v.name.split("/", 1)[1] for v in net.variables}
    assert "batch_norm_0/beta:0" in names and "batch_norm_1/beta:0" in names
    assert net.use_batch_norm and net.normalize_final and net.activate_final
    assert (mode.evaluate(y) >= 0).all()
    no_bias = make(use_bias=False, normalization_ctor="sonnet.BatchNorm", name="nb")
    with pytest.raises(
        TypeError, match=r"nb: .*unexpected keyword argument\(s\) \['unused_kwarg'\]"
    ):
        no_bias(tf.ones([2, 4, 4, 3]), is_training=False, unused_kwarg=1)
    no_bias(tf.ones([2, 4, 4, 3]), is_training=False)
    assert not any(v.name.endswith("/b:0") for v in no_bias.variables)


def test_tf_function(eager):
    net = make()
    x = tf.random.normal([2, 4, 4, 3])
    expected = net(x)
    np.testing.assert_allclose(tf.function(net)(x).numpy(), expected.numpy(), rtol=1e-5)
    assert len(net.variables) == 4


def test_errors(eager):
    with pytest.raises(ValueError, match="up: output_channels must not be empty"):
        make(output_channels=[], name="up")
    with pytest.raises(
        ValueError,
        match=r"up_1: kernel_shapes must be of length 1 or len\(output_channels\) \(2\); got 3",
    ):
        make(kernel_shapes=[1, 2, 3], name="up")
    with pytest.raises(ValueError, match=r"up_2: output_shapes must be of length 1 or len"):
        make(output_shapes=[(8, 8)] * 3, name="up")
    with pytest.raises(TypeError, match=r"up_3: output_shapes must be iterable.*got <function"):
        make(output_shapes=lambda: [(8, 8), (16, 16)], name="up")
    with pytest.raises(ValueError, match=r"up_4: Invalid data_format 'NWC'; the allowed formats"):
        make(data_format="NWC", name="up")
    with pytest.raises(
        ValueError,
        match="up_5: if use_batch_norm is specified, normalization_ctor and normalization_kwargs "
        "must not be",
    ):
        make(use_batch_norm=True, normalization_ctor=snt.BatchNorm, name="up")
    with pytest.raises(KeyError, match=r"up_6.*'gamma'"):
        make(initializers={"gamma": tf.zeros_initializer()}, name="up")
    with pytest.raises(ValueError, match=r"up_7/conv_2d_transpose_0: Padding must be member of"):
        make(paddings=["FULL"], name="up")
    with pytest.raises(snt.NotConnectedError, match="up_8: module not connected"):
        _ = make(name="up").input_shape
    with pytest.raises(TypeError, match="up_9: use_bias must be either a bool or an iterable"):
        make(use_bias=2, name="up")
    with pytest.raises(TypeError, match="up_10: Input 'activation' must be callable"):
        make(activation="relu", name="up")
    with pytest.raises(TypeError, match=r"up_11: strides must be iterable .*got True"):
        make(strides=True, name="up")
    with pytest.raises(
        ValueError,
        match="up_12: Boolean is_training flag must be explicitly specified when using batch "
        "normalization",
    ):
        make(normalization_ctor=snt.BatchNorm, name="up")(tf.ones([1, 4, 4, 3]))
