"""Sonnet 1's ``basic.py``: names provided by snt-nets, resolved on use."""

from sonnet.python._legacy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(
    __name__,
    "basic.py",
    "merge_leading_dims split_leading_dim create_linear_initializer create_bias_initializer "
    "Linear ConcatLinear calculate_bias_shape AddBias BatchReshape BatchFlatten "
    "FlattenTrailingDimensions TrainableVariable BatchApply SliceByDim TileByDim MergeDims "
    "SelectInput",
)
