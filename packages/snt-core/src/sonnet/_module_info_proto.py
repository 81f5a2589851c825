"""The message types of module-info records in a meta graph (Sonnet 1's wire format).

Sonnet 1 stored each connected module in the ``"sonnet"`` collection of an
exported ``MetaGraphDef`` as a ``sonnet.SonnetModule`` protocol buffer. To
read and write the same bytes, the two message types are described here with
Sonnet 1's message names and field numbers and built at import time with the
``protobuf`` package, in a descriptor pool of their own (so they never clash
with another library's ``sonnet`` package in the default pool). No generated
code is involved.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

__all__ = ["NestedData", "SonnetModule"]

_OPTIONAL = descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
_REPEATED = descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
_STRING = descriptor_pb2.FieldDescriptorProto.TYPE_STRING
_MESSAGE = descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE


def _field(
    message: Any,
    name: str,
    number: int,
    kind: int,
    label: int = _OPTIONAL,
    type_name: str = "",
    oneof: int | None = None,
) -> None:
    field = message.field.add(name=name, number=number, type=kind, label=label)
    if type_name:
        field.type_name = type_name
    if oneof is not None:
        field.oneof_index = oneof


def _map_entry(parent: Any, name: str) -> str:
    """Adds the ``<Name>Entry`` message of a ``map<string, NestedData>`` field."""
    entry = parent.nested_type.add(name=name)
    entry.options.map_entry = True
    _field(entry, "key", 1, _STRING)
    _field(entry, "value", 2, _MESSAGE, type_name=".sonnet.NestedData")
    return entry.name


def _file() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(
        name="sonnet/module_info.proto", package="sonnet", syntax="proto3"
    )
    nested = proto.message_type.add(name="NestedData")
    for name in ("Tuple", "List"):  # an ordered list of items
        sequence = nested.nested_type.add(name=name)
        _field(sequence, "list", 1, _MESSAGE, _REPEATED, ".sonnet.NestedData")
    mapping = nested.nested_type.add(name="Dict")  # key -> item
    _map_entry(mapping, "MapEntry")
    _field(mapping, "map", 1, _MESSAGE, _REPEATED, ".sonnet.NestedData.Dict.MapEntry")
    named = nested.nested_type.add(name="NamedTuple")  # a namedtuple: its name and fields
    _field(named, "name", 1, _STRING)
    _map_entry(named, "MapEntry")
    _field(named, "map", 2, _MESSAGE, _REPEATED, ".sonnet.NestedData.NamedTuple.MapEntry")
    special = nested.nested_type.add(name="SpecialType")  # e.g. a SparseTensor
    _field(special, "name", 1, _STRING)
    _field(special, "object", 2, _MESSAGE, type_name=".sonnet.NestedData")
    nested.oneof_decl.add(name="one_of")
    _field(nested, "value", 1, _STRING, oneof=0)  # a tensor's name ("" if none)
    for number, (name, kind) in enumerate(
        [
            ("list", "List"),
            ("tuple", "Tuple"),
            ("dict", "Dict"),
            ("named_tuple", "NamedTuple"),
            ("special_type", "SpecialType"),
        ],
        start=2,
    ):
        _field(nested, name, number, _MESSAGE, type_name=f".sonnet.NestedData.{kind}", oneof=0)

    module = proto.message_type.add(name="SonnetModule")
    subgraph = module.nested_type.add(name="ConnectedSubgraph")
    _field(subgraph, "name_scope", 1, _STRING)
    _field(subgraph, "inputs", 2, _MESSAGE, type_name=".sonnet.NestedData")
    _field(subgraph, "outputs", 3, _MESSAGE, type_name=".sonnet.NestedData")
    _field(module, "module_name", 1, _STRING)
    _field(module, "scope_name", 2, _STRING)
    _field(
        module,
        "connected_subgraphs",
        3,
        _MESSAGE,
        _REPEATED,
        ".sonnet.SonnetModule.ConnectedSubgraph",
    )
    _field(module, "class_name", 4, _STRING)
    return proto


_POOL = descriptor_pool.DescriptorPool()
_POOL.Add(_file())
NestedData = message_factory.GetMessageClass(_POOL.FindMessageTypeByName("sonnet.NestedData"))
SonnetModule = message_factory.GetMessageClass(_POOL.FindMessageTypeByName("sonnet.SonnetModule"))
