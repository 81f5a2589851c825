"""Module-info records: the connected modules of a graph, kept through a meta graph.

When a module is first connected into a ``tf.compat.v1`` graph, a
:data:`ModuleInfo` record joins the graph collection
:data:`SONNET_COLLECTION_NAME`; its ``connected_subgraphs`` list grows with
each connection. ``tf.compat.v1.train.export_meta_graph`` serializes the
records (Sonnet 1's ``SonnetModule`` messages, see ``_module_info_proto``) and
``import_meta_graph`` restores them, with tensors looked up by name in the new
graph: code can find a model's modules, inputs and outputs after loading it.
Values that are not tensors or containers of them come back as
``UnserializableObject`` instances.

Example:
  >>> with tf.Graph().as_default() as graph:
  ...   lin = snt.Linear(2, name="lin")
  ...   _ = lin(tf.ones([1, 3]))
  ...   [info] = graph.get_collection(snt.SONNET_COLLECTION_NAME)
  >>> info.module_name, info.class_name
  ('lin', 'sonnet.python.modules.basic.Linear')
"""

from __future__ import annotations

import collections
import functools
import logging
from typing import Any

import tensorflow as tf

from sonnet import _tf_internals
from sonnet._connection import ConnectedSubGraph
from sonnet._module_info_proto import SonnetModule
from sonnet.errors import ModuleInfoError

__all__ = ["SONNET_COLLECTION_NAME", "ModuleInfo", "UnserializableObject", "record_module"]

logger = logging.getLogger("sonnet")

#: The graph collection holding a :data:`ModuleInfo` per connected module.
SONNET_COLLECTION_NAME = "sonnet"

ModuleInfo = collections.namedtuple(
    "ModuleInfo", ("module_name", "scope_name", "class_name", "connected_subgraphs")
)
ModuleInfo.__doc__ = """A module connected into a graph (an entry of the ``"sonnet"`` collection).

Attributes:
  module_name: the module's uniquified name (``linear_1``).
  scope_name: its variable scope's full name.
  class_name: where its class is imported from, Sonnet 1's path when it has
    one (``sonnet.python.modules.basic.Linear``), for
    ``snt.parse_string_to_constructor``.
  connected_subgraphs: its :class:`ConnectedSubGraph` records, in order.
"""

_SPARSE = "SparseTensor"
_SPARSE_FIELDS = ("indices", "values", "dense_shape")


class UnserializableObject:
    """Stands for a value a module-info record could not serialize (not a tensor)."""


MissingTensor = collections.namedtuple("MissingTensor", ("name",))
MissingTensor.__doc__ = "Stands for a tensor whose name the imported graph does not have."


def is_namedtuple(value: Any) -> bool:
    """Whether ``value`` is an instance of a ``collections.namedtuple`` class."""
    return isinstance(value, tuple) and hasattr(value, "_fields")


def is_iterable(value: Any) -> bool:
    """Whether ``value`` is a container the records descend into (list, tuple, dict)."""
    return isinstance(value, list | tuple | dict)


@functools.lru_cache(maxsize=512)
def _class_name(cls: type) -> str:
    """``module.Class``, or Sonnet 1's path of the class when a plugin declares one."""
    from sonnet import plugins

    reference = f"{cls.__module__}:{cls.__qualname__}"
    qualnames = {e.qualname for e, _ in plugins.exports() if e.target == reference}
    if qualnames:
        for path, table in sorted(plugins.legacy_paths().items()):
            if table.get(cls.__name__) in qualnames:
                return f"{path}.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def record_module(module: Any, graph: tf.Graph, subgraphs: list[ConnectedSubGraph]) -> None:
    """Adds ``module``'s record to ``graph`` (its first connection there)."""
    cls: type = type(module)
    info = ModuleInfo(module.module_name, module.scope_name, _class_name(cls), subgraphs)
    graph.add_to_collection(SONNET_COLLECTION_NAME, info)


# -- serialization --------------------------------------------------------------


