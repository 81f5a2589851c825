"""Sonnet: Sonnet 1's module library on TensorFlow 2.16+.

``import sonnet as snt`` gives the module system (``snt.AbstractModule``,
``snt.Module``, ``snt.reuse_variables``, ...) right away. Names provided by
plugin distributions (``snt.Linear`` from snt-nets, ``snt.LSTM`` from snt-rnn,
...) are found through the ``sonnet`` entry-point group the first time one of
them is looked up; importing this package scans and loads no plugin.

Without a usable TensorFlow, ``import sonnet`` still succeeds with the parts
that need none (``sonnet.errors``, ``sonnet.plugins``, ``snt.hookimpl``,
``python -m sonnet``); any other name raises an ``ImportError`` saying what to
install.
"""

# ruff: noqa: E402, F401
from sonnet import errors, plugins
from sonnet._hooks import hookimpl
from sonnet._tf_check import tensorflow_problem as _tensorflow_problem
from sonnet._version import __version__
from sonnet.errors import (
    DifferentGraphError,
    Error,
    IncompatibleShapeError,
    ModuleInfoError,
    NotConnectedError,
    NotInitializedError,
    NotSupportedError,
    ParentNotBuiltError,
    PluginConflictError,
    PluginError,
    UnderspecifiedError,
    VariableCreatedOnReconnectionError,
)

#: ``None``, or why TensorFlow is unusable (raised when a name needing it is used).
_TF_PROBLEM = _tensorflow_problem()

if _TF_PROBLEM is None:
    from sonnet import custom_getters, nest, regularizers
    from sonnet._abstract_module import AbstractModule
    from sonnet._checkpoint_restore import RestoreReport, restore_from_checkpoint
    from sonnet._checks import (
        check_initializers,
        check_partitioners,
        check_regularizers,
        custom_getter_router,
    )
    from sonnet._connection import ConnectedSubGraph, observe_connections
    from sonnet._formatting import (
        count_variables_by_type,
        format_variable_map,
        format_variables,
        log_variables,
        summarize_variables,
    )
    from sonnet._gradient_ops import clip_gradient, scale_gradient
    from sonnet._gradient_utils import convert_gradient_to_tensor
    from sonnet._kwargs import (
        MAYBE_SUPPORTED,
        NOT_SUPPORTED,
        SUPPORTED,
        deprecation_warning,
        parse_string_to_constructor,
        remove_unsupported_kwargs,
        supports_kwargs,
    )
    from sonnet._module import Module
    from sonnet._module_info import SONNET_COLLECTION_NAME
    from sonnet._naming import name_for_callable, to_snake_case
    from sonnet._replay import get_cached_variable, get_variable
    from sonnet._restore_initializer import restore_initializer
    from sonnet._reuse_variables import reuse_variables
    from sonnet._transposable import Transposable
    from sonnet._untracked import set_untracked
    from sonnet._variable_utils import (
        get_normalized_variable_map,
        get_saver,
        get_variable_scope_name,
        get_variables_in_module,
        get_variables_in_scope,
        has_variable_scope,
        notify_about_new_variables,
        sort_by_name,
        variable_map_items,
    )


def __getattr__(name: str):
    """Resolves plugin-provided names on first use (PEP 562)."""
    if _TF_PROBLEM is not None and not name.startswith("_"):
        raise ImportError(f"snt.{name} needs TensorFlow: {_TF_PROBLEM}") from _TF_PROBLEM
    return plugins._module_getattr(name)


def __dir__() -> list[str]:
    return plugins._module_dir()
