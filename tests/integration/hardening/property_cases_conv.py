"""Property strategies for the convolution variants, ConvNet2D and the transposed convolutions.

Conv3D, CausalConv1D, DepthwiseConv2D, SeparableConv1D/2D, InPlaneConv2D and
nets.ConvNet2D come from snt-nets; Conv1D/2D/3DTranspose and
nets.ConvNet2DTranspose from snt-transpose. (Conv1D and Conv2D are in
property_cases_core_set.py.)

Expected output shapes are computed here from the configuration alone, with
one formula per spatial dimension: an input of size ``i`` padded by ``extra``
elements in total and convolved (VALID) with a kernel of extent
``e = (k - 1) * rate + 1`` and stride ``s`` gives ``(i + extra - e) // s + 1``
elements, where ``extra`` is 0 for VALID, ``e - 1`` for SAME, CAUSAL and
REVERSE_CAUSAL and ``2 * (e - 1)`` for FULL (TensorFlow's own SAME, ``ceil(i /
s)``, is the same number). A transposed convolution maps ``i`` to any ``o``
that the forward convolution maps back to ``i``; inferred, ``o`` is ``i * s``
(SAME) or ``i * s + max(k - s, 0)`` (VALID), as documented.

Channels-first formats (NCW, NCHW, NCDHW) are drawn too: without a GPU the
modules transpose to channels-last around the op, which is what runs here.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf
from hypothesis import strategies as st
from property_support import (
    CONNECTION,
    CONSTRUCTION,
    RUN,
    Drawn,
    bad_key,
    batches,
    case,
    ones,
    ramp,
    small,
)

import sonnet as snt

PADDINGS = ("SAME", "VALID", "FULL", "CAUSAL", "REVERSE_CAUSAL")
PADDING_VALUES = ("CONSTANT", "REFLECT", "SYMMETRIC")
FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}
ALL_FORMATS = tuple(f for pair in FORMATS.values() for f in pair)
JUNK_FORMATS = ("nhwc", "NHCW", "XYZ", "", "CHWN", "NC")
BAD_PADDINGS = ("same", "valid", "BOGUS", "", "FULLY", "CAUSAL ")
BAD_PADDING_VALUES = ("constant", "ZERO", "WRAP", "", "REFLECTX")

#: Batch normalization on its moving statistics (deterministic in every mode); the
#: conformance suite fills moving variances with values in [-0.5, 0.5], so eps is 1.
BN_EPS = 1.0
BN_TEST = {"is_training": False, "test_local_stats": False}


# -- shape arithmetic (from the configuration only) ----------------------------


def _extent(kernel: int, rate: int) -> int:
    return (kernel - 1) * rate + 1


def _extra(padding: str, extent: int) -> int:
    """Elements a padding mode adds to one dimension in total (SAME: as at stride 1)."""
    return {
        "VALID": 0,
        "SAME": extent - 1,
        "CAUSAL": extent - 1,
        "REVERSE_CAUSAL": extent - 1,
        "FULL": 2 * (extent - 1),
    }[padding]


def _out_size(size: int, kernel: int, stride: int, rate: int, padding: str) -> int:
    extent = _extent(kernel, rate)
    return (size + _extra(padding, extent) - extent) // stride + 1


def _min_in(need: int, kernel: int, stride: int, rate: int, padding: str, mirror: bool) -> int:
    """The smallest input size giving at least ``need`` outputs.

    ``mirror`` (REFLECT/SYMMETRIC padding values) also needs every padding
    amount below the size, which an input at least as large as the kernel
    extent guarantees.
    """
    extent = _extent(kernel, rate)
    low = max(1, (need - 1) * stride + extent - _extra(padding, extent))
    return max(low, extent) if mirror else low


def _layout(data_format: str, batch: int, spatial: Any, channels: int) -> tuple[int, ...]:
    """A full shape in ``data_format`` (channels after the batch for NC...)."""
    if data_format.startswith("NC"):
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def _transpose_range(size: int, kernel: int, stride: int, padding: str) -> tuple[int, int]:
    """The output sizes a transposed convolution may give for an input of ``size``.

    Those ``o`` the forward convolution maps back to ``size``: SAME gives
    ``ceil(o / s)``, VALID ``(o - k) // s + 1``.
    """
    if padding == "SAME":
        return (size - 1) * stride + 1, size * stride
    return (size - 1) * stride + kernel, (size - 1) * stride + kernel + stride - 1


def _transpose_inferred(size: int, kernel: int, stride: int, padding: str) -> int:
    return size * stride + (kernel - 1 if padding == "VALID" else 0)  # Sonnet 1's default


# -- drawing helpers -------------------------------------------------------------


def _per_dim_arg(draw: Any, values: tuple[int, ...]) -> Any:
    """``values`` as an int (when all equal, sometimes), a tuple or a list."""
    if len(set(values)) == 1 and draw(st.booleans()):
        return values[0]
    return tuple(values) if draw(st.booleans()) else list(values)


def _stride_arg(draw: Any, strides: tuple[int, ...], data_format: str) -> Any:
    """Strides as for ``_per_dim_arg``, or in Sonnet 1's full-rank form with 1s."""
    if draw(st.integers(0, 3)) == 0:
        if data_format.startswith("NC"):
            return (1, 1, *strides)
        return (1, *strides, 1)
    return _per_dim_arg(draw, strides)


def _channels_arg(draw: Any, channels: int) -> Any:
    """An int, or a callable returning it (evaluated on first use)."""
    return (lambda: channels) if draw(st.integers(0, 3)) == 0 else channels


