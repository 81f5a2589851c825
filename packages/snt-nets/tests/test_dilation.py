import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt
from snt_nets.nets.identity_kernels import _range_along_dimension

RATES = [1, 1, 2, 4, 8, 16, 1, 1]


def _dilated_conv(x, w, b, rate):
    """NumPy: a 3x3 convolution with dilation ``rate`` and SAME padding."""
    padded = np.pad(x, [(0, 0), (rate, rate), (rate, rate), (0, 0)])
    height, width = x.shape[1:3]
    out = np.zeros(x.shape[:3] + (w.shape[-1],))
    for a in range(3):
        for c in range(3):
            patch = padded[:, a * rate : a * rate + height, c * rate : c * rate + width]
            out += np.einsum("nhwi,io->nhwo", patch, w[a, c])
    return out + b


def _reference(x, params):
    for i, (w, b) in enumerate(params):
        x = _dilated_conv(x, w, b, RATES[i])
        if i < len(params) - 1:
            x = np.maximum(x, 0)
    return x


def test_identity_kernel_matches_numpy(mode):
    kernel = mode.evaluate(snt.nets.identity_kernel_initializer([3, 3, 5, 5]))
    expected = np.zeros([3, 3, 5, 5])
    expected[1, 1] = np.eye(5)
    np.testing.assert_array_equal(kernel, expected)
    kernel = snt.nets.identity_kernel_initializer([5, 5, 2, 2], dtype=tf.float64)
    assert kernel.dtype == tf.float64
    assert mode.evaluate(kernel)[2, 2].tolist() == [[1, 0], [0, 1]]


@pytest.mark.parametrize("shape", [[2, 2], [2, 3, 1, 1], [2, 2, 1, 1], [3, 3, 2, 1]])
def test_identity_kernel_rejects_bad_shapes(shape):
    with pytest.raises(ValueError, match="Identity initializer|rank 4"):
        snt.nets.identity_kernel_initializer(shape)


def test_noisy_identity_kernel_matches_numpy(mode):
    init = snt.nets.noisy_identity_kernel_initializer(2, stddev=0.0)
    kernel = mode.evaluate(init([3, 3, 4, 8]))
    expected = np.zeros([3, 3, 4, 8])
    for i in range(4):
        for o in range(8):
            if i * 2 // 4 == o * 2 // 8:  # the same one of the 2 channel groups
                expected[1, 1, i, o] = 2 / 8
    np.testing.assert_array_equal(kernel, expected)
    # With noise: the off entries are small, and summing over outputs still gives 1.
    noisy = mode.evaluate(snt.nets.noisy_identity_kernel_initializer(2, 1e-3)([3, 3, 4, 8]))
    np.testing.assert_allclose(noisy.sum(axis=3)[1, 1], np.ones(4), atol=1e-2)
    assert np.abs(noisy[0]).max() < 3e-3 and np.abs(noisy[0]).max() > 0


@pytest.mark.parametrize("shape", [[2, 2], [2, 3, 1, 1], [2, 2, 1, 1], [3, 3, 2, 7]])
def test_noisy_identity_kernel_rejects_bad_shapes(shape):
    with pytest.raises(ValueError, match="Noisy identity initializer|rank 4"):
        snt.nets.noisy_identity_kernel_initializer(2)(shape)


def test_range_along_dimension(mode):
    values = mode.evaluate([_range_along_dimension(d, [2, 3, 4]) for d in range(3)])
    for d, value in enumerate(values):
        np.testing.assert_array_equal(value, np.indices([2, 3, 4])[d])
    with pytest.raises(ValueError, match="Cannot calculate range along non-existent index"):
        _range_along_dimension(2, [2, 4])


@pytest.mark.parametrize("classes", [1, 3])
def test_basic_starts_as_the_identity(mode, classes):
    images = np.abs(np.random.RandomState(0).randn(2, 5, 6, classes)).astype(np.float32)
    module = snt.nets.Dilation(num_output_classes=classes)
    out = module(tf.constant(images))
    assert out.shape.as_list() == [2, 5, 6, classes]
    np.testing.assert_allclose(mode.evaluate(out), images, atol=1e-6)
    names = [(v.name, v.shape.as_list()) for v in module.get_all_variables()]
    shapes = {"b": [classes], "w": [3, 3, classes, classes]}
    assert names == [
        (f"dilation/dilated_conv_conv{i}/{k}:0", shapes[k]) for i in range(1, 9) for k in "bw"
    ]


