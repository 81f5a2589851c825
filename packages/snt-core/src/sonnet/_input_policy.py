"""The input policy: what a module's connection accepts, decided once for every module.

A module class names the ``_build`` parameters that take tensors in
``CONNECTION_INPUTS`` (``{"inputs": "float"}``) and the connection path
(``AbstractModule._snt_connect``) applies the same rules to them for every
module, in graph mode, eagerly and in ``tf.function``:

* ``tf.Tensor``, ``tf.Variable``, ``tf.SparseTensor`` and ``tf.RaggedTensor``
  values pass as they are;
* NumPy arrays and NumPy scalars become tensors of their own dtype (an explicit
  ``float64`` stays ``float64``);
* Python numbers and (nested) lists or tuples of numbers become tensors of
  the first connection's dtype for that argument, else ``float32`` for
  ``"float"`` inputs and TensorFlow's default (``int32``/``float32``) for the
  other kinds;
* anything else (``None``, strings, dicts where a tensor is expected, arbitrary
  objects) is refused with a ``TypeError`` naming the module, the argument,
  what it accepts and what came.

The kinds:

``"tensor"``  one tensor of any dtype (reshapes, slicing);
``"float"``   one floating-point tensor whose dtype stays that of the first
              connection (modules whose variables take the input's dtype);
``"int"``     one integer tensor (ids, indices);
``"nest"``    a structure (tuples, lists, dicts, namedtuples) of floating-point
              tensors, each leaf as ``"float"`` (recurrent states).

A call whose arguments do not fit ``_build`` at all (an unknown keyword, one
positional argument too many) raises a ``TypeError`` that names the module and
shows its call signature.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import tensorflow as tf

if TYPE_CHECKING:
    from sonnet._abstract_module import AbstractModule

__all__ = ["InputSpec", "call_mismatch", "spec_for"]

TENSOR, FLOAT, INT, NEST = "tensor", "float", "int", "nest"
KINDS = (TENSOR, FLOAT, INT, NEST)

_ACCEPTS = "a tensor, a NumPy array or a (nested) list of numbers"
_PASS_AS_IS = (tf.Tensor, tf.Variable, tf.SparseTensor, tf.RaggedTensor)


class InputSpec:
    """The tensor parameters of one module class: ``(position, name, kind, optional)`` each.

    ``optional``: the parameter defaults to None, and None passes.
    """

    __slots__ = ("items",)

    def __init__(self, items: Sequence[tuple[int, str, str, bool]]) -> None:
        self.items = tuple(items)

    def apply(
        self, module: AbstractModule, args: tuple, kwargs: dict, eager: bool
    ) -> tuple[tuple, dict]:
        """``(args, kwargs)`` with the tensor arguments checked and converted."""
        dtypes = module._snt_state.input_dtypes
        new_args: list[Any] | None = None
        for position, name, kind, optional in self.items:
            if position < len(args):
                value = args[position]
            elif name in kwargs:
                value = kwargs[name]
            else:
                continue
            if (
                not eager
                and isinstance(value, tf.Tensor)
                and getattr(value, "graph", None) is None
                and not tf.inside_function()  # a tf.function captures eager tensors
            ):
                raise TypeError(
                    f"{module.scope_name}: {name} is an eager tensor, but the module is being "
                    "connected into a tf.compat.v1 graph; build the input in that graph "
                    "(a placeholder, tf.constant, a dataset)."
                )
            # The common cases first, cheaply (this runs on every call): a tensor of
            # the recorded dtype, or a state tuple of such tensors.
            if isinstance(value, _PASS_AS_IS):
                if kind == TENSOR or value.dtype is dtypes.get(name):
                    continue
            elif kind == NEST and isinstance(value, tuple) and _all_of(value, dtypes.get(name)):
                continue
            if value is None and optional:
                continue
            converted = _convert(module, name, kind, value, dtypes)
            if converted is value:
                continue
            if position < len(args):
                if new_args is None:
                    new_args = list(args)
                new_args[position] = converted
            else:
                kwargs = {**kwargs, name: converted}
        return (args if new_args is None else tuple(new_args)), kwargs


def _all_of(values: tuple, dtype: Any) -> bool:
    """Whether every entry of a flat tuple is a tensor of ``dtype`` (not None)."""
    if dtype is None:
        return False
    for value in values:
        if not isinstance(value, _PASS_AS_IS) or value.dtype is not dtype:
            return False
    return True


@functools.lru_cache(maxsize=1024)
def spec_for(cls: type) -> InputSpec | None:
    """The class's :class:`InputSpec` (None when it declares no tensor inputs)."""
    declared: Mapping[str, str] = getattr(cls, "CONNECTION_INPUTS", None) or {}
    if not declared:
        return None
    parameters = list(inspect.signature(cls._build).parameters.values())[1:]  # type: ignore[attr-defined]
    positions = {p.name: (i, p.default is None) for i, p in enumerate(parameters)}
    # A subclass that redefines _build (e.g. a core without a state argument) keeps
    # the inherited declaration only for the parameters its _build still has.
    owner = next(k for k in cls.__mro__ if "CONNECTION_INPUTS" in vars(k))
    inherited = getattr(owner, "_build", None) is not cls._build  # type: ignore[attr-defined]
    items = []
    for name, kind in declared.items():
        if inherited and kind in KINDS and name not in positions:
            continue
        if kind not in KINDS or name not in positions:
            raise TypeError(
                f"{cls.__name__}.CONNECTION_INPUTS: {name!r} must be a parameter of _build "
                f"with a kind among {list(KINDS)}; got {kind!r}."
            )
        items.append((positions[name][0], name, kind, positions[name][1]))
    return InputSpec(items) if items else None