def _dicts(draw: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """Valid initializers or regularizers for a random subset of ``keys``."""
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    if not chosen:
        return {}
    if draw(st.booleans()):
        return {"initializers": {k: tf.compat.v1.constant_initializer(0.1) for k in chosen}}
    return {"regularizers": {k: tf.nn.l2_loss for k in chosen}}


@dataclasses.dataclass
class _Geometry:
    """A drawn kernel/stride/rate/padding configuration of an N-D convolution."""

    kwargs: dict[str, Any]  # constructor arguments
    dims: list[tuple[int, int, int, str]]  # per spatial dimension: kernel, stride, rate, padding
    data_format: str
    mirror: bool

    def spatial(self, draw: Any, spread: int = 3) -> list[int]:
        """Input sizes, each from the smallest one that works to ``spread`` more."""
        sizes = []
        for k, s, r, p in self.dims:
            low = _min_in(1, k, s, r, p, self.mirror)
            sizes.append(draw(st.integers(low, low + spread)))
        return sizes

    def out(self, spatial: list[int]) -> list[int]:
        return [
            _out_size(i, k, s, r, p) for i, (k, s, r, p) in zip(spatial, self.dims, strict=True)
        ]

    def drawn(
        self,
        draw: Any,
        name: str,
        create: Callable[[], Any],
        channels: tuple[int, int],
        num_variables: int,
        spread: int = 3,
    ) -> Drawn:
        """The case of a module built by ``create`` on a drawn input of this geometry.

        ``channels`` is ``(in, out)``; the expected output shape follows from the
        geometry, not from running the module.
        """
        in_channels, out_channels = channels
        spatial = self.spatial(draw, spread)
        shape = _layout(self.data_format, draw(batches), spatial, in_channels)
        return Drawn(
            case(name, create, lambda: (ramp(*shape),)),
            _layout(self.data_format, shape[0], self.out(spatial), out_channels),
            num_variables,
        )


def _depthwise_takes_unequal_strides() -> bool:
    """Whether this TensorFlow build's depthwise kernel accepts unequal strides.

    oneDNN's does (x86 CPUs, the default); TensorFlow's own kernels (GPU, ARM,
    ``TF_ENABLE_ONEDNN_OPTS=0``, as in CI) refuse them, as they did under Sonnet 1.
    """
    try:
        tf.nn.depthwise_conv2d(tf.ones([1, 3, 3, 1]), tf.ones([1, 1, 1, 1]), [1, 1, 2, 1], "SAME")
    except tf.errors.InvalidArgumentError:
        return False
    return True


#: Probed once, eagerly, when the strategies are imported.
DEPTHWISE_EQUAL_STRIDES_ONLY = not _depthwise_takes_unequal_strides()


@st.composite
def _geometry(
    draw: Any,
    n: int,
    rate: bool = True,
    paddings: tuple[str, ...] = PADDINGS,
    max_kernel: int = 3,
    equal_strides: bool = False,
) -> _Geometry:
    kernel = tuple(draw(st.integers(1, max_kernel)) for _ in range(n))
    mode = draw(st.sampled_from(["plain", "strided", "dilated"] if rate else ["plain", "strided"]))
    stride = tuple(draw(st.integers(1, 3)) if mode == "strided" else 1 for _ in range(n))
    if equal_strides:
        stride = (stride[0],) * n
    rates = tuple(draw(st.integers(1, 3)) if mode == "dilated" else 1 for _ in range(n))
    if n > 1 and draw(st.booleans()):
        padding_arg: Any = tuple(draw(st.sampled_from(paddings)) for _ in range(n))
        per_dim = list(padding_arg)
    else:
        padding_arg = draw(st.sampled_from(paddings))
        per_dim = [padding_arg] * n
    padding_value = draw(st.sampled_from(PADDING_VALUES))
    data_format = draw(st.sampled_from(FORMATS[n]))
    kwargs: dict[str, Any] = {
        "kernel_shape": _per_dim_arg(draw, kernel),
        "padding": padding_arg,
        "data_format": data_format,
    }
    if mode == "strided" or draw(st.booleans()):
        kwargs["stride"] = _stride_arg(draw, stride, data_format)
    if rate and (mode == "dilated" or draw(st.booleans())):
        kwargs["rate"] = _per_dim_arg(draw, rates)
    if padding_value != "CONSTANT" or draw(st.booleans()):
        kwargs["padding_value"] = padding_value
    return _Geometry(
        kwargs,
        list(zip(kernel, stride, rates, per_dim, strict=True)),
        data_format,
        padding_value != "CONSTANT",
    )


def _mask(draw: Any, kernel: list[int]) -> np.ndarray:
    """0/1 entries over a prefix of the kernel's shape."""
    shape = kernel[: draw(st.integers(1, len(kernel)))]
    bits = draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=math.prod(shape)))
    return np.asarray(bits[: math.prod(shape)], np.float32).reshape(shape)


def _not_single(count: int, *others: int) -> int:
    """``count``, or 2 where the filter would otherwise hold a single element.

    TensorFlow 2.21's oneDNN kernels fail now and then, in graph mode, on a
    convolution whose filter has one element (1x1 kernel, one channel in, one
    out): ``AbortedError: could not create a primitive descriptor for the
    reorder primitive``, depending on what ran before in the process (not
    reproducible in isolation). The drawn configurations avoid that
    degenerate scalar product (``others``: the kernel sizes and the other
    channel count) to keep the run deterministic; every other shape of
    kernel and channels is drawn.
    """
    return 2 if count == 1 and all(o == 1 for o in others) else count


# -- VALID: convolutions ----------------------------------------------------------


@st.composite
def conv_3d(draw):
    geometry = draw(_geometry(3, max_kernel=2))
    out_channels, in_channels = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    out_channels = _not_single(out_channels, in_channels, *(k for k, _, _, _ in geometry.dims))
    bias = draw(st.booleans())
    kwargs = dict(geometry.kwargs, use_bias=bias, **_dicts(draw, ("w", "b") if bias else ("w",)))
    if draw(st.integers(0, 3)) == 0:
        kwargs["mask"] = _mask(draw, [k for k, _, _, _ in geometry.dims])
    channels = _channels_arg(draw, out_channels)
    create = functools.partial(snt.Conv3D, channels, **kwargs)
    return geometry.drawn(draw, "Conv3D", create, (in_channels, out_channels), 1 + bias, spread=2)


@st.composite
def causal_conv_1d(draw):
    geometry = draw(_geometry(1))
    if draw(st.integers(0, 2)):  # mostly the default, CAUSAL
        del geometry.kwargs["padding"]
        geometry.dims = [(k, s, r, "CAUSAL") for k, s, r, _ in geometry.dims]
    out_channels, in_channels = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    out_channels = _not_single(out_channels, in_channels, geometry.dims[0][0])
    bias = draw(st.booleans())
    kwargs = dict(geometry.kwargs, use_bias=bias, **_dicts(draw, ("w", "b") if bias else ("w",)))
    if draw(st.integers(0, 3)) == 0:
        kwargs["mask"] = _mask(draw, [geometry.dims[0][0], in_channels])
    channels = _channels_arg(draw, out_channels)
    create = functools.partial(snt.CausalConv1D, channels, **kwargs)
    return geometry.drawn(draw, "CausalConv1D", create, (in_channels, out_channels), 1 + bias)