def _encode(value: Any, proto: Any, leaf: Any, seen: set[int]) -> None:
    """Writes ``value`` into the ``NestedData`` ``proto`` (tensors by name)."""
    if id(value) in seen:  # a cycle: not representable
        proto.value = ""
        return
    if isinstance(value, tf.SparseTensor):
        seen.add(id(value))
        proto.special_type.name = _SPARSE
        fields = proto.special_type.object.named_tuple
        fields.name = _SPARSE
        for field in _SPARSE_FIELDS:
            fields.map[field].value = leaf(getattr(value, field))
        return
    if not is_iterable(value):
        proto.value = leaf(value)
        return
    seen.add(id(value))
    if isinstance(value, dict):
        proto.dict.SetInParent()
        items: Any = ((str(k), v) for k, v in value.items())
        target = proto.dict.map
    elif is_namedtuple(value):
        proto.named_tuple.name = type(value).__name__
        items, target = zip(value._fields, value, strict=True), proto.named_tuple.map
    else:
        sequence = proto.tuple if isinstance(value, tuple) else proto.list
        sequence.SetInParent()
        for item in value:
            _encode(item, sequence.list.add(), leaf, seen)
        return
    for key, item in items:
        _encode(item, target[key], leaf, seen)


def _decode(proto: Any, leaf: Any) -> Any:
    """The Python value of a ``NestedData`` ``proto`` (tensor names through ``leaf``)."""
    kind = proto.WhichOneof("one_of")
    if kind == "value" or kind is None:
        return leaf(proto.value)
    if kind in ("list", "tuple"):
        items = [_decode(item, leaf) for item in getattr(proto, kind).list]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {key: _decode(item, leaf) for key, item in proto.dict.map.items()}
    if kind == "named_tuple":
        fields = sorted(proto.named_tuple.map)
        cls = collections.namedtuple(proto.named_tuple.name, fields)  # type: ignore[misc]
        return cls(**{f: _decode(proto.named_tuple.map[f], leaf) for f in fields})
    special = proto.special_type
    if special.name != _SPARSE:
        raise ModuleInfoError(f"module info: unknown special type {special.name!r}.")
    parts = special.object.named_tuple.map
    return tf.SparseTensor(*(leaf(parts[f].value) for f in _SPARSE_FIELDS))


def _relative(name: str, scope: str | None) -> str:
    if scope and (name == scope or name.startswith(scope + "/")):
        return name[len(scope) :].lstrip("/")
    return name


def _absolute(name: str, scope: str | None) -> str:
    return f"{scope.rstrip('/')}/{name}" if scope and name else name


def _to_proto(info: ModuleInfo, export_scope: str | None = None) -> Any:
    """A ``SonnetModule`` message of ``info`` (TensorFlow's collection ``to_proto``)."""

    def leaf(value: Any) -> str:
        name = getattr(value, "name", None) if isinstance(value, tf.Tensor) else None
        return _relative(name, export_scope) if name else ""

    proto = SonnetModule(
        module_name=info.module_name,
        scope_name=_relative(info.scope_name, export_scope),
        class_name=info.class_name,
    )
    for subgraph in info.connected_subgraphs:
        entry = proto.connected_subgraphs.add(
            name_scope=_relative(subgraph.name_scope, export_scope)
        )
        _encode(subgraph.inputs, entry.inputs, leaf, set())
        _encode(subgraph.outputs, entry.outputs, leaf, set())
    return proto


def _from_proto(proto: Any, import_scope: str | None = None) -> ModuleInfo | None:
    """The record of a ``SonnetModule`` message (TensorFlow's collection ``from_proto``).

    A record that cannot be read is skipped with a logged warning, so that a
    meta graph written by another Sonnet still imports.
    """
    graph = tf.compat.v1.get_default_graph()

    def leaf(name: str) -> Any:
        if not name:
            return UnserializableObject()
        full = _absolute(name, import_scope)
        try:
            return graph.get_tensor_by_name(full)
        except (KeyError, ValueError):
            return MissingTensor(full)

    try:
        subgraphs = [
            ConnectedSubGraph(
                module=None,
                name_scope=_absolute(entry.name_scope, import_scope),
                inputs=_decode(entry.inputs, leaf),
                outputs=_decode(entry.outputs, leaf),
            )
            for entry in proto.connected_subgraphs
        ]
    except Exception as error:  # noqa: BLE001 - a foreign record must not break the import
        logger.warning("sonnet: a module-info record could not be read (%s); skipped.", error)
        return None
    return ModuleInfo(
        module_name=proto.module_name,
        scope_name=_absolute(proto.scope_name, import_scope),
        class_name=proto.class_name,
        connected_subgraphs=subgraphs,
    )


# At import: a meta graph holding records may be imported before any module is built.
_tf_internals.register_proto_function(SONNET_COLLECTION_NAME, SonnetModule, _to_proto, _from_proto)