def _refuse(module: AbstractModule, name: str, what: str, value: Any) -> TypeError:
    shown = type(value).__name__
    return TypeError(f"{module.scope_name}: {name} must be {what}; got {shown}: {value!r:.80}")


def _is_numbers(value: Any) -> bool:
    """A Python number, or a (nested) list/tuple whose leaves are all numbers."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return True
    if isinstance(value, list | tuple) and value and not hasattr(value, "_fields"):
        return all(_is_numbers(v) for v in value)
    return False


def _leaf(module: AbstractModule, name: str, kind: str, value: Any, first: Any) -> Any:
    """One tensor of the given kind from ``value`` (converted or refused)."""
    if not isinstance(value, _PASS_AS_IS):
        if isinstance(value, np.ndarray | np.generic) and value.dtype.kind in "biuf":
            value = tf.convert_to_tensor(value)
        elif _is_numbers(value):
            dtype = first if first is not None or kind in (TENSOR, INT) else tf.float32
            value = tf.convert_to_tensor(value, dtype=dtype)
        else:
            raise _refuse(module, name, _ACCEPTS, value)
    dtype = value.dtype.base_dtype
    if kind == INT and not dtype.is_integer:
        raise TypeError(f"{module.scope_name}: {name} must be integers (ids); got {dtype.name}.")
    if kind in (FLOAT, NEST):
        if not dtype.is_floating:
            raise TypeError(
                f"{module.scope_name}: {name} must be floating point; got {dtype.name}. "
                "Cast it, e.g. tf.cast(x, tf.float32)."
            )
        if first is not None and dtype != first:
            raise TypeError(
                f"{module.scope_name}: {name} must keep the dtype of the module's first "
                f"connection, {first.name}; got {dtype.name}. Cast it with tf.cast."
            )
    return value


def _convert(
    module: AbstractModule, name: str, kind: str, value: Any, dtypes: dict[str, Any]
) -> Any:
    """``value`` checked (and converted) for a ``kind`` argument; records the first dtype."""
    first = dtypes.get(name)
    if kind != NEST:
        converted = _leaf(module, name, kind, value, first)
        if first is None and kind == FLOAT:
            dtypes[name] = converted.dtype.base_dtype
        return converted
    if value is None or isinstance(value, str | bytes):
        raise _refuse(module, name, "a structure of tensors", value)
    if type(value) is tuple or hasattr(value, "_fields"):  # a state tuple, checked shallowly
        if first is not None and all(
            isinstance(v, _PASS_AS_IS) and v.dtype is first for v in value
        ):
            return value
    leaves = tf.nest.flatten(value)
    converted_leaves = [_leaf(module, name, FLOAT, v, first) for v in leaves]
    if first is None and converted_leaves:
        dtypes[name] = converted_leaves[0].dtype.base_dtype
    if all(a is b for a, b in zip(leaves, converted_leaves, strict=True)):
        return value
    return tf.nest.pack_sequence_as(value, converted_leaves)


def call_mismatch(module: AbstractModule, error: TypeError, call_sites: Sequence[Any]) -> Any:
    """A named ``TypeError`` if ``error`` says the arguments do not fit ``_build``; else None.

    Such an error is raised by Python at one of the connection path's calls of
    ``_build`` (``call_sites``: their code objects) before ``_build`` runs.
    """
    tb = error.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    if tb.tb_frame.f_code not in call_sites or "_build()" not in str(error):
        return None
    cls = type(module)
    signature = inspect.signature(module._build)
    reason = str(error).split("_build() ", 1)[-1]
    if "positional argument" in reason:  # Python counts self; the caller does not pass it
        reason = re.sub(r"\d+", lambda m: str(int(m.group()) - 1), reason)
    return TypeError(
        f"{module.scope_name}: {cls.__name__} is called as {cls.__name__}{signature}; it {reason}."
    )