@st.composite
def depthwise_conv_2d(draw):
    geometry = draw(_geometry(2, rate=False, equal_strides=DEPTHWISE_EQUAL_STRIDES_ONLY))
    multiplier, in_channels = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    multiplier = _not_single(multiplier, in_channels, *(k for k, _, _, _ in geometry.dims))
    bias = draw(st.booleans())
    kwargs = dict(geometry.kwargs, use_bias=bias, **_dicts(draw, ("w", "b") if bias else ("w",)))
    create = functools.partial(snt.DepthwiseConv2D, multiplier, **kwargs)
    channels = (in_channels, in_channels * multiplier)
    return geometry.drawn(draw, "DepthwiseConv2D", create, channels, 1 + bias)


@st.composite
def in_plane_conv_2d(draw):
    geometry = draw(_geometry(2, rate=False, equal_strides=DEPTHWISE_EQUAL_STRIDES_ONLY))
    in_channels, bias = draw(st.integers(1, 3)), draw(st.booleans())
    in_channels = _not_single(in_channels, *(k for k, _, _, _ in geometry.dims))
    kwargs = dict(geometry.kwargs, use_bias=bias, **_dicts(draw, ("w", "b") if bias else ("w",)))
    create = functools.partial(snt.InPlaneConv2D, **kwargs)
    return geometry.drawn(draw, "InPlaneConv2D", create, (in_channels, in_channels), 1 + bias)


@st.composite
def separable_conv(draw, n: int):
    geometry = draw(_geometry(n, equal_strides=n == 2 and DEPTHWISE_EQUAL_STRIDES_ONLY))
    out_channels, multiplier = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    in_channels, bias = draw(st.integers(1, 3)), draw(st.booleans())
    multiplier = _not_single(multiplier, in_channels)  # the pointwise filter is 1x1
    keys = ("w_dw", "w_pw", "b") if bias else ("w_dw", "w_pw")
    kwargs = dict(geometry.kwargs, use_bias=bias, **_dicts(draw, keys))
    module = snt.SeparableConv1D if n == 1 else snt.SeparableConv2D
    create = functools.partial(module, out_channels, multiplier, **kwargs)
    return geometry.drawn(draw, module.__name__, create, (in_channels, out_channels), 2 + bias)


# -- VALID: transposed convolutions ------------------------------------------------


@st.composite
def conv_transpose(draw, n: int):
    data_format = draw(st.sampled_from(FORMATS[n]))
    out_channels, in_channels = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(n))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(n))
    padding, bias = draw(st.sampled_from(["SAME", "VALID"])), draw(st.booleans())
    spatial = [draw(st.integers(1, 3 if n == 3 else 4)) for _ in range(n)]
    dims = list(zip(spatial, kernel, stride, strict=True))
    how = draw(st.sampled_from(["inferred", "given", "callable"]))
    if how == "inferred":
        out = [_transpose_inferred(i, k, s, padding) for i, k, s in dims]
    else:
        out = [draw(st.integers(*_transpose_range(i, k, s, padding))) for i, k, s in dims]
    given = tuple(out) if draw(st.booleans()) else list(out)
    output_shape = {"inferred": None, "given": given, "callable": lambda: given}[how]
    kwargs = {
        "output_shape": output_shape,
        "kernel_shape": _per_dim_arg(draw, kernel),
        "stride": _stride_arg(draw, stride, data_format),
        "padding": padding,
        "use_bias": bias,
        "data_format": data_format,
        **_dicts(draw, ("w", "b") if bias else ("w",)),
    }
    channels = _channels_arg(draw, out_channels)
    shape = _layout(data_format, draw(batches), spatial, in_channels)
    module = {1: snt.Conv1DTranspose, 2: snt.Conv2DTranspose, 3: snt.Conv3DTranspose}[n]
    return Drawn(
        case(
            module.__name__,
            lambda: module(channels, **kwargs),
            lambda: (ramp(*shape),),
        ),
        _layout(data_format, shape[0], out, out_channels),
        1 + bias,
    )


# -- VALID: networks ------------------------------------------------------------------


@st.composite
def _normalization(draw):
    """Normalization arguments of a net, variables per normalizer, build kwargs."""
    kind = draw(st.sampled_from(["none", "ctor", "string", "legacy", "layer_norm"]))
    offset, scale = draw(st.booleans()), draw(st.booleans())
    config = {"offset": offset, "scale": scale}
    if kind == "none":
        return {}, 0, draw(st.sampled_from([{}, BN_TEST]))  # kwargs without normalizer: unused
    if kind == "layer_norm":
        return (
            {"normalization_ctor": snt.LayerNorm, "normalization_kwargs": config},
            (offset + scale),
            {},
        )
    config["eps"] = BN_EPS
    if kind == "legacy":
        args = {"use_batch_norm": True, "batch_norm_config": config}
    else:
        ctor = snt.BatchNorm if kind == "ctor" else "snt.BatchNorm"
        args = {"normalization_ctor": ctor, "normalization_kwargs": config}
    return args, offset + scale + 2, BN_TEST  # + moving mean and variance


@st.composite
def _net_tail(draw, num_layers: int, data_format: str):
    """Activation, normalization and bias arguments shared by both nets."""
    norm_args, per_norm, build_kwargs = draw(_normalization())
    activate_final = draw(st.booleans())
    normalize_final = draw(st.sampled_from([None, False, True]))
    final = activate_final if normalize_final is None else normalize_final
    num_norms = num_layers - 1 + final  # batch_norm_<i> after every layer but maybe the last
    bias = draw(st.booleans())
    args = {
        **norm_args,
        "activation": draw(st.sampled_from([tf.nn.relu, tf.tanh, tf.nn.elu])),
        "activate_final": activate_final,
        "use_bias": bias,
        **_dicts(draw, ("w", "b") if bias else ("w",)),
    }
    if normalize_final is not None:
        args["normalize_final"] = normalize_final
    return args, num_norms * per_norm, build_kwargs, bias


def _per_layer_arg(draw: Any, values: list[Any]) -> list[Any]:
    """One entry per layer, or a single entry when every layer has the same."""
    if all(v == values[0] for v in values) and draw(st.booleans()):
        return [values[0]]
    return list(values)


