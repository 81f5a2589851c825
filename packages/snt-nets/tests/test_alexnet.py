import warnings

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

# (channels, (kernel, stride), (pool size, pool stride) or None), fully connected sizes.
MINI = (
    [
        (48, (3, 1), (3, 1)),
        (128, (3, 1), (3, 1)),
        (192, (3, 1), None),
        (192, (3, 1), None),
        (128, (3, 1), (3, 1)),
    ],
    [1024, 1024],
)
FULL = (
    [
        (96, (11, 4), (3, 2)),
        (256, (5, 1), (3, 2)),
        (384, (3, 1), None),
        (384, (3, 1), None),
        (256, (3, 1), (3, 2)),
    ],
    [4096, 4096],
)


def _output_size(size, layers):
    """Spatial size after the VALID convolutions and poolings (0 when too small)."""
    for _, (kernel, stride), pool in layers:
        size = (size - kernel) // stride + 1 if size >= kernel else 0
        if pool is not None and size:
            size = (size - pool[0]) // pool[1] + 1 if size >= pool[0] else 0
    return size


def _min_size(layers):
    return next(n for n in range(1, 1000) if _output_size(n, layers) >= 1)


def _window(x, a, c, stride, oh, ow):
    """``x[:, a + stride * i, c + stride * j]`` for every output position ``(i, j)``."""
    return x[:, a : a + stride * (oh - 1) + 1 : stride, c : c + stride * (ow - 1) + 1 : stride]


def _conv(x, w, b, stride):
    kh, kw = w.shape[:2]
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, w.shape[-1]))
    for a in range(kh):
        for c in range(kw):
            out += np.einsum("nhwi,io->nhwo", _window(x, a, c, stride, oh, ow), w[a, c])
    return out + b


def _max_pool(x, size, stride):
    oh, ow = (x.shape[1] - size) // stride + 1, (x.shape[2] - size) // stride + 1
    out = np.full((x.shape[0], oh, ow, x.shape[-1]), -np.inf)
    for a in range(size):
        for c in range(size):
            out = np.maximum(out, _window(x, a, c, stride, oh, ow))
    return out


def _reference(x, architecture, convs, linears, norm=None):
    """NumPy AlexNet; ``norm(i, net)`` is the i-th batch normalization (or None)."""
    index = 0
    for (_, (_, stride), pool), (w, b) in zip(architecture[0], convs, strict=True):
        x = _conv(x, w, b, stride)
        if norm is not None:
            x, index = norm(index, x), index + 1
        x = np.maximum(x, 0)
        if pool is not None:
            x = _max_pool(x, *pool)
    x = x.reshape(x.shape[0], -1)
    for w, b in linears:
        x = x @ w + b
        if norm is not None and index < norm.count:
            x, index = norm(index, x), index + 1
        x = np.maximum(x, 0)
    return x


def _params(mode, net):
    convs = mode.evaluate([(m.w, m.b) for m in net.conv_modules])
    linears = mode.evaluate([(m.w, m.b) for m in net.linear_modules])
    return convs, linears


def test_min_input_size():
    mini, full = snt.nets.AlexNetMini(), snt.nets.AlexNetFull()
    assert mini.min_input_size == _min_size(MINI[0]) == 17
    assert full.min_input_size == _min_size(FULL[0]) == 195
    for layers in (
        [(None, (3, 1), None)],
        [(None, (3, 1), (3, 2))],
        [(None, (3, 1), (3, 2)), (None, (3, 2), (5, 2))],
    ):
        assert mini._calc_min_size(layers) == _min_size(layers)


@pytest.mark.parametrize("size", [17, 20])
def test_mini_matches_numpy(mode, size):
    net = snt.nets.AlexNetMini()
    x = np.random.RandomState(0).rand(2, size, size + 1, 3).astype(np.float32)
    out = net(tf.constant(x))
    final = _output_size(size, MINI[0]) * _output_size(size + 1, MINI[0])
    assert out.shape.as_list() == [2, 1024]
    channels = [3, 48, 128, 192, 192, 128]
    expected_variables = [("fc_0/w", [128 * final, 1024]), ("fc_0/b", [1024])]
    expected_variables += [("fc_1/w", [1024, 1024]), ("fc_1/b", [1024])]
    for i in range(5):
        expected_variables.append((f"conv_{i}/w", [3, 3, channels[i], channels[i + 1]]))
        expected_variables.append((f"conv_{i}/b", [channels[i + 1]]))
    assert [(v.name, v.shape.as_list()) for v in net.get_variables()] == sorted(
        (f"alex_net_mini/{name}:0", shape) for name, shape in expected_variables
    )
    convs, linears = _params(mode, net)
    expected = _reference(x, MINI, convs, linears)
    np.testing.assert_allclose(mode.evaluate(out), expected, rtol=1e-4, atol=1e-5)
    if mode.eager:
        again = tf.function(lambda v: net(v))(tf.constant(x))
        np.testing.assert_allclose(again.numpy(), expected, rtol=1e-4, atol=1e-5)


