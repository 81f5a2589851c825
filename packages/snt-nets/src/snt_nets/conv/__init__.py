"""Convolution modules: Conv1D/2D/3D, CausalConv1D, depthwise, separable, in-plane."""
