"""snt.restore_from_checkpoint: TF1 Saver checkpoints into modules, graph/eager/tf.function."""

import numpy as np
import pytest
import tensorflow as tf
from checkpoint_helpers import (
    INPUTS,
    OUT,
    Net,
    VideoNorm,
    net_reference,
    restore,
    write_net_checkpoint,
    write_variables,
)
from core_test_modules import Affine

import sonnet as snt

v1 = tf.compat.v1
NET_NAMES = {"dense_0/w", "dense_0/b", "dense_1/w", "dense_1/b"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """``net/...`` trained 3 Momentum steps by a graph program; slots and global_step too."""
    return write_net_checkpoint(tmp_path_factory.mktemp("net"))


@pytest.fixture(scope="module")
def two_streams(tmp_path_factory):
    """``RGB/net/...`` and ``Flow/net/...`` (Adam: slots ``Adam``, ``Adam_1``, beta powers)."""
    return write_net_checkpoint(
        tmp_path_factory.mktemp("streams"), scopes=("RGB", "Flow"), optimizer="adam"
    )


def _values(mode, module):
    return {
        v.name.split(":")[0]: mode.evaluate(v)
        for v in module.get_all_variables(v1.GraphKeys.GLOBAL_VARIABLES)
    }


def test_restores_a_sonnet1_graph_checkpoint_bit_identically(mode, written):
    net = Net()
    net(tf.constant(INPUTS))
    report = restore(mode, net, written.path)
    assert report.applied and report.prefix == "net/"
    assert report.restored == {name: "net/" + name for name in NET_NAMES}
    assert report.missing == {} and report.reshaped == {} and report.unexpected == ()
    np.testing.assert_array_equal(mode.evaluate(net(tf.constant(INPUTS))), written.outputs[""])
    np.testing.assert_allclose(
        mode.evaluate(net(tf.constant(INPUTS))),
        net_reference(written.values, "net/", INPUTS),
        rtol=1e-5,
        atol=1e-6,
    )
    for name, value in _values(mode, net).items():
        np.testing.assert_array_equal(value, written.values[name])


def test_optimizer_state_is_listed_apart(mode, written, two_streams):
    net = Net()
    net(tf.constant(INPUTS))
    report = restore(mode, net, written.path)
    assert set(report.optimizer_state) == {f"net/{n}/Momentum" for n in NET_NAMES} | {"global_step"}
    net = Net(name="rgb_net")
    net(tf.constant(INPUTS))
    report = restore(mode, net, two_streams.path, prefix="RGB/net/")
    slots = {
        f"{s}/net/{n}/{a}" for s in ("RGB", "Flow") for n in NET_NAMES for a in ("Adam", "Adam_1")
    }
    assert set(report.optimizer_state) == slots | {"beta1_power", "beta2_power", "global_step"}
    assert report.unexpected == ()
    assert set(report.outside_prefix) == {f"Flow/net/{n}" for n in NET_NAMES}


def test_eager_uniquified_scope_maps_relative_to_the_module(eager, written):
    Net()(tf.constant(INPUTS))  # takes the scope "net"
    net = Net()
    assert not np.array_equal(net(tf.constant(INPUTS)).numpy(), written.outputs[""])
    assert net.scope_name == "net_1"
    report = snt.restore_from_checkpoint(net, written.path)
    assert report.prefix == "net/" and set(report.restored.values()) == {
        "net/" + n for n in NET_NAMES
    }
    np.testing.assert_array_equal(net(tf.constant(INPUTS)).numpy(), written.outputs[""])


def test_module_under_another_parent_scope(mode, written):
    with v1.variable_scope("student"):
        net = Net(name="renamed")
        net(tf.constant(INPUTS))
    assert net.scope_name == "student/renamed"
    report = restore(mode, net, written.path)
    assert report.prefix == "net/"
    np.testing.assert_array_equal(mode.evaluate(net(tf.constant(INPUTS))), written.outputs[""])


def test_prefix_picks_one_stream(mode, two_streams):
    net = Net()
    net(tf.constant(INPUTS))
    with pytest.raises(
        ValueError, match=r"net: .*several checkpoint scopes \('Flow/net/', 'RGB/net/'"
    ):
        snt.restore_from_checkpoint(net, two_streams.path)
    report = restore(mode, net, two_streams.path, prefix="Flow/net")  # trailing "/" optional
    assert report.prefix == "Flow/net/"
    np.testing.assert_array_equal(
        mode.evaluate(net(tf.constant(INPUTS))), two_streams.outputs["Flow"]
    )
    report = restore(mode, net, two_streams.path, prefix="RGB/net/")
    np.testing.assert_array_equal(
        mode.evaluate(net(tf.constant(INPUTS))), two_streams.outputs["RGB"]
    )


def test_relative_keys_from_get_saver(mode, tmp_path, written):
    # snt.get_saver writes keys relative to the module: restore finds them under "".
    values = {n: written.values["net/" + n] for n in NET_NAMES}
    path = write_variables(tmp_path, values)
    net = Net(name="other")
    net(tf.constant(INPUTS))
    report = restore(mode, net, path)
    assert report.prefix == ""
    np.testing.assert_array_equal(mode.evaluate(net(tf.constant(INPUTS))), written.outputs[""])


def test_explicit_mapping_dict_and_callable(mode, tmp_path, written):
    values = {k: v for k, v in written.values.items() if k.startswith("net/dense_0/")}
    values["head/kernel"] = written.values["net/dense_1/w"]
    values["head/bias"] = written.values["net/dense_1/b"]
    path = write_variables(tmp_path, values)
    net = Net()
    net(tf.constant(INPUTS))
    mapping = {"dense_1/w": "head/kernel", "dense_1/b": "head/bias"}
    report = restore(mode, net, path, mapping=mapping, strict=True)
    assert report.prefix == "net/" and report.restored["dense_1/w"] == "head/kernel"
    np.testing.assert_array_equal(mode.evaluate(net(tf.constant(INPUTS))), written.outputs[""])

    renames = {"dense_1/w": "head/kernel", "dense_1/b": "head/bias"}
    net2 = Net(name="net2")
    net2(tf.constant(INPUTS))
    report = restore(mode, net2, path, mapping=lambda name: renames.get(name, "net/" + name))
    assert report.restored == {n: renames.get(n, "net/" + n) for n in NET_NAMES}
    np.testing.assert_array_equal(mode.evaluate(net2(tf.constant(INPUTS))), written.outputs[""])


def test_mapping_to_none_skips_a_variable(mode, written):
    net = Net()
    net(tf.constant(INPUTS))
    report = restore(mode, net, written.path, mapping={"dense_1/w": None}, strict=True)
    assert report.skipped == ("dense_1/w",) and "dense_1/w" not in report.restored
    values = _values(mode, net)
    np.testing.assert_array_equal(values["net/dense_1/w"], np.ones([5, OUT], np.float32))
    np.testing.assert_array_equal(values["net/dense_0/w"], written.values["net/dense_0/w"])


def test_mapping_naming_no_variable_is_refused(eager, written):
    net = Net()
    net(tf.constant(INPUTS))
    with pytest.raises(KeyError, match=r"net: mapping names \['dense_9/w'\] .*'dense_0/b'"):
        snt.restore_from_checkpoint(net, written.path, mapping={"dense_9/w": "x"})


def test_missing_and_unexpected_keys(mode, tmp_path, written):
    net = Net(extra=True)  # a layer the checkpoint does not have
    net(tf.constant(INPUTS))
    report = restore(mode, net, written.path)
    assert report.missing == {"extra/w": "net/extra/w", "extra/b": "net/extra/b"}
    assert set(report.restored) == NET_NAMES
    # The extra layer keeps its initial values (identity weights of ones, zero bias).
    np.testing.assert_array_equal(
        mode.evaluate(net(tf.constant(INPUTS))),
        written.outputs[""] @ np.ones([OUT, OUT], np.float32),
    )
    with pytest.raises(
        ValueError, match=r"net: .*strict=True and 2 variables are missing.*extra/b"
    ):
        snt.restore_from_checkpoint(net, written.path, strict=True)

    bigger = write_net_checkpoint(tmp_path, extra=True)
    small = Net(name="small")
    small(tf.constant(INPUTS))
    report = restore(mode, small, bigger.path, prefix="net/", strict=True)
    assert report.unexpected == ("net/extra/b", "net/extra/w") and report.missing == {}


def test_strict_failure_assigns_nothing(eager, written):
    net = Net(extra=True)
    net(tf.constant(INPUTS))
    with pytest.raises(ValueError, match="strict=True"):
        snt.restore_from_checkpoint(net, written.path, strict=True)
    assert all(np.all(v.numpy() == 1) for v in net.variables if v.name.endswith("/w:0"))


@pytest.mark.parametrize("checkpoint_shape", [[3], [1, 3], [3, 1]])
def test_size_one_dimensions_are_reconciled(mode, tmp_path, checkpoint_shape):
    rng = np.random.default_rng(0)
    stats = {
        f"video/batch_norm/{n}": rng.uniform(0.5, 2.0, size=checkpoint_shape).astype(np.float32)
        for n in ("moving_mean", "moving_variance", "beta")
    }
    path = write_variables(tmp_path, stats)
    norm = VideoNorm()
    x = rng.normal(size=[2, 3, 2, 2, 3]).astype(np.float32)
    norm(tf.constant(x))
    report = restore(mode, norm, path, prefix="video/batch_norm/", strict=True)
    assert report.reshaped == {
        n: (tuple(checkpoint_shape), (1, 1, 1, 1, 3))
        for n in ("moving_mean", "moving_variance", "beta")
    }
    assert set(report.restored) == set(report.reshaped)
    mean, var, beta = (
        stats[f"video/batch_norm/{n}"].reshape(3)
        for n in ("moving_mean", "moving_variance", "beta")
    )
    expected = (x - mean) / np.sqrt(var + np.float32(1e-3)) + beta
    np.testing.assert_allclose(mode.evaluate(norm(tf.constant(x))), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(
        mode.evaluate(norm.get_all_variables(v1.GraphKeys.GLOBAL_VARIABLES)[0]).ravel(),
        stats["video/batch_norm/beta"].ravel(),
    )


def test_trainable_collection_leaves_statistics_alone(mode, tmp_path):
    path = write_variables(
        tmp_path,
        {
            f"batch_norm/{n}": np.full([3], 5.0, np.float32)
            for n in ("moving_mean", "moving_variance", "beta")
        },
    )
    norm = VideoNorm()
    norm(tf.zeros([1, 1, 1, 1, 3]))
    report = restore(mode, norm, path, collection=v1.GraphKeys.TRAINABLE_VARIABLES)
    assert set(report.restored) == {"beta"}
    assert set(report.unexpected) == {"batch_norm/moving_mean", "batch_norm/moving_variance"}


@pytest.mark.parametrize(
    "stored, message",
    [
        (
            np.zeros([5, 4], np.float32),
            r"net/dense_0/w <- net/dense_0/w: checkpoint shape \[5, 4\], variable shape \[4, 5\]",
        ),
        (
            np.zeros([4, 5, 2], np.float32),
            r"net/dense_0/w <- net/dense_0/w: checkpoint shape \[4, 5, 2\], variable shape \[4, 5",
        ),
        (
            np.zeros([4, 5], np.float64),
            r"net/dense_0/w <- net/dense_0/w: checkpoint dtype float64, variable dtype float32",
        ),
    ],
)
def test_other_mismatches_are_refused_before_assigning(mode, tmp_path, written, stored, message):
    values = dict(written.values)
    values["net/dense_0/w"] = stored
    path = write_variables(
        tmp_path, {k: v for k, v in values.items() if "/Momentum" not in k and k != "global_step"}
    )
    net = Net()
    y = net(tf.constant(INPUTS))
    before = mode.evaluate(y)
    with pytest.raises(
        ValueError, match=r"net: checkpoint .* does not fit the module.*\n  " + message
    ):
        restore(mode, net, path)
    np.testing.assert_array_equal(
        mode.evaluate(net(tf.constant(INPUTS))), before
    )  # nothing assigned


def test_graph_mode_returns_the_restore_op(tmp_path, written):
    with tf.Graph().as_default() as graph:
        net = Net()
        y = net(tf.constant(INPUTS))
        existing = len(graph.get_operations())
        report = snt.restore_from_checkpoint(net, written.path)
        assert not report.applied and report.op.type == "NoOp" and report.op.graph is graph
        new_ops = graph.get_operations()[existing:]
        assert [op.type for op in new_ops].count("RestoreV2") == 1
        value_constants = [
            op for op in new_ops if op.type == "Const" and op.get_attr("dtype") == tf.float32
        ]
        assert not value_constants  # the values come from the RestoreV2 op, not Python
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            assert not np.array_equal(sess.run(y), written.outputs[""])
            sess.run(report.op)
            np.testing.assert_array_equal(sess.run(y), written.outputs[""])


def test_graph_mode_from_outside_the_graph(tmp_path, written):
    graph = tf.Graph()
    with graph.as_default():
        net = Net()
        y = net(tf.constant(INPUTS))
        init = v1.global_variables_initializer()
    report = snt.restore_from_checkpoint(net, written.path)  # eager context, graph module
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        sess.run(report.op)
        np.testing.assert_array_equal(sess.run(y), written.outputs[""])


def test_tf_function_connect_then_restore_eagerly(eager, written):
    net = Net()

    @tf.function
    def forward(x):
        return net(x)

    forward(tf.constant(INPUTS))  # creates the variables in the first trace
    traces = forward.experimental_get_tracing_count()
    report = snt.restore_from_checkpoint(net, written.path, strict=True)
    assert report.applied and report.op is None
    np.testing.assert_array_equal(forward(tf.constant(INPUTS)).numpy(), written.outputs[""])
    assert forward.experimental_get_tracing_count() == traces  # same variables, no retrace


def test_restore_before_tracing(eager, written):
    net = Net()
    net(tf.constant(INPUTS))
    snt.restore_from_checkpoint(net, written.path)
    forward = tf.function(net)
    np.testing.assert_array_equal(forward(tf.constant(INPUTS)).numpy(), written.outputs[""])


def test_inside_tf_function(eager, written):
    net = Net()
    net(tf.constant(INPUTS))
    reports = []

    @tf.function
    def load():
        reports.append(snt.restore_from_checkpoint(net, written.path))

    load()
    assert reports[0].op is not None and not reports[0].applied
    np.testing.assert_array_equal(net(tf.constant(INPUTS)).numpy(), written.outputs[""])


@pytest.mark.parametrize("writer_parts, reader_parts", [(1, 3), (3, 1), (2, 3)])
def test_partitioned_variables(mode, tmp_path, writer_parts, reader_parts):
    table = np.arange(12 * 2, dtype=np.float32).reshape(12, 2)

    def build(parts):
        partitioner = v1.fixed_size_partitioner(parts) if parts > 1 else None
        return snt.Module(
            lambda ids: tf.nn.embedding_lookup(
                v1.get_variable("embeddings", [12, 2], partitioner=partitioner), ids
            ),
            name="embed",
        )

    with tf.Graph().as_default():
        module = build(writer_parts)
        module(tf.constant([0]))
        with v1.Session() as sess:
            for v in module.get_all_variables():
                offset = v._save_slice_info.var_offset[0] if writer_parts > 1 else 0
                v.load(table[offset : offset + v.shape[0]], sess)
            path = v1.train.Saver().save(sess, str(tmp_path / "model.ckpt"))
    reader = build(reader_parts)
    ids = tf.constant([0, 5, 11, 7])
    reader(ids)
    report = restore(mode, reader, path, strict=True)
    assert report.restored == {"embeddings": "embed/embeddings"}
    np.testing.assert_array_equal(mode.evaluate(reader(ids)), table[[0, 5, 11, 7]])


def test_directory_resolves_to_the_latest_checkpoint(eager, written):
    net = Net()
    net(tf.constant(INPUTS))
    directory = written.path.rsplit("/", 1)[0]
    report = snt.restore_from_checkpoint(net, directory)
    assert report.checkpoint == written.path


def test_report_text(eager, written):
    net = Net(extra=True)
    net(tf.constant(INPUTS))
    text = str(snt.restore_from_checkpoint(net, written.path))
    assert f"restored 4 variables from {written.path} (prefix 'net/'), reshaped 0" in text
    assert "missing in the checkpoint: 2 (extra/b, extra/w)" in text
    assert "optimizer state (not restored): 5" in text and "skipped" not in text


def test_nothing_found_is_an_error(mode, written, tmp_path):
    net = Net()
    net(tf.constant(INPUTS))
    with pytest.raises(
        ValueError,
        match=r"net: .*none of the module's variables is there under prefix 'other/'.*dense_0/b",
    ):
        snt.restore_from_checkpoint(net, written.path, prefix="other/")


def test_object_based_checkpoint_gets_a_hint(eager, tmp_path):
    net = Net()
    net(tf.constant(INPUTS))
    path = tf.train.Checkpoint(model=net).write(str(tmp_path / "object"))
    with pytest.raises(ValueError, match=r"object-based checkpoint \(tf.train.Checkpoint\)"):
        snt.restore_from_checkpoint(net, path)


def test_usage_errors(mode, written, tmp_path):
    net = Net()
    with pytest.raises(
        snt.NotConnectedError, match=r"net: restore_from_checkpoint needs a connected module"
    ):
        snt.restore_from_checkpoint(net, written.path)
    net(tf.constant(INPUTS))
    with pytest.raises(FileNotFoundError, match=r"No name-based checkpoint at '.*nope'"):
        snt.restore_from_checkpoint(net, str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError, match="No checkpoint in directory"):
        snt.restore_from_checkpoint(net, tmp_path)
    with pytest.raises(TypeError, match=r"expected a Sonnet module .* got str"):
        snt.restore_from_checkpoint("net", written.path)
    with pytest.raises(TypeError, match="mapping must be a dict or a callable, got list"):
        snt.restore_from_checkpoint(net, written.path, mapping=[("a", "b")])
    if mode.eager:
        with pytest.raises(ValueError, match="net: session= is for graph mode"):
            snt.restore_from_checkpoint(net, written.path, session=v1.Session())


def test_reference_variables_in_graph_mode(tmp_path):
    # TF1 programs (tf.disable_v2_behavior) make reference variables, not resource ones.
    path = write_variables(tmp_path, {"scale/w": np.array([2.0, 3.0, 4.0], np.float32)})
    with tf.Graph().as_default():
        w_holder = []

        def build(x):
            w_holder.append(v1.get_variable("w", [1, 1, 3], use_resource=False))
            return x * w_holder[-1]

        scale = snt.Module(build, name="scale")
        y = scale(tf.ones([2, 1, 3]))
        assert type(w_holder[0]).__name__ == "RefVariable"
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            report = snt.restore_from_checkpoint(scale, path, session=sess)
            assert report.reshaped == {"w": ((3,), (1, 1, 3))}
            np.testing.assert_array_equal(sess.run(y), np.tile([[[2.0, 3.0, 4.0]]], [2, 1, 1]))


class Wrapper(snt.AbstractModule):
    """Owns ``scale``; its Affine is built in ``__init__`` outside its scope (``inner/w``)."""

    def __init__(self, name="wrapper"):
        super().__init__(name=name)
        self._inner = Affine(2, name="inner")

    def _build(self, x):
        return self._inner(x) * v1.get_variable("scale", [], initializer=tf.ones_initializer())


def test_submodule_outside_the_scope_keeps_its_full_name(mode, tmp_path):
    values = {
        "old/wrapper/scale": np.float32(3.0),
        "inner/w": np.arange(6, dtype=np.float32).reshape(3, 2),
        "inner/b": np.array([1.0, -1.0], np.float32),
    }
    path = write_variables(tmp_path, values)
    wrapper = Wrapper()
    x = np.ones([1, 3], np.float32)
    wrapper(tf.constant(x))
    report = restore(mode, wrapper, path, strict=True)
    assert report.prefix == "old/wrapper/"
    assert report.restored == {
        "scale": "old/wrapper/scale",
        "inner/w": "inner/w",
        "inner/b": "inner/b",
    }
    expected = (x @ values["inner/w"] + values["inner/b"]) * 3.0
    np.testing.assert_array_equal(mode.evaluate(wrapper(tf.constant(x))), expected)