@st.composite
def conv_net_2d(draw):
    num_layers = draw(st.integers(1, 3))
    data_format = draw(st.sampled_from(FORMATS[2]))
    channels = [draw(st.integers(1, 3)) for _ in range(num_layers)]
    layers = []  # per layer: (per spatial dim: kernel, stride, rate, padding)
    kernels, strides, rates, paddings = [], [], [], []
    for _ in range(num_layers):
        kernel = tuple(draw(st.integers(1, 3)) for _ in range(2))
        mode = draw(st.sampled_from(["plain", "strided", "dilated"]))
        stride = tuple(draw(st.integers(1, 2)) if mode == "strided" else 1 for _ in range(2))
        rate = tuple(draw(st.integers(1, 2)) if mode == "dilated" else 1 for _ in range(2))
        padding = draw(st.sampled_from(PADDINGS))
        layers.append(list(zip(kernel, stride, rate, [padding] * 2, strict=True)))
        kernels.append(_per_dim_arg(draw, kernel))
        strides.append(_per_dim_arg(draw, stride))
        rates.append(_per_dim_arg(draw, rate))
        paddings.append(padding)
    # The smallest input giving every layer a non-empty input, from the last layer back.
    spatial = []
    for d in range(2):
        need = 1
        for layer in reversed(layers):
            k, s, r, p = layer[d]
            need = _min_in(need, k, s, r, p, False)
        spatial.append(draw(st.integers(need, need + 2)))
    out = list(spatial)
    for layer in layers:
        out = [_out_size(i, *layer[d]) for d, i in enumerate(out)]
    tail, norm_variables, build_kwargs, bias = draw(_net_tail(num_layers, data_format))
    args = {
        "kernel_shapes": _per_layer_arg(draw, kernels),
        "strides": _per_layer_arg(draw, strides),
        "paddings": _per_layer_arg(draw, paddings),
        "data_format": data_format,
        **tail,
    }
    if any(r != 1 for r in rates) or draw(st.booleans()):
        args["rates"] = _per_layer_arg(draw, rates)
    in_channels = draw(st.integers(1, 3))
    for i, layer in enumerate(layers):
        before = in_channels if i == 0 else channels[i - 1]
        channels[i] = _not_single(channels[i], before, *(k for k, _, _, _ in layer))
    output_channels = [_channels_arg(draw, c) for c in channels]
    shape = _layout(data_format, draw(batches), spatial, in_channels)
    return Drawn(
        case(
            "nets.ConvNet2D",
            lambda: snt.nets.ConvNet2D(output_channels, **args),
            lambda: (ramp(*shape),),
            kwargs=build_kwargs,
        ),
        _layout(data_format, shape[0], out, channels[-1]),
        num_layers * (1 + bias) + norm_variables,
    )


@st.composite
def conv_net_2d_transpose(draw):
    num_layers = draw(st.integers(1, 3))
    data_format = draw(st.sampled_from(FORMATS[2]))
    channels = [draw(st.integers(1, 3)) for _ in range(num_layers)]
    spatial = [draw(st.integers(1, 3)) for _ in range(2)]
    size = list(spatial)
    kernels, strides, paddings, output_shapes = [], [], [], []
    for _ in range(num_layers):
        kernel = tuple(draw(st.integers(1, 3)) for _ in range(2))
        stride = tuple(draw(st.integers(1, 2)) for _ in range(2))
        padding = draw(st.sampled_from(["SAME", "VALID"]))
        dims = list(zip(size, kernel, stride, strict=True))
        how = draw(st.sampled_from(["inferred", "given", "callable"]))
        if how == "inferred":
            size = [_transpose_inferred(i, k, s, padding) for i, k, s in dims]
            output_shapes.append(None)
        else:
            size = [draw(st.integers(*_transpose_range(i, k, s, padding))) for i, k, s in dims]
            fixed = tuple(size)
            output_shapes.append(fixed if how == "given" else (lambda fixed=fixed: fixed))
        kernels.append(_per_dim_arg(draw, kernel))
        strides.append(_per_dim_arg(draw, stride))
        paddings.append(padding)
    if all(o is None for o in output_shapes) and draw(st.booleans()):
        output_shapes = None  # all inferred
    tail, norm_variables, build_kwargs, bias = draw(_net_tail(num_layers, data_format))
    args = {
        "output_shapes": output_shapes,
        "kernel_shapes": _per_layer_arg(draw, kernels),
        "strides": _per_layer_arg(draw, strides),
        "paddings": _per_layer_arg(draw, paddings),
        "data_format": data_format,
        **tail,
    }
    output_channels = [_channels_arg(draw, c) for c in channels]
    shape = _layout(data_format, draw(batches), spatial, draw(st.integers(1, 3)))
    return Drawn(
        case(
            "nets.ConvNet2DTranspose",
            lambda: snt.nets.ConvNet2DTranspose(output_channels, **args),
            lambda: (ramp(*shape),),
            kwargs=build_kwargs,
        ),
        _layout(data_format, shape[0], size, channels[-1]),
        num_layers * (1 + bias) + norm_variables,
    )


VALID = {
    "Conv3D": conv_3d(),
    "CausalConv1D": causal_conv_1d(),
    "DepthwiseConv2D": depthwise_conv_2d(),
    "InPlaneConv2D": in_plane_conv_2d(),
    "SeparableConv1D": separable_conv(1),
    "SeparableConv2D": separable_conv(2),
    "Conv1DTranspose": conv_transpose(1),
    "Conv2DTranspose": conv_transpose(2),
    "Conv3DTranspose": conv_transpose(3),
    "nets.ConvNet2D": conv_net_2d(),
    "nets.ConvNet2DTranspose": conv_net_2d_transpose(),
}


# -- INVALID ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Spec:
    """What the invalid scenarios of one convolution module need to know."""

    n: int
    build: Callable[..., Any]  # build(name=..., **overrides): a valid module by default
    keys: tuple[str, ...]  # initializer keys with a bias
    rate: bool = True
    mask: bool = False
    output_channels: bool = True
    multiplier: bool = False
    transposable: bool = False


_SPECS = {
    "Conv3D": _Spec(
        3,
        lambda **kw: snt.Conv3D(**{"output_channels": 2, "kernel_shape": 2, **kw}),
        ("w", "b"),
        mask=True,
        transposable=True,
    ),
    "CausalConv1D": _Spec(
        1,
        lambda **kw: snt.CausalConv1D(**{"output_channels": 2, "kernel_shape": 3, **kw}),
        ("w", "b"),
        mask=True,
    ),
    "DepthwiseConv2D": _Spec(
        2,
        lambda **kw: snt.DepthwiseConv2D(**{"channel_multiplier": 2, "kernel_shape": 3, **kw}),
        ("w", "b"),
        rate=False,
        output_channels=False,
        multiplier=True,
    ),
    "InPlaneConv2D": _Spec(
        2,
        lambda **kw: snt.InPlaneConv2D(**{"kernel_shape": 3, **kw}),
        ("w", "b"),
        rate=False,
        output_channels=False,
    ),
    "SeparableConv1D": _Spec(
        1,
        lambda **kw: snt.SeparableConv1D(
            **{"output_channels": 2, "channel_multiplier": 2, "kernel_shape": 3, **kw}
        ),
        ("w_dw", "w_pw", "b"),
        multiplier=True,
    ),
    "SeparableConv2D": _Spec(
        2,
        lambda **kw: snt.SeparableConv2D(
            **{"output_channels": 2, "channel_multiplier": 2, "kernel_shape": 3, **kw}
        ),
        ("w_dw", "w_pw", "b"),
        multiplier=True,
    ),
}


