"""Module-info records in the "sonnet" graph collection, kept through a meta graph."""

import collections

import numpy as np
import pytest
import tensorflow as tf
from core_test_modules import Affine

import sonnet as snt
from sonnet.python.modules import base_info

v1 = tf.compat.v1

Pair = collections.namedtuple("Pair", ("first", "second"))


class Passes(snt.AbstractModule):
    """Returns its input, with every tensor through tf.identity."""

    def _build(self, inputs):
        return tf.nest.map_structure(
            lambda t: tf.identity(t) if isinstance(t, tf.Tensor) else t, inputs
        )


def _records(graph=None):
    return (graph or v1.get_default_graph()).get_collection(snt.SONNET_COLLECTION_NAME)


def _reimported():
    """Exports the default graph to a MetaGraphDef and imports it into a new one."""
    meta = v1.train.export_meta_graph()
    graph = tf.Graph()
    with graph.as_default():
        v1.train.import_meta_graph(meta)
    return graph


def test_a_record_per_module_with_every_connection(graph):
    first, second = Affine(2, name="first"), Passes(name="passes")
    x = v1.placeholder(tf.float32, [1, 3])
    first(x)
    with tf.name_scope("outer"):
        first(x)
        second(x)
    infos = _records()
    assert [(i.module_name, i.scope_name) for i in infos] == [
        ("first", "first"),
        ("passes", "passes"),
    ]
    assert infos[0].class_name == f"{Affine.__module__}.Affine"
    assert [s.name_scope for s in infos[0].connected_subgraphs] == ["first", "outer/first"]
    assert infos[0].connected_subgraphs[1].module is first
    assert snt.SONNET_COLLECTION_NAME == base_info.SONNET_COLLECTION_NAME == "sonnet"


def test_records_are_not_kept_eagerly(eager):
    Affine(2, name="eager_module")(tf.ones([1, 3]))
    assert v1.get_default_graph().get_collection(snt.SONNET_COLLECTION_NAME) == []


def test_inputs_and_outputs_survive_a_meta_graph(graph):
    x = v1.placeholder(tf.float32, [2, 3], name="x")
    y = v1.placeholder(tf.float32, [2], name="y")
    sparse = tf.SparseTensor(
        indices=v1.placeholder(tf.int64, [None, 2], name="sp_i"),
        values=v1.placeholder(tf.float32, [None], name="sp_v"),
        dense_shape=v1.placeholder(tf.int64, [2], name="sp_s"),
    )
    Passes(name="nested")({"pair": Pair(x, [y, (x,)]), "n": 3})
    Passes(name="sparse")(sparse)
    imported = _reimported()
    nested, sparse_info = _records(imported)
    (subgraph,) = nested.connected_subgraphs
    inputs = subgraph.inputs["inputs"]
    assert isinstance(inputs, dict) and set(inputs) == {"pair", "n"}
    pair = inputs["pair"]
    assert base_info._is_namedtuple(pair) and type(pair).__name__ == "Pair"
    assert pair.first is imported.get_tensor_by_name("x:0")
    assert isinstance(pair.second, list) and isinstance(pair.second[1], tuple)
    assert pair.second[0] is imported.get_tensor_by_name("y:0")
    assert isinstance(inputs["n"], base_info._UnserializableObject)  # not a tensor
    assert subgraph.outputs["pair"].first.graph is imported
    restored = sparse_info.connected_subgraphs[0].inputs["inputs"]
    assert isinstance(restored, tf.SparseTensor)
    assert restored.values is imported.get_tensor_by_name("sp_v:0")


def test_a_recursive_input_is_kept_up_to_the_cycle(graph):
    x = v1.placeholder(tf.float32, [1], name="x")
    looped = {"x": x}
    looped["self"] = looped

    class Echo(snt.AbstractModule):
        def _build(self, inputs):
            return inputs

    Echo()(looped)
    (info,) = _records(_reimported())
    inputs = info.connected_subgraphs[0].inputs["inputs"]
    assert inputs["x"].name == "x:0"
    assert isinstance(inputs["self"], base_info._UnserializableObject)


def test_export_and_import_scopes(graph):
    with v1.variable_scope("tower"):
        x = v1.placeholder(tf.float32, [1, 3], name="x")
        Affine(2, name="layer")(x)
    meta = v1.train.export_meta_graph(export_scope="tower")
    target = tf.Graph()
    with target.as_default():
        v1.train.import_meta_graph(meta, import_scope="copy")
    (info,) = _records(target)
    assert info.scope_name == "copy/layer"
    assert info.connected_subgraphs[0].name_scope == "copy/layer"
    assert info.connected_subgraphs[0].inputs["x"] is target.get_tensor_by_name("copy/x:0")


def test_the_imported_graph_still_runs(graph):
    x = v1.placeholder(tf.float32, [1, 3], name="x")
    module = Affine(2, name="affine")
    module(x)
    meta = v1.train.export_meta_graph()
    target = tf.Graph()
    with target.as_default():
        v1.train.import_meta_graph(meta)
        (info,) = _records(target)
        out = info.connected_subgraphs[0].outputs
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            got = session.run(out, {info.connected_subgraphs[0].inputs["x"]: np.ones([1, 3])})
    np.testing.assert_allclose(got, np.ones([1, 3]) @ np.ones([3, 2]))


@pytest.mark.parametrize("value", [(1, 2), [1], {"a": 1}, Pair(1, 2)])
def test_containers_recognised(value):
    assert base_info._is_iterable(value)
    assert base_info._is_namedtuple(value) is isinstance(value, Pair)
    assert not base_info._is_iterable({1, 2}) and not base_info._is_iterable("text")
