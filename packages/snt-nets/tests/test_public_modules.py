"""snt-nets' public modules for other plugins: what snt-rnn and snt-transpose rely on.

Removing or renaming one of these names breaks the plugins that declare
``snt-nets>=0.1,<0.2``; this list makes that a failing test here first.
"""

import importlib
import inspect

import pytest

#: Module -> the names snt-rnn and snt-transpose import from it.
USED_BY_SIBLINGS = {
    "snt_nets.conv_constants": (
        "SAME VALID CONV_OP_ALLOWED_PADDINGS DATA_FORMAT_NWC DATA_FORMAT_NHWC "
        "DATA_FORMAT_NDHWC SUPPORTED_2D_DATA_FORMATS"
    ),
    "snt_nets.conv_utils": (
        "fill_shape fill_stride fill_padding check_data_format channel_axis spatial_dims "
        "is_channels_first native_channels_first to_channels_last to_channels_first "
        "channels_last_format output_spatial_size"
    ),
    "snt_nets.variable_dicts": "VariableDicts",
    "snt_nets.batch_norm_utils": "static_bool smart_cond select_statistics",
}


@pytest.mark.parametrize("module_name", sorted(USED_BY_SIBLINGS))
def test_public_module_lists_and_documents_its_names(module_name):
    module = importlib.import_module(module_name)
    assert "public" in (module.__doc__ or "").lower()
    assert set(USED_BY_SIBLINGS[module_name].split()) <= set(module.__all__)
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert inspect.getdoc(obj), f"{module_name}.{name} has no docstring"