def _bad_format(draw: Any, n: int) -> str:
    """A data format of another rank, or no format at all."""
    return draw(
        st.sampled_from([f for f in ALL_FORMATS if f not in FORMATS[n]] + list(JUNK_FORMATS))
    )


def _bad_shape_arg(draw: Any, n: int) -> Any:
    """Not a positive int nor a sequence of ``n`` of them."""
    options = [
        st.integers(-3, 0),
        st.lists(st.integers(1, 3), min_size=n + 1, max_size=n + 2),
        st.lists(st.integers(-2, 0), min_size=n, max_size=n),
        st.sampled_from([None, 2.0, True, "3", [1.5] * n, [True] * n]),
    ]
    if n > 1:  # too short
        options.append(st.lists(st.integers(1, 3), min_size=n - 1, max_size=n - 1))
    return draw(st.one_of(options))


def _bad_dict(draw: Any, keys: tuple[str, ...], bias: bool) -> dict[str, Any]:
    """An initializers/partitioners/regularizers argument with an unknown key."""
    which = draw(st.sampled_from(["initializers", "partitioners", "regularizers"]))
    if not bias and draw(st.booleans()):
        key = "b"  # known with a bias only
    else:
        key = bad_key(draw, set(keys))
    return {which: {key: tf.identity}}


def _unknown_channels(shape: tuple[Any, ...]) -> Callable[[Any], Any]:
    """Connects inside a ``tf.function`` traced for ``shape`` (None: unknown size)."""

    def connect(m):
        return tf.function(lambda x: m(x)).get_concrete_function(tf.TensorSpec(shape, tf.float32))

    return connect


def _rechannel(shape: tuple[int, ...], other: tuple[int, ...]) -> Callable[[Any], Any]:
    def connect(m):
        m(ones(*shape))
        return m(ones(*other))

    return connect


@st.composite
def conv_nd_cases(draw, export: str):
    spec = _SPECS[export]
    n, build = spec.n, spec.build
    kinds = [
        "padding",
        "padding_value",
        "format",
        "kernel",
        "stride",
        "full_stride",
        "key",
        "rank",
        "dtype",
        "rechannel",
        "unknown_channels",
        "zero_channels",
        "too_small",
        "mirror_too_small",
    ]
    kinds += ["stride_rate", "rate"] if spec.rate else []
    kinds += ["mask", "mask_type"] if spec.mask else []
    kinds += ["output_channels"] if spec.output_channels else []
    kinds += ["multiplier"] if spec.multiplier else []
    kinds += ["transpose"] if spec.transposable else []
    kind = draw(st.sampled_from(kinds))
    fmt = draw(st.sampled_from(FORMATS[n]))

    def shape(spatial: Any, channels: int, batch: int = 1) -> tuple[Any, ...]:
        return _layout(fmt, batch, [spatial] * n if isinstance(spatial, int) else spatial, channels)

    if kind == "padding":
        if draw(st.booleans()):  # one padding per dimension: wrong count or entry
            count = draw(st.sampled_from([c for c in (1, n + 1, n + 2) if c != n]))
            bad: Any = ["SAME"] * count
            if draw(st.booleans()):
                bad = ["SAME"] * (n - 1) + [draw(st.sampled_from(BAD_PADDINGS))]
        else:
            bad = draw(st.sampled_from(BAD_PADDINGS))
        return CONSTRUCTION, lambda name: build(padding=bad, name=name), None
    if kind == "padding_value":
        bad = draw(st.sampled_from(BAD_PADDING_VALUES))
        return CONSTRUCTION, lambda name: build(padding_value=bad, name=name), None
    if kind == "format":
        bad = _bad_format(draw, n)
        return CONSTRUCTION, lambda name: build(data_format=bad, name=name), None
    if kind == "kernel":
        bad = _bad_shape_arg(draw, n)
        return CONSTRUCTION, lambda name: build(kernel_shape=bad, name=name), None
    if kind == "stride":
        bad = draw(
            st.one_of(
                st.integers(-2, 0),
                st.lists(st.integers(1, 3), min_size=n + 3, max_size=n + 4),
                st.sampled_from([None, 1.5, "2"]),
            )
        )
        return CONSTRUCTION, lambda name: build(stride=bad, name=name), None
    if kind == "full_stride":  # Sonnet 1's full-rank form must be 1 on batch and channels
        outer = draw(st.sampled_from([(2, 1), (1, 2), (2, 2)]))
        bad = (outer[0], *[1] * n, outer[1])
        if fmt.startswith("NC"):
            bad = (outer[0], outer[1], *[1] * n)
        return CONSTRUCTION, lambda name: build(stride=bad, data_format=fmt, name=name), None
    if kind == "stride_rate":
        stride, rate = draw(st.integers(2, 3)), draw(st.integers(2, 3))
        return CONSTRUCTION, lambda name: build(stride=stride, rate=rate, name=name), None
    if kind == "rate":
        bad = _bad_shape_arg(draw, n)
        return CONSTRUCTION, lambda name: build(rate=bad, name=name), None
    if kind == "key":
        bias = draw(st.booleans())
        bad = _bad_dict(draw, spec.keys, bias)
        return CONSTRUCTION, lambda name: build(use_bias=bias, name=name, **bad), None
    if kind == "output_channels":
        bad = draw(st.sampled_from([0, -1, -4, 1.5, "3", None, True]))
        return CONSTRUCTION, lambda name: build(output_channels=bad, name=name), None
    if kind == "mask_type":  # not numbers
        bad = draw(st.sampled_from(["abc", [["a", "b"]], {"w": 1}, object()]))
        return CONSTRUCTION, lambda name: build(mask=bad, name=name), None
    if kind == "multiplier":
        bad = draw(st.sampled_from([0, -1, -3, 1.5, "2", None]))
        return CONSTRUCTION, lambda name: build(channel_multiplier=bad, name=name), None
    make = lambda name: build(data_format=fmt, name=name)  # noqa: E731
    if kind == "rank":
        rank = draw(st.sampled_from([r for r in range(1, 7) if r != n + 2]))
        dims = [draw(st.integers(2, 4)) for _ in range(rank)]
        return CONNECTION, make, lambda m: m(ones(*dims))
    if kind == "dtype":
        dtype = draw(st.sampled_from([tf.int32, tf.int64, tf.bool, tf.string]))
        full = shape(4, 2)
        return CONNECTION, make, lambda m: m(tf.zeros(full, dtype))
    if kind == "rechannel":
        channels = draw(small)
        other = draw(small.filter(lambda c: c != channels))
        return CONNECTION, make, _rechannel(shape(4, channels), shape(4, other))
    if kind == "unknown_channels":
        return CONNECTION, make, _unknown_channels(shape(draw(st.integers(3, 5)), None))
    if kind == "zero_channels":
        full = shape(draw(st.integers(3, 5)), 0, batch=draw(batches))
        return CONNECTION, make, lambda m: m(ones(*full))
    if kind == "too_small":  # VALID: input smaller than the (dilated) kernel
        kernel = draw(st.integers(2, 4))
        rate = draw(st.integers(1, 2)) if spec.rate else 1
        extent = _extent(kernel, rate)
        sizes = [draw(st.integers(extent, extent + 2)) for _ in range(n)]
        sizes[draw(st.integers(0, n - 1))] = draw(st.integers(1, extent - 1))
        extra = {"rate": rate} if spec.rate else {}
        full = shape(sizes, 2)
        return (
            CONNECTION,
            lambda name: build(
                kernel_shape=kernel, padding="VALID", data_format=fmt, name=name, **extra
            ),
            lambda m: m(ones(*full)),
        )
    if kind == "mirror_too_small":  # REFLECT/SYMMETRIC cannot pad more than the input holds
        padding_value = draw(st.sampled_from(["REFLECT", "SYMMETRIC"]))
        padding = draw(st.sampled_from(["FULL", "CAUSAL", "REVERSE_CAUSAL"]))
        kernel = draw(st.integers(3, 5))
        # The padding is kernel - 1 elements on one side: more than REFLECT
        # (below the size) or SYMMETRIC (up to the size) allows.
        limit = kernel - 1 if padding_value == "REFLECT" else kernel - 2
        sizes = [draw(st.integers(kernel, 6)) for _ in range(n)]
        sizes[draw(st.integers(0, n - 1))] = draw(st.integers(1, limit))
        full = shape(sizes, 2)
        return (
            CONNECTION,
            lambda name: build(
                kernel_shape=kernel,
                padding=padding,
                padding_value=padding_value,
                data_format=fmt,
                name=name,
            ),
            lambda m: m(ones(*full)),
        )
    if kind == "mask":  # not a prefix of the weight shape [*kernel, in 2, out 2]
        kernel = draw(st.integers(2, 3))
        mask_shape = [kernel] * n + [2, 2]
        if draw(st.integers(0, 3)):
            mask_shape = mask_shape[: draw(st.integers(1, n + 2))]
            d = draw(st.integers(0, len(mask_shape) - 1))
            mask_shape[d] = draw(st.sampled_from([1, mask_shape[d] + 1]))
        else:  # longer than the weight shape
            mask_shape.append(1)
        mask = np.ones(mask_shape, np.float32)
        full = shape(4, 2)
        return (
            CONNECTION,
            lambda name: build(kernel_shape=kernel, mask=mask, data_format=fmt, name=name),
            lambda m: m(ones(*full)),
        )
    # transpose(): not of a dilated convolution, mixed paddings or mirrored padding values.
    # (Not a connection, but the same shape of scenario: construction succeeds,
    # the call on the module raises.)
    reason = draw(st.sampled_from(["rate", "paddings", "padding_value"]))
    overrides: dict[str, Any] = {
        "rate": {"rate": draw(st.integers(2, 3))},
        "paddings": {
            "padding": draw(st.sampled_from(["FULL", "CAUSAL", ("SAME", "VALID", "SAME")]))
        },
        "padding_value": {"padding_value": draw(st.sampled_from(["REFLECT", "SYMMETRIC"]))},
    }[reason]
    return CONNECTION, lambda name: build(name=name, **overrides), lambda m: m.transpose()


