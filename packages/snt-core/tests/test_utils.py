"""Sonnet 1's utility functions."""

import functools
import logging

import numpy as np
import pytest
import tensorflow as tf
from core_test_modules import Affine, MyMLP, batch

import sonnet as snt

v1 = tf.compat.v1


@pytest.mark.parametrize(
    "camel, snake",
    [
        ("MyMLP", "my_mlp"),
        ("ParentModule", "parent_module"),
        ("httpRequest", "http_request"),  # a lowercase start
        ("parseHTML", "parse_html"),  # capitals at the end stay one word
        ("GRUCore", "gru_core"),  # capitals before a word
        ("__hidden__", "hidden"),  # outer underscores dropped
        ("keep_this_one", "keep_this_one"),
        ("layer2", "layer_2"),  # a number after lowercase letters is a word
        ("GRU2", "gru2"),  # not after capitals
        ("Add1RNN", "add_1rnn"),  # up to the next underscore (as Sonnet 1)
        ("block3x3Conv", "block_3x3_conv"),
        ("block3X3CONVLayer", "block_3x3conv_layer"),
    ],
)
def test_to_snake_case(camel, snake):
    assert snt.to_snake_case(camel) == snake


def test_to_snake_case_refuses_non_identifiers():
    with pytest.raises(ValueError, match="'not valid!' is not a valid Python identifier"):
        snt.to_snake_case("not valid!")


def test_name_for_callable(mode):
    def my_function(x):
        return x

    assert snt.name_for_callable(my_function) == "my_function"
    assert snt.name_for_callable(functools.partial(my_function, 1)) == "my_function"
    assert snt.name_for_callable(functools.partial(functools.partial(my_function, 1), 2)) == (
        "my_function"
    )
    assert snt.name_for_callable(tf.nn.relu) == "relu"
    # No name: lambdas and callable objects, Sonnet modules included (as Sonnet 1).
    assert snt.name_for_callable(lambda x: x) is None
    assert snt.name_for_callable(Affine(2, name="named")) is None


def test_supports_kwargs():
    def fn(x, is_training=False):
        return x

    def fn_kw(x, **kwargs):
        return x

    assert snt.supports_kwargs(fn, "is_training") == snt.SUPPORTED
    assert snt.supports_kwargs(fn, ["is_training", "rate"]) == snt.NOT_SUPPORTED
    assert snt.supports_kwargs(fn_kw, ["rate"]) == snt.MAYBE_SUPPORTED
    assert snt.supports_kwargs(Affine(2, name="kw"), ["x"]) == snt.SUPPORTED
    assert snt.remove_unsupported_kwargs(fn, {"is_training": True, "rate": 1}) == {
        "is_training": True
    }


def test_parse_string_to_constructor():
    assert snt.parse_string_to_constructor("snt.AbstractModule") is snt.AbstractModule
    assert snt.parse_string_to_constructor("sonnet.regularizers.l1") is snt.regularizers.l1
    assert snt.parse_string_to_constructor("Module") is snt.Module  # a bare snt name
    assert snt.parse_string_to_constructor("collections.OrderedDict").__name__ == "OrderedDict"
    for missing in ("snt.NoSuchThing", "NoSuchThing", "no_such_package.Thing"):
        with pytest.raises(ValueError, match=f"could not find '{missing}'"):
            snt.parse_string_to_constructor(missing)
    assert snt.remove_unsupported_kwargs(lambda x: x, None) == {}


def test_deprecation_warning_logs_once(caplog):
    with caplog.at_level(logging.WARNING, logger="sonnet"):
        snt.deprecation_warning("old thing is deprecated (test)")
        snt.deprecation_warning("old thing is deprecated (test)")
    assert caplog.text.count("old thing is deprecated (test)") == 1


def test_variables_in_scope_and_module(mode):
    mlp = MyMLP(3, 2)
    mlp(batch())
    Affine(1, name="my_mlp_other")(batch())  # shares a prefix, not the scope
    if not mode.eager:
        names = [v.name for v in snt.get_variables_in_scope("my_mlp")]
        assert sorted(names) == [
            "my_mlp/h_to_o/b:0",
            "my_mlp/h_to_o/w:0",
            "my_mlp/x_to_h/b:0",
            "my_mlp/x_to_h/w:0",
        ]
        assert len(snt.get_variables_in_scope(mlp.variable_scope)) == 4
    assert snt.get_variables_in_module(mlp) == mlp.get_variables()
    assert snt.get_variable_scope_name(mlp) == "my_mlp"
    assert snt.has_variable_scope(mlp)
    assert snt.has_variable_scope(Affine(1, name="unconnected"))
    assert not snt.has_variable_scope(object())


def test_normalized_variable_map_and_saver(mode, tmp_path):
    mlp = MyMLP(3, 2)
    mlp(batch())
    var_map = snt.get_normalized_variable_map(mlp)
    assert sorted(var_map) == ["h_to_o/b", "h_to_o/w", "x_to_h/b", "x_to_h/w"]
    assert var_map["x_to_h/w"].name == "my_mlp/x_to_h/w:0"
    assert dict(snt.variable_map_items(var_map)) == var_map
    if not mode.eager:
        saver = snt.get_saver(mlp)
        mode.initialize()
        sess = mode.session()
        path = saver.save(sess, str(tmp_path / "model"))
        reader = tf.train.load_checkpoint(path)
        assert sorted(reader.get_variable_to_shape_map()) == sorted(var_map)


