"""Sonnet 1's ``util.py`` (snt-core): scope, variable and keyword utilities."""

# ruff: noqa: F401
from sonnet import (
    MAYBE_SUPPORTED,
    NOT_SUPPORTED,
    SUPPORTED,
    check_initializers,
    check_partitioners,
    check_regularizers,
    convert_gradient_to_tensor,
    count_variables_by_type,
    custom_getter_router,
    deprecation_warning,
    format_variable_map,
    format_variables,
    get_normalized_variable_map,
    get_saver,
    get_variable_scope_name,
    get_variables_in_module,
    get_variables_in_scope,
    has_variable_scope,
    log_variables,
    name_for_callable,
    notify_about_new_variables,
    parse_string_to_constructor,
    remove_unsupported_kwargs,
    reuse_variables,
    sort_by_name,
    summarize_variables,
    supports_kwargs,
    to_snake_case,
    variable_map_items,
)
from sonnet._formatting import num_bytes_to_human_readable as _num_bytes_to_human_readable
from sonnet._variable_utils import is_scope_prefix as _is_scope_prefix
