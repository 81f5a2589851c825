"""Sonnet 1's utility functions."""

import functools
import logging

import numpy as np
import pytest
import tensorflow as tf
from core_test_modules import Affine, MyMLP, batch

import sonnet as snt

v1 = tf.compat.v1


def test_to_snake_case():
    assert snt.to_snake_case("MyMLP") == "my_mlp"
    assert snt.to_snake_case("Add1RNN") == "add1_rnn"
    assert snt.to_snake_case("ParentModule") == "parent_module"
    with pytest.raises(ValueError, match="Python identifier"):
        snt.to_snake_case("not valid!")


def test_name_for_callable(mode):
    def my_function(x):
        return x

    assert snt.name_for_callable(my_function) == "my_function"
    assert snt.name_for_callable(functools.partial(my_function, 1)) == "my_function"
    assert snt.name_for_callable(lambda x: x) == "lambda"
    assert snt.name_for_callable(Affine(2, name="named")) == "named"


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
    with pytest.raises(ValueError, match="Could not resolve"):
        snt.parse_string_to_constructor("snt.NoSuchThing")


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
    assert "4 variables, 20 scalars" in caplog.text


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