def test_sort_by_name_and_formatting(mode):
    mlp = MyMLP(3, 2)
    mlp(batch())
    variables = list(reversed(mlp.variables))
    assert [v.name for v in snt.sort_by_name(variables)] == [v.name for v in mlp.variables]
    table = snt.format_variables(variables)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["Variable", "Shape", "Type"]
    assert lines[1].split()[:3] == ["my_mlp/h_to_o/b", "2", "float32"]
    assert lines[2].split()[:2] == ["my_mlp/h_to_o/w", "3x2"]
    map_lines = snt.format_variable_map(snt.get_normalized_variable_map(mlp), join_lines=False)
    assert map_lines[1].split()[:2] == ["h_to_o/b", "my_mlp/h_to_o/b"]
    counts = snt.count_variables_by_type(mlp.variables)
    assert counts == {tf.float32: {"num_variables": 4, "num_scalars": 3 * 3 + 3 + 3 * 2 + 2}}


def test_log_and_summarize(mode, caplog):
    mlp = MyMLP(3, 2)
    mlp(batch())
    with caplog.at_level(logging.INFO, logger="sonnet"):
        snt.log_variables(mlp.variables)
        snt.summarize_variables(mlp.variables)
    assert "my_mlp/x_to_h/w" in caplog.text
    assert "tf.float32: 4 variables comprising 20 scalars, 80 B" in caplog.text
    assert "Total: 4 variables comprising 20 scalars, 80 B" in caplog.text


@pytest.mark.parametrize(
    "num_bytes, text",
    [
        (0, "0 B"),
        (1000, "1000 B"),
        (2048, "2.000 KB"),
        (3 * 2**19, "1.500 MB"),
        (5 * 2**30, "5.000 GB"),
    ],
)
def test_num_bytes_to_human_readable(num_bytes, text):
    from sonnet.python.modules import util

    assert util._num_bytes_to_human_readable(num_bytes) == text


def test_format_variables_table(graph):
    with v1.variable_scope("enc"):
        w = v1.get_variable("w", [3, 4], use_resource=False)
    with tf.device("/cpu:0"), v1.variable_scope("stats"):
        count = v1.get_local_variable("count", [2], use_resource=True)
    lines = snt.format_variables([count, w]).split("\n")
    assert lines == [
        "Variable     Shape  Type     Collections                            Device",
        "enc/w        3x4    float32  global_variables, trainable_variables  (legacy)",
        "stats/count  2      float32  local_variables                        "
        "/device:CPU:0 (resource)",
    ]
    keyed = snt.format_variable_map({"weights": w}, join_lines=False)
    assert keyed[1].split() == [
        "weights",
        "enc/w",
        "3x4",
        "float32",
        "global_variables,",
        "trainable_variables",
        "(legacy)",
    ]


@pytest.mark.parametrize(
    "scope, prefix, expected",
    [
        ("a/b/c", "", True),
        ("a/b/c", "a/b/c", True),
        ("a/b/c", "a", True),
        ("a/b/c", "a/", True),
        ("a/b/c", "b", False),
        ("ab/c", "a", False),
        ("a", "a/b", False),
    ],
)
def test_is_scope_prefix(scope, prefix, expected):
    from sonnet.python.modules import util

    assert util._is_scope_prefix(scope, prefix) is expected


def test_notify_about_new_variables(mode):
    seen = []
    with snt.notify_about_new_variables(seen.append):
        Affine(2, name="noticed")(batch())
    assert sorted(v.name for v in seen) == ["noticed/b:0", "noticed/w:0"]


def test_convert_gradient_to_tensor(eager):
    params = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(snt.convert_gradient_to_tensor(params), [0, 2]))
    grad = tape.gradient(y, params)
    assert isinstance(grad, tf.Tensor)
    np.testing.assert_allclose(grad.numpy(), [[1, 1], [0, 0], [1, 1]])


def test_nest_aliases():
    assert snt.nest.flatten_iterable((1, (2, 3))) == [1, 2, 3]
    assert snt.nest.pack_iterable_as((0, (0, 0)), [1, 2, 3]) == (1, (2, 3))
    assert snt.nest.is_iterable((1,)) and not snt.nest.is_iterable(1)
    # Sonnet 1's ``nest.map``: several structures, empty sequences keep their type.
    assert snt.nest.map(lambda a, b: a * b, ("ab", ["c"]), (2, [3])) == ("abab", ["ccc"])
    assert snt.nest.map(len, ()) == () and snt.nest.map(len, []) == []
    with pytest.raises(ValueError, match="same nested structure"):
        snt.nest.map(lambda a, b: a, (1, 2), (1, (2, 3)))


@pytest.mark.parametrize("resource", [False, True])
def test_get_saver_refuses_a_saved_shape_that_differs(tmp_path, resource):
    def make(size, name):
        return snt.Module(
            lambda x: x * tf.compat.v1.get_variable("s", [size], use_resource=resource),
            name=name,
        )

    with tf.Graph().as_default():
        small, same, large = make(5, "small"), make(5, "same"), make(7, "large")
        small(tf.ones([5])), same(tf.ones([5])), large(tf.ones([7]))
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            sess.run(small.get_variables()[0].assign(np.arange(5, dtype=np.float32)))
            path = snt.get_saver(small).save(sess, str(tmp_path / "ckpt"))
            snt.get_saver(same).restore(sess, path)
            np.testing.assert_array_equal(sess.run(same.get_variables()[0]), np.arange(5))
            with pytest.raises(
                tf.errors.InvalidArgumentError, match=r"'s' into large/s:0.*\[5\].*\(7,\)"
            ):
                snt.get_saver(large).restore(sess, path)
            assert sess.run(large.get_variables()[0]).shape == (7,)
