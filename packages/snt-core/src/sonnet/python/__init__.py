"""Sonnet 1's import paths: ``sonnet.python.modules.basic``, ``sonnet.python.ops.nest``, ...

A compatibility layer, not a second implementation: each path holds the same
objects as ``snt`` (``sonnet.python.modules.basic.Linear is snt.Linear``).
Who provides what is declared, not listed here: :data:`LEGACY` holds
snt-core's own paths, and each plugin declares its paths with the
``snt_legacy_paths`` hook (:class:`sonnet.plugins.LegacyPath`). The modules
below this package are made by :mod:`sonnet.plugins` on import; their names
resolve on first use, so importing one loads no plugin, and a name whose plugin
is missing fails on use saying what to install.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from sonnet._export import LegacyPath

__all__ = ["LEGACY", "core_legacy_table"]

_ERRORS = (
    "Error NotConnectedError ParentNotBuiltError IncompatibleShapeError UnderspecifiedError "
    "NotSupportedError NotInitializedError DifferentGraphError ModuleInfoError "
)
_NEST = "assert_same_structure flatten is_nested map_structure pack_sequence_as "
_NEST += "flatten_iterable pack_iterable_as is_iterable is_sequence map"
_GETTERS = "Context bayes_by_backprop non_trainable override_args override_default_args "
_GETTERS += "restore_initializer stop_gradient"

#: snt-core's own legacy paths (plugins declare theirs with ``snt_legacy_paths``).
LEGACY: list[LegacyPath] = [
    LegacyPath(
        "sonnet.python.modules.base",
        "AbstractModule Module Transposable observe_connections " + _ERRORS,
    ),
    LegacyPath("sonnet.python.modules.base_errors", _ERRORS),
    LegacyPath(
        "sonnet.python.modules.base_info",
        {
            "SONNET_COLLECTION_NAME": "SONNET_COLLECTION_NAME",
            "ConnectedSubGraph": "ConnectedSubGraph",
            **{
                name: f"sonnet._module_info:{target}"
                for name, target in (
                    ("ModuleInfo", "ModuleInfo"),
                    ("_UnserializableObject", "UnserializableObject"),
                    ("_MissingTensor", "MissingTensor"),
                    ("_is_namedtuple", "is_namedtuple"),
                    ("_is_iterable", "is_iterable"),
                )
            },
        },
    ),
    LegacyPath(
        "sonnet.python.modules.util",
        "SUPPORTED NOT_SUPPORTED MAYBE_SUPPORTED check_initializers check_partitioners "
        "check_regularizers convert_gradient_to_tensor count_variables_by_type "
        "custom_getter_router deprecation_warning format_variable_map format_variables "
        "get_normalized_variable_map get_saver get_variable_scope_name get_variables_in_module "
        "get_variables_in_scope has_variable_scope log_variables name_for_callable "
        "notify_about_new_variables parse_string_to_constructor remove_unsupported_kwargs "
        "reuse_variables sort_by_name summarize_variables supports_kwargs to_snake_case "
        "variable_map_items",
    ),
    LegacyPath(
        "sonnet.python.modules.util",
        {
            "_num_bytes_to_human_readable": "sonnet._formatting:num_bytes_to_human_readable",
            "_is_scope_prefix": "sonnet._variable_utils:is_scope_prefix",
        },
    ),
    LegacyPath("sonnet.python.modules.clip_gradient", "clip_gradient"),
    LegacyPath("sonnet.python.modules.scale_gradient", "scale_gradient"),
    LegacyPath("sonnet.python.ops.initializers", "restore_initializer"),
    LegacyPath("sonnet.python.ops.nest", " ".join(f"nest.{n}" for n in _NEST.split())),
    LegacyPath(
        "sonnet.python.custom_getters",
        " ".join(f"custom_getters.{n}" for n in _GETTERS.split()),
    ),
]


@functools.cache
def core_legacy_table() -> dict[str, dict[str, str]]:
    """:data:`LEGACY` as ``{path: {attribute: target}}``."""
    table: dict[str, dict[str, str]] = {}
    for record in LEGACY:
        table.setdefault(record.path, {}).update(record.table)
    return table


def __getattr__(name: str) -> Any:
    """``sonnet.python.modules`` without importing it first (as after Sonnet 1's
    ``import sonnet``)."""
    from sonnet.plugins._legacy import is_legacy_path

    if not name.startswith("_") and is_legacy_path(f"{__name__}.{name}"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