def test_full_matches_numpy(mode):
    net = snt.nets.AlexNet(mode=snt.nets.AlexNet.FULL)
    x = np.random.RandomState(1).rand(1, 195, 196, 3).astype(np.float32)
    out = net(tf.constant(x))
    assert out.shape.as_list() == [1, 4096] and net.module_name == "alex_net"
    assert [m.output_size for m in net.linear_modules] == [4096, 4096]
    convs, linears = _params(mode, net)
    expected = _reference(x, FULL, convs, linears)
    np.testing.assert_allclose(mode.evaluate(out), expected, rtol=1e-4, atol=1e-4)


class _Norm:
    """NumPy batch normalization on moving statistics (is_training=False, no local stats)."""

    def __init__(self, values, count):
        self.values, self.count = values, count

    def __call__(self, index, x):
        mean, variance, gamma, beta = (np.reshape(v, -1) for v in self.values[index])
        return (x - mean) / np.sqrt(variance + 1e-3) * gamma + beta


@pytest.mark.parametrize("bn_on_fc_layers, count", [(True, 7), (False, 5)])
def test_batch_norm_matches_numpy(mode, bn_on_fc_layers, count):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = snt.nets.AlexNet(
            mode=snt.nets.AlexNet.MINI,
            use_batch_norm=True,
            batch_norm_config={"scale": True},
            bn_on_fc_layers=bn_on_fc_layers,
        )
    expected_warnings = [DeprecationWarning] if bn_on_fc_layers else []
    assert [w.category for w in caught] == expected_warnings
    x = np.random.RandomState(2).rand(2, 17, 17, 3).astype(np.float32)
    net(tf.constant(x), is_training=True)  # creates the variables (and updates moving stats)
    out = net(tf.constant(x), is_training=False, test_local_stats=False)
    names = [v.name for v in net.get_variables(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)]
    assert len(names) == 14 + 4 * count and len(net.get_variables()) == 14 + 2 * count
    assert "alex_net/batch_norm/moving_mean:0" in names
    assert f"alex_net/batch_norm_{count - 1}/moving_variance:0" in names
    norms = [f"alex_net/batch_norm{'' if i == 0 else f'_{i}'}" for i in range(count)]
    by_name = {v.name: v for v in net.get_variables(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)}
    rng = np.random.RandomState(3)
    assigns = []
    for prefix in norms:
        for key, low, high in (
            ("moving_mean", -1, 1),
            ("moving_variance", 0.5, 2),
            ("gamma", 0.5, 1.5),
            ("beta", -0.5, 0.5),
        ):
            variable = by_name[f"{prefix}/{key}:0"]
            value = rng.uniform(low, high, variable.shape).astype(np.float32)
            assigns.append(variable.assign(value))
    if mode.eager:
        out = net(tf.constant(x), is_training=False, test_local_stats=False)
    else:
        mode.initialize()
        mode.session().run(assigns)
    stats = [
        [by_name[f"{p}/{k}:0"] for k in ("moving_mean", "moving_variance", "gamma", "beta")]
        for p in norms
    ]
    convs, linears = _params(mode, net)
    expected = _reference(x, MINI, convs, linears, _Norm(mode.evaluate(stats), count))
    np.testing.assert_allclose(mode.evaluate(out), expected, rtol=1e-3, atol=1e-4)


def test_batch_norm_with_tensor_flags(graph):
    net = snt.nets.AlexNetMini(use_batch_norm=True)
    inputs = tf.ones([1, 17, 17, 3])
    net(inputs, is_training=True)
    out = net(inputs, is_training=tf.constant(False), test_local_stats=tf.constant(False))
    assert graph.evaluate(out).shape == (1, 1024)


