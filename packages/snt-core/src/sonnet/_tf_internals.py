"""The only place snt-core touches TensorFlow internals (checked on TF 2.16 to 2.21).

Each function says what it needs, why no public API does it, and what breaks
if TensorFlow changes. Everything else in the package uses public
``tf``/``tf.compat.v1`` API only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

import tensorflow as tf

# Private module: the global eager context (see executing_eagerly), TF 2.x.
from tensorflow.python.eager import context as _eager_context

# Private module: the variable-scope store and the default variable store live
# there since TF 1.x (tensorflow/python/ops/variable_scope.py); TF 2.21 keeps it.
from tensorflow.python.ops import variable_scope as _variable_scope


def set_template_scope_context(template: Any, context: Any) -> None:
    """Gives an eager template the variable-scope context manager to enter.

    ``tf.compat.v1.make_template`` made eagerly returns an ``EagerTemplate``
    that caches one ``variable_scope`` context manager, made on its first call,
    in ``_variable_scope_context_manager``. That object holds the variable-scope
    store of the thread that made it, so a module called from several threads
    (``tf.distribute`` replicas, user threads) needs one per thread; there is
    no public way to hand it over. EagerTemplate attribute since TF 1.13.
    """
    template._variable_scope_context_manager = context


def variable_scope_store() -> Any:
    """This thread's (graph's) variable-scope store; ``.current_scope`` is settable.

    The eager replay makes a module's recorded scope current for the length
    of one ``_build`` call. Entering it with ``tf.compat.v1.variable_scope``
    costs ~25 us eagerly (name scopes, store bookkeeping), more than the
    matmul of a small layer; setting ``current_scope`` and restoring it is what
    that context manager does at its core. ``get_variable_scope_store`` since TF 1.x.
    """
    return _variable_scope.get_variable_scope_store()


def forget_default_store_variables(names: Iterable[str]) -> None:
    """Removes variables by name from the default variable store.

    While a ``tf.function`` is traced, ``tf.compat.v1.get_variable`` records
    new variables in the default variable store, which eager code shares; a
    later eager ``get_variable`` of the same name then refuses to reuse them
    (TensorFlow forces ``reuse=False`` eagerly). ``@snt.reuse_variables``
    keeps its own records outside v1 graphs and drops the store's copies.
    ``_get_default_variable_store()._vars`` since TF 1.x; if it disappears,
    only the tf.function-then-eager order of calls is affected.
    """
    try:
        store = _variable_scope._get_default_variable_store()
        for name in names:
            store._vars.pop(name, None)
    except AttributeError:  # pragma: no cover - a TensorFlow without these internals
        pass


def template_variable_store(template: Any) -> Any:
    """A context making an eager template's own variable store the default one.

    An ``EagerTemplate`` keeps the variables of its function in its own
    ``EagerVariableStore`` (eagerly ``tf.compat.v1.get_variable`` shares nothing
    outside such a store) and enters it on each call. A module creating
    variables in its scope outside a connection (``_enter_variable_scope`` in
    ``__init__``, as Sonnet 1 modules do) must create them in that store too,
    so that later connections find them. ``_template_store`` since TF 1.13;
    graph-mode templates have none (a null context then).
    """
    store = getattr(template, "_template_store", None)
    return store.as_default() if store is not None else contextlib.nullcontext()


def register_proto_function(name: str, proto_type: Any, to_proto: Any, from_proto: Any) -> None:
    """Tells ``export_meta_graph``/``import_meta_graph`` how to (de)serialize a collection.

    Module-info records live in the ``"sonnet"`` graph collection (as in
    Sonnet 1); TensorFlow serializes a collection of Python objects only
    through functions registered with ``ops.register_proto_function``, which
    ``tf.compat.v1`` does not export. ``tensorflow.python.framework.ops`` since
    TF 1.x. Registered once per process; a registration by another library
    under the same name is left in place.
    """
    from tensorflow.python.framework import ops

    if ops.get_to_proto_function(name) is None:
        try:
            ops.register_proto_function(
                name, proto_type=proto_type, to_proto=to_proto, from_proto=from_proto
            )
        except KeyError:  # pragma: no cover - registered concurrently
            pass


def keep_out_of_autograph(entity: Any) -> Any:
    """Makes AutoGraph call ``entity`` (a class: its instances) as it is, unconverted.

    Inside a ``tf.function`` AutoGraph rewrites every Python function it meets
    outside TensorFlow, one ``converted_call`` per call: tracing a function that
    connects a 4-layer MLP then spent ~80% of its time converting the connection
    machinery and the modules' ``_build`` code (issue 21). Sonnet 1's modules ran
    ``_build`` through ``tf.compat.v1.make_template``, TensorFlow code AutoGraph
    never converts, so their ``_build`` was never converted either; marking the
    module classes keeps that. ``tf.autograph.experimental.do_not_convert`` would
    wrap every call (a cost on each eager call); the attribute it sets,
    ``autograph_info__`` (``autograph_artifact``, AutoGraph since TF 2.2), is
    checked on the called object before anything else. If TensorFlow stops
    reading it, modules are converted again: slower tracing, same graphs.
    """
    from tensorflow.python.autograph.impl import api as _autograph_api

    return _autograph_api.autograph_artifact(entity)


def executing_eagerly() -> bool:
    """``tf.executing_eagerly()`` in one Python call instead of three.

    Every module call asks once; ``tf.executing_eagerly`` goes through
    ``context_safe()`` and ``Context.executing_eagerly()``, which read this
    thread's ``is_eager`` flag of the global context (``context._context``,
    ``_thread_local_data.is_eager``: TF 2.x). Without a context yet, the
    public function answers.
    """
    ctx = _eager_context._context
    if ctx is None:
        return tf.executing_eagerly()
    return ctx._thread_local_data.is_eager