_TRANSPOSES = {
    1: lambda **kw: snt.Conv1DTranspose(**{"output_channels": 2, "kernel_shape": 3, **kw}),
    2: lambda **kw: snt.Conv2DTranspose(**{"output_channels": 2, "kernel_shape": 3, **kw}),
    3: lambda **kw: snt.Conv3DTranspose(**{"output_channels": 2, "kernel_shape": 2, **kw}),
}


@st.composite
def conv_transpose_cases(draw, n: int):
    build = _TRANSPOSES[n]
    kind = draw(
        st.sampled_from(
            [
                "padding",
                "format",
                "output_channels",
                "kernel",
                "no_kernel",
                "output_shape",
                "stride",
                "key",
                "incompatible",
                "callable_shape",
                "callable_channels",
                "rank",
                "dtype",
                "rechannel",
                "unknown_channels",
                "zero_channels",
            ]
        )
    )
    fmt = draw(st.sampled_from(FORMATS[n]))
    if kind == "padding":  # only SAME or VALID, the same for every dimension
        choices = ["FULL", "CAUSAL", "REVERSE_CAUSAL", *BAD_PADDINGS]
        if n > 1:
            choices += [("SAME", "VALID", "SAME")[:n], ("VALID", "SAME", "SAME")[:n]]
        bad = draw(st.sampled_from(choices))
        return CONSTRUCTION, lambda name: build(padding=bad, name=name), None
    if kind == "format":
        bad = _bad_format(draw, n)
        return CONSTRUCTION, lambda name: build(data_format=bad, name=name), None
    if kind == "output_channels":
        bad = draw(st.sampled_from([0, -1, 1.5, "3", None, True, [2]]))
        return CONSTRUCTION, lambda name: build(output_channels=bad, name=name), None
    if kind == "kernel":
        bad = _bad_shape_arg(draw, n)
        if bad is None:
            bad = 0
        return CONSTRUCTION, lambda name: build(kernel_shape=bad, name=name), None
    if kind == "no_kernel":  # kernel_shape defaults to None but is required
        return CONSTRUCTION, lambda name: build(kernel_shape=None, name=name), None
    if kind == "output_shape":
        bad = _bad_shape_arg(draw, n)
        if bad is None:
            bad = [0] * n
        return CONSTRUCTION, lambda name: build(output_shape=bad, name=name), None
    if kind == "stride":
        bad = draw(
            st.one_of(
                st.integers(-2, 0),
                st.lists(st.integers(1, 3), min_size=n + 3, max_size=n + 4),
                st.sampled_from([None, 1.5, "2"]),
                st.just((2, *[1] * n, 1)),  # full-rank form not 1 on the batch
            )
        )
        return CONSTRUCTION, lambda name: build(stride=bad, name=name), None
    if kind == "key":
        bias = draw(st.booleans())
        bad = _bad_dict(draw, ("w", "b"), bias)
        return CONSTRUCTION, lambda name: build(use_bias=bias, name=name, **bad), None

    def shape(spatial: Any, channels: Any, batch: int = 1) -> tuple[Any, ...]:
        return _layout(fmt, batch, [spatial] * n if isinstance(spatial, int) else spatial, channels)

    make = lambda name: build(data_format=fmt, name=name)  # noqa: E731
    if kind == "incompatible":  # an output_shape the forward convolution does not map back
        kernel, stride = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        padding = draw(st.sampled_from(["SAME", "VALID"]))
        sizes = [draw(st.integers(1, 4)) for _ in range(n)]
        out = [_transpose_inferred(i, kernel, stride, padding) for i in sizes]
        d = draw(st.integers(0, n - 1))
        low, high = _transpose_range(sizes[d], kernel, stride, padding)
        out[d] = draw(st.integers(1, 20).filter(lambda o: not low <= o <= high))
        callable_shape = draw(st.booleans())
        given = (lambda: out) if callable_shape else out
        full = shape(sizes, 2)
        return (
            RUN,
            lambda name: build(
                output_shape=given,
                kernel_shape=kernel,
                stride=stride,
                padding=padding,
                data_format=fmt,
                name=name,
            ),
            lambda m: m(ones(*full)),
        )
    if kind == "callable_shape":  # the callable's result is checked on connection
        bad = draw(
            st.one_of(
                st.lists(st.integers(1, 8), min_size=n + 1, max_size=n + 2),
                st.lists(st.integers(-2, 0), min_size=n, max_size=n),
                st.sampled_from([None, 4, "44", [2.5] * n]),
            )
        )
        full = shape(3, 2)
        return (
            CONNECTION,
            lambda name: build(output_shape=lambda: bad, data_format=fmt, name=name),
            lambda m: m(ones(*full)),
        )
    if kind == "callable_channels":
        bad = draw(st.sampled_from([0, -2, 1.5, "2", None]))
        full = shape(3, 2)
        return (
            CONNECTION,
            lambda name: build(output_channels=lambda: bad, data_format=fmt, name=name),
            lambda m: m(ones(*full)),
        )
    if kind == "rank":
        rank = draw(st.sampled_from([r for r in range(1, 7) if r != n + 2]))
        dims = [draw(st.integers(2, 4)) for _ in range(rank)]
        return CONNECTION, make, lambda m: m(ones(*dims))
    if kind == "dtype":
        dtype = draw(st.sampled_from([tf.int32, tf.int64, tf.bool, tf.string]))
        full = shape(3, 2)
        return CONNECTION, make, lambda m: m(tf.zeros(full, dtype))
    if kind == "rechannel":
        channels = draw(small)
        other = draw(small.filter(lambda c: c != channels))
        return CONNECTION, make, _rechannel(shape(3, channels), shape(3, other))
    if kind == "unknown_channels":
        return CONNECTION, make, _unknown_channels(shape(draw(st.integers(2, 4)), None))
    full = shape(draw(st.integers(2, 4)), 0, batch=draw(batches))  # zero_channels
    return CONNECTION, make, lambda m: m(ones(*full))