def test_dropout_and_keep_prob_check(mode):
    net = snt.nets.AlexNetMini()
    x = tf.constant(np.random.RandomState(4).rand(1, 17, 17, 3).astype(np.float32))
    plain = net(x)
    kept = net(x, keep_prob=1.0, is_training=False)
    dropped = net(x, keep_prob=0.5, is_training=True)
    plain_value, kept_value, dropped_value = mode.evaluate([plain, kept, dropped])
    np.testing.assert_array_equal(kept_value, plain_value)
    assert dropped_value.shape == (1, 1024) and not np.array_equal(dropped_value, plain_value)
    with pytest.raises(tf.errors.InvalidArgumentError, match="keep_prob"):
        mode.evaluate(net(x, keep_prob=0.7, is_training=False))
    if not mode.eager:  # checked when run, with fed flags
        keep = tf.compat.v1.placeholder(tf.float32, [])
        training = tf.compat.v1.placeholder(tf.bool, [])
        out = net(x, keep_prob=keep, is_training=training)
        mode.evaluate(out, {keep: 1.0, training: False})
        with pytest.raises(tf.errors.InvalidArgumentError, match="alex_net_mini.*keep_prob"):
            mode.evaluate(out, {keep: 0.5, training: False})


def test_sharing_and_initializers(mode):
    initializers = {"w": tf.compat.v1.constant_initializer(1.5), "b": tf.constant_initializer(2.5)}
    net = snt.nets.AlexNetMini(initializers=initializers)
    net(tf.ones([1, 20, 20, 3]), 0.7, is_training=True)
    net(tf.ones([2, 20, 20, 3]), 0.5, is_training=True)
    assert len(net.get_variables()) == 14
    if not mode.eager:
        assert len(tf.compat.v1.global_variables()) == 14
    for module in net.conv_modules + net.linear_modules:
        w, b = mode.evaluate([module.w, module.b])
        assert (w == 1.5).all() and (b == 2.5).all()


def test_custom_getter(mode):
    def set_to_const(getter, *args, **kwargs):
        return 0.0 * getter(*args, **kwargs) + 42.0

    net = snt.nets.AlexNetMini(custom_getter=set_to_const)
    out = net(tf.ones([1, 17, 17, 3]))
    for module in net.conv_modules + net.linear_modules:
        w, b = mode.evaluate([module.w, module.b])
        assert (w == 42.0).all() and (b == 42.0).all()
    assert mode.evaluate(out).shape == (1, 1024)


def test_regularizers_apply_to_convolutions_only(graph):
    regularizers = {"w": tf.nn.l2_loss, "b": tf.nn.l2_loss}
    net = snt.nets.AlexNetMini(regularizers=regularizers, name="alexnet1")
    net(tf.ones([1, 17, 17, 3]))
    losses = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 2 * len(net.conv_modules) == 10
    assert net.regularizers == regularizers and set(net.initializers) == set()


def test_partitioners(graph):
    partitioners = {
        "w": tf.compat.v1.fixed_size_partitioner(num_shards=2),
        "b": tf.compat.v1.fixed_size_partitioner(num_shards=2),
    }
    net = snt.nets.AlexNetMini(partitioners=partitioners)
    net(tf.compat.v1.placeholder(tf.float32, [None, 17, 17, 3]))
    assert net.partitioners == partitioners
    for module in net.conv_modules + net.linear_modules:
        for variable in (module.w, module.b):
            assert type(variable).__name__ == "PartitionedVariable" and len(list(variable)) == 2


def test_errors_name_the_module(mode):
    with pytest.raises(snt.Error, match="AlexNet construction mode 'BLAH' not recognised"):
        snt.nets.AlexNet(mode="BLAH")
    with pytest.raises(KeyError, match="m_alex"):
        snt.nets.AlexNetMini(initializers={"not_w": tf.zeros_initializer()}, name="m_alex")
    with pytest.raises(TypeError, match="m_alex"):
        snt.nets.AlexNetMini(regularizers={"w": 1.0}, name="m_alex")
    net = snt.nets.AlexNetMini(use_batch_norm=True, name="m_alex")
    with pytest.raises(snt.NotConnectedError):
        _ = net.conv_modules
    with pytest.raises(snt.NotConnectedError):
        _ = net.linear_modules
    with pytest.raises(ValueError, match="m_alex.*is_training flag must be explicitly specified"):
        net(tf.ones([1, 17, 17, 3]))
    with pytest.raises(ValueError, match="is_training flag must be explicitly specified"):
        snt.nets.AlexNetMini()(tf.ones([1, 17, 17, 3]), keep_prob=0.5)
    too_small = r"m_alex.*Image shape too small: \(16, 17\) < 17"
    with pytest.raises(snt.IncompatibleShapeError, match=too_small):
        net(tf.ones([1, 16, 17, 3]), is_training=True)
    with pytest.raises(snt.IncompatibleShapeError, match="m_alex"):
        net(tf.ones([17, 17, 3]), is_training=True)