@pytest.mark.parametrize("classes", [1, 2])
def test_large_preserves_the_per_pixel_sum(mode, classes):
    images = np.abs(np.random.RandomState(1).randn(1, 5, 5, 3 * classes)).astype(np.float32)
    module = snt.nets.Dilation(num_output_classes=classes, model_size="large")
    out = mode.evaluate(module(tf.constant(images)))
    assert out.shape == (1, 5, 5, classes)
    np.testing.assert_allclose(out.sum(axis=3), images.sum(axis=3), atol=1e-3)
    widths = [v.shape.as_list()[-1] for v in module.get_all_variables() if v.name.endswith("b:0")]
    assert widths == [m * classes for m in (2, 2, 4, 8, 16, 32, 32, 1)]


def test_rates_match_numpy_with_random_weights(mode):
    initializers = {
        "w": tf.compat.v1.truncated_normal_initializer(stddev=0.4, seed=3),
        "b": tf.compat.v1.random_uniform_initializer(-0.1, 0.1, seed=4),
    }
    module = snt.nets.Dilation(num_output_classes=2, initializers=initializers)
    images = np.random.RandomState(2).randn(1, 9, 7, 2).astype(np.float32)
    out = module(tf.constant(images))
    layers = [m.layers[0] for m in module.conv_modules]
    assert [layer.module_name for layer in layers] == [f"dilated_conv_conv{i}" for i in range(1, 9)]
    params = mode.evaluate([(layer.w, layer.b) for layer in layers])
    np.testing.assert_allclose(mode.evaluate(out), _reference(images, params), rtol=1e-4, atol=1e-5)
    if mode.eager:
        again = tf.function(module)(tf.constant(images))
        np.testing.assert_allclose(again.numpy(), _reference(images, params), rtol=1e-4, atol=1e-5)
        assert len(module.get_all_variables()) == 16


def test_conv_modules_and_sharing(mode):
    module = snt.nets.Dilation(num_output_classes=2)
    with pytest.raises(snt.NotConnectedError):
        _ = module.conv_modules
    module(tf.ones([1, 4, 4, 2]))
    module(tf.ones([3, 6, 6, 2]))
    assert isinstance(module.conv_modules, list) and len(module.conv_modules) == 8
    assert [m.module_name for m in module.conv_modules] == [f"conv{i}" for i in range(1, 9)]
    assert len(module.get_all_variables()) == 16
    assert (module.num_output_classes, module.model_size) == (2, "basic")


def test_regularizers(graph):
    regularizers = {"w": tf.nn.l2_loss, "b": tf.nn.l2_loss}
    snt.nets.Dilation(num_output_classes=1, regularizers=regularizers)(tf.ones([1, 3, 3, 1]))
    losses = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 16
    # Identity kernels: each w has one 1 (l2_loss 0.5), each b is zero.
    assert sorted(graph.evaluate(losses)) == [0.0] * 8 + [0.5] * 8


def test_errors_name_the_module(mode):
    module = snt.nets.Dilation(num_output_classes=1, name="m_dil")
    with pytest.raises(snt.IncompatibleShapeError, match="m_dil.*must have shape"):
        module(tf.ones([1, 5, 5]))
    for initializers in (None, {"w": snt.nets.noisy_identity_kernel_initializer(1)}):
        bad = snt.nets.Dilation(1, initializers=initializers, model_size="huge", name="m_dil")
        with pytest.raises(ValueError, match="m_dil.*Unrecognized model_size"):
            bad(tf.ones([1, 5, 5, 1]))
    with pytest.raises(KeyError, match="m_dil"):
        snt.nets.Dilation(1, regularizers={"not_w": tf.nn.l2_loss}, name="m_dil")
    with pytest.raises(TypeError, match="m_dil"):
        snt.nets.Dilation(1, regularizers={"w": 1.0}, name="m_dil")
    with pytest.raises(ValueError, match="m_dil.*num_output_classes"):
        snt.nets.Dilation(0, name="m_dil")


def test_default_initializers_need_a_fitting_depth(mode):
    with pytest.raises(snt.IncompatibleShapeError, match="m_dil.*equal num_output_classes \\(2\\)"):
        snt.nets.Dilation(2, name="m_dil")(tf.ones([1, 5, 5, 3]))
    with pytest.raises(snt.IncompatibleShapeError, match="m_dil.*multiple of num_output_classes"):
        snt.nets.Dilation(2, model_size="large", name="m_dil")(tf.ones([1, 5, 5, 3]))
    # Given kernels: any depth.
    init = {"w": tf.compat.v1.truncated_normal_initializer(stddev=0.1)}
    out = snt.nets.Dilation(2, initializers=init)(tf.ones([1, 5, 5, 3]))
    assert mode.evaluate(out).shape == (1, 5, 5, 2)