def _net_defaults(num_layers: int) -> dict[str, Any]:
    return {
        "output_channels": [2] * num_layers,
        "kernel_shapes": [3],
        "strides": [1],
        "paddings": ["SAME"],
    }


COMMON_NET_KINDS = ["empty", "not_iterable", "lengths", "format", "both_bn", "key", "ctor_string"]


@st.composite
def _common_net_cases(draw, kind: str, build: Callable[..., Any], settings: tuple[str, ...]):
    """The construction scenario ``kind`` (one of ``COMMON_NET_KINDS``) of either net."""
    num_layers = draw(st.integers(2, 4))
    base = _net_defaults(num_layers)
    if kind == "empty":
        empty = draw(st.sampled_from([[], ()]))
        return (
            CONSTRUCTION,
            lambda name: build(name=name, **dict(base, output_channels=empty)),
            None,
        )
    if kind == "not_iterable":
        bad = draw(st.sampled_from([3, None, 2.5]))
        return CONSTRUCTION, lambda name: build(name=name, **dict(base, output_channels=bad)), None
    if kind == "lengths":  # neither one for all layers nor one per layer
        what = draw(st.sampled_from(settings))
        length = draw(st.sampled_from([0, *range(2, num_layers), num_layers + 1, num_layers + 2]))
        value = {"kernel_shapes": 3, "strides": 1, "paddings": "SAME", "rates": 1}[what]
        return (
            CONSTRUCTION,
            lambda name: build(name=name, **dict(base, **{what: [value] * length})),
            None,
        )
    if kind == "format":
        bad = _bad_format(draw, 2)
        return CONSTRUCTION, lambda name: build(name=name, data_format=bad, **base), None
    if kind == "both_bn":
        ctor = draw(st.sampled_from([snt.BatchNorm, snt.LayerNorm, "snt.BatchNorm"]))
        return (
            CONSTRUCTION,
            lambda name: build(name=name, use_batch_norm=True, normalization_ctor=ctor, **base),
            None,
        )
    if kind == "key":
        bias = draw(st.booleans())
        bad = _bad_dict(draw, ("w", "b"), bias)
        return CONSTRUCTION, lambda name: build(name=name, use_bias=bias, **base, **bad), None
    # A normalization_ctor string naming no constructor (a bare name means "sonnet.<name>").
    bad = draw(st.sampled_from(["snt.NoSuchNorm", "no_such_module.Norm", "NoSuchNorm", "snt."]))
    return CONSTRUCTION, lambda name: build(name=name, normalization_ctor=bad, **base), None


@st.composite
def conv_net_2d_cases(draw):
    build = snt.nets.ConvNet2D
    kind = draw(
        st.sampled_from(COMMON_NET_KINDS + ["layer", "rank", "rechannel", "too_small", "transpose"])
    )
    if kind in COMMON_NET_KINDS:
        settings = ("kernel_shapes", "strides", "paddings", "rates")
        return draw(_common_net_cases(kind, build, settings))
    num_layers = draw(st.integers(2, 3))
    base = _net_defaults(num_layers)
    if kind == "layer":  # a setting one layer's Conv2D refuses (its error names the net too)
        bad_layer = draw(st.integers(0, num_layers - 1))
        what = draw(
            st.sampled_from(["output_channels", "kernel_shapes", "paddings", "stride_rate"])
        )
        args = dict(base)
        if what == "stride_rate":
            args["strides"] = [1] * num_layers
            args["rates"] = [1] * num_layers
            args["strides"][bad_layer], args["rates"][bad_layer] = 2, 2
        else:
            good = {"output_channels": 2, "kernel_shapes": 3, "paddings": "SAME"}[what]
            bad = draw(
                st.sampled_from(
                    {
                        "output_channels": [0, -1, 1.5, "2"],
                        "kernel_shapes": [0, -1, [3, 3, 3], "ab"],
                        "paddings": list(BAD_PADDINGS),
                    }[what]
                )
            )
            args[what] = [good] * num_layers
            args[what][bad_layer] = bad
        return CONSTRUCTION, lambda name: build(name=name, **args), None
    fmt = draw(st.sampled_from(FORMATS[2]))
    make = lambda name: build(name=name, data_format=fmt, **base)  # noqa: E731
    if kind == "rank":
        rank = draw(st.sampled_from([1, 2, 3, 5]))
        dims = [draw(st.integers(2, 4)) for _ in range(rank)]
        return CONNECTION, make, lambda m: m(ones(*dims))
    if kind == "rechannel":
        channels = draw(small)
        other = draw(small.filter(lambda c: c != channels))
        return (
            CONNECTION,
            make,
            _rechannel(_layout(fmt, 1, [4, 4], channels), _layout(fmt, 1, [4, 4], other)),
        )
    if kind == "too_small":  # VALID layers shrink the input below a later layer's kernel
        kernel = draw(st.integers(2, 3))
        # After num_layers - 1 VALID layers the size is size - (layers - 1) * (kernel - 1).
        size = draw(
            st.integers(
                (num_layers - 2) * (kernel - 1) + 1, (num_layers - 1) * (kernel - 1) + kernel - 1
            )
        )
        full = _layout(fmt, 1, [size, draw(st.integers(size, 8))], 2)
        return (
            CONNECTION,
            lambda name: build(
                name=name,
                data_format=fmt,
                **dict(base, kernel_shapes=[kernel], paddings=["VALID"]),
            ),
            lambda m: m(ones(*full)),
        )
    # transpose() of a dilated net (construction succeeds, the call raises).
    rates = [1] * num_layers
    rates[draw(st.integers(0, num_layers - 1))] = draw(st.integers(2, 3))
    return (
        CONNECTION,
        lambda name: build(name=name, **dict(base, rates=rates)),
        lambda m: m.transpose(),
    )


@st.composite
def conv_net_2d_transpose_cases(draw):
    build = snt.nets.ConvNet2DTranspose

    def make_net(name, **kw):
        return build(**{"output_shapes": None, **kw, "name": name})

    kind = draw(
        st.sampled_from(
            COMMON_NET_KINDS + ["output_shapes", "layer", "incompatible", "rank", "rechannel"]
        )
    )
    if kind in COMMON_NET_KINDS:
        return draw(_common_net_cases(kind, make_net, ("kernel_shapes", "strides", "paddings")))
    num_layers = draw(st.integers(2, 3))
    base = _net_defaults(num_layers)
    if kind == "output_shapes":  # neither one entry per layer nor one for all, or no sequence
        length = draw(st.sampled_from([0, num_layers + 1]).filter(lambda k: k != num_layers))
        bad = draw(
            st.sampled_from(
                [[(4, 4)] * length, [None] * length, (lambda: (4, 4)), 4, [[4, 4, 4]] * num_layers]
            )
        )
        return CONSTRUCTION, lambda name: make_net(name, **dict(base, output_shapes=bad)), None
    if kind == "layer":  # a setting one layer's Conv2DTranspose refuses
        bad_layer = draw(st.integers(0, num_layers - 1))
        what = draw(st.sampled_from(["output_channels", "kernel_shapes", "paddings"]))
        good = {"output_channels": 2, "kernel_shapes": 3, "paddings": "SAME"}[what]
        bad = draw(
            st.sampled_from(
                {
                    "output_channels": [0, -1, 1.5, "2", None],
                    "kernel_shapes": [0, -1, [3, 3, 3], None],
                    "paddings": ["FULL", "CAUSAL", "REVERSE_CAUSAL", *BAD_PADDINGS],
                }[what]
            )
        )
        values = [good] * num_layers
        values[bad_layer] = bad
        return CONSTRUCTION, lambda name: make_net(name, **dict(base, **{what: values})), None
    fmt = draw(st.sampled_from(FORMATS[2]))
    if kind == "incompatible":  # a fixed output shape the layer's input does not map to
        stride = draw(st.integers(1, 2))
        size = draw(st.integers(1, 3))
        sizes = [size]
        for _ in range(num_layers):
            sizes.append(sizes[-1] * stride)  # SAME, inferred
        shapes: list[Any] = [None] * num_layers
        layer = draw(st.integers(0, num_layers - 1))
        low, high = _transpose_range(sizes[layer], 3, stride, "SAME")
        wrong = draw(st.integers(1, 16).filter(lambda o: not low <= o <= high))
        shapes[layer] = (wrong, sizes[layer + 1]) if draw(st.booleans()) else (wrong, wrong)
        full = _layout(fmt, 1, [size, size], 2)
        return (
            RUN,
            lambda name: make_net(
                name, **dict(base, strides=[stride], output_shapes=shapes, data_format=fmt)
            ),
            lambda m: m(ones(*full)),
        )
    make = lambda name: make_net(name, data_format=fmt, **base)  # noqa: E731
    if kind == "rank":
        rank = draw(st.sampled_from([1, 2, 3, 5]))
        dims = [draw(st.integers(2, 4)) for _ in range(rank)]
        return CONNECTION, make, lambda m: m(ones(*dims))
    channels = draw(small)
    other = draw(small.filter(lambda c: c != channels))
    return (
        CONNECTION,
        make,
        _rechannel(_layout(fmt, 1, [3, 3], channels), _layout(fmt, 1, [3, 3], other)),
    )


INVALID = {
    **{export: conv_nd_cases(export) for export in _SPECS},
    "Conv1DTranspose": conv_transpose_cases(1),
    "Conv2DTranspose": conv_transpose_cases(2),
    "Conv3DTranspose": conv_transpose_cases(3),
    "nets.ConvNet2D": conv_net_2d_cases(),
    "nets.ConvNet2DTranspose": conv_net_2d_transpose_cases(),
}
