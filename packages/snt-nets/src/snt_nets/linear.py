"""Linear: ``outputs = inputs @ w + b``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import tensorflow as tf

import sonnet as snt
from snt_nets import _checks, _utils, conv_utils
from snt_nets.initializers import create_bias_initializer, create_linear_initializer
from snt_nets.variable_dicts import VariableDicts

Size = int | Callable[[], int]


class Linear(snt.AbstractModule, snt.Transposable, VariableDicts):
    """A linear layer: ``w`` of shape ``[input_size, output_size]`` and a bias ``b``.

    The input size is read from the first input; later connections must have
    the same input size and share ``w`` and ``b``.

    Example:
      >>> lin = snt.Linear(3)
      >>> y = lin(tf.ones([2, 4]))  # creates linear/w [4, 3] and linear/b [3]

    Args:
      output_size: the output size, or a callable returning it (evaluated on
        first connection; used by :meth:`transpose`).
      use_bias: whether to add the bias ``b``.
      initializers: optional dict with keys ``"w"`` and ``"b"``. ``w`` defaults
        to a truncated normal with stddev ``1/sqrt(input_size)``, ``b`` to zeros.
      partitioners: optional dict with keys ``"w"`` and ``"b"``.
      regularizers: optional dict with keys ``"w"`` and ``"b"``.
      custom_getter: a custom getter (or dict of them), see ``snt.AbstractModule``.
      allow_many_batch_dims: accept inputs of rank > 2, applying the layer to
        the last dimension.
      name: module name.

    Raises:
      KeyError: unknown keys in ``initializers``/``partitioners``/``regularizers``.
      TypeError: a value in those dicts is not callable, or ``output_size`` is
        neither an int nor a callable.
      ValueError: ``output_size`` is below 1.
    """

    CONNECTION_INPUTS = {"inputs": "tensor"}  # integer inputs work with a given w initializer

    def __init__(
        self,
        output_size: Size,
        use_bias: bool = True,
        initializers: Mapping[str, Any] | None = None,
        partitioners: Mapping[str, Any] | None = None,
        regularizers: Mapping[str, Any] | None = None,
        custom_getter: Any = None,
        allow_many_batch_dims: bool = False,
        name: str = "linear",
    ) -> None:
        super().__init__(custom_getter=custom_getter, name=name)
        keys = self.get_possible_initializer_keys(use_bias=use_bias)
        self._output_size = _checks.check_size(self.scope_name, "output_size", output_size)
        self._use_bias = use_bias
        self._allow_many_batch_dims = allow_many_batch_dims
        self._input_shape: tuple[int | None, ...] | None = None
        _utils.store_checked_dicts(self, initializers, partitioners, regularizers, keys)
        _utils.set_untracked(self, _w=None, _b=None, _variable_arguments=None, _input_dtype=None)

    @classmethod
    def get_possible_initializer_keys(cls, use_bias: bool = True) -> set[str]:
        """``{"w", "b"}``, or ``{"w"}`` without bias."""
        return {"w", "b"} if use_bias else {"w"}

    def _build(self, inputs: tf.Tensor) -> tf.Tensor:
        """Applies the layer to ``inputs`` of shape ``[batch, input_size]``.

        Raises:
          IncompatibleShapeError: wrong rank, an unknown input size, or an
            input size different from the first connection's.
          ValueError: a non-floating input dtype without an initializer for
            ``w`` (the default initializer is a truncated normal).
          TypeError: an input dtype different from the first connection's.
        """
        shape = _utils.static_shape(inputs)
        rank_ok = len(shape) >= 2 if self._allow_many_batch_dims else len(shape) == 2
        if not rank_ok:
            expected = "rank >= 2" if self._allow_many_batch_dims else "rank 2 [batch, input_size]"
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: Linear expects inputs of {expected}; got shape "
                f"{_utils.format_shape(shape)}."
            )
        input_size = shape[-1]
        if input_size is None:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: Input size must be specified at module build time: the "
                f"last dimension must be known; got shape {_utils.format_shape(shape)}."
            )
        if self._input_shape is not None and self._input_shape[-1] != input_size:
            raise snt.IncompatibleShapeError(
                f"{self.scope_name}: input size must stay {self._input_shape[-1]} (from the "
                f"first connection); got {input_size} in shape {_utils.format_shape(shape)}."
            )
        dtype = inputs.dtype.base_dtype
        conv_utils.check_dtype_kept(self.scope_name, dtype, self._input_dtype)
        if shape != self._input_shape:
            _utils.set_untracked(self, _input_shape=shape, _input_dtype=dtype)
        output_size = self._output_size
        if callable(output_size):
            output_size = self.output_size
        w, b = self._get_variables(input_size, output_size, inputs.dtype)
        flat = inputs if len(shape) == 2 else tf.reshape(inputs, [-1, input_size])
        outputs = tf.matmul(flat, _utils.read(w))
        if b is not None:
            outputs = tf.add(outputs, _utils.read(b), name="add")
        if len(shape) > 2:
            outputs = tf.reshape(outputs, tf.concat([tf.shape(inputs)[:-1], [output_size]], 0))
        return outputs

    def _get_variables(self, input_size: int, output_size: int, dtype: tf.DType) -> tuple:
        """``w`` and ``b`` (None without bias) through ``snt.get_variable``; stores them."""
        key = (input_size, output_size, dtype)
        arguments = self._variable_arguments
        if arguments is None or arguments[0] != key:
            # Once per input size and dtype, not on every call: the arguments of
            # get_variable (initializers, partitioners, regularizers) stay the same.
            arguments = (key, *self._variable_kwargs(input_size, output_size, dtype))
            _utils.set_untracked(self, _variable_arguments=arguments)
        w = snt.get_variable("w", **arguments[1])
        b = snt.get_variable("b", **arguments[2]) if self._use_bias else None
        if w is not self._w or b is not self._b:
            _utils.set_untracked(self, _w=w, _b=b)
        return w, b

    def _variable_kwargs(self, input_size: int, output_size: int, dtype: tf.DType) -> tuple:
        """The keyword arguments of ``get_variable`` for ``w`` and ``b``."""
        w_init = self._initializers.get("w")
        if w_init is None:
            if not tf.as_dtype(dtype).is_floating:  # dtype may be NumPy's (NumPy inputs)
                raise ValueError(
                    f"{self.scope_name}: Expected floating point type for the default "
                    f"initializer of w; got {tf.as_dtype(dtype).name} inputs. Give "
                    "initializers={'w': ...} for non-floating inputs."
                )
            w_init = create_linear_initializer(input_size, dtype)
        b_init = self._initializers.get("b")
        if b_init is None:
            b_init = create_bias_initializer((output_size,), dtype)

        def kwargs(key: str, shape: tuple, initializer: Any) -> dict[str, Any]:
            return {
                "shape": shape,
                "dtype": dtype,
                "initializer": initializer,
                "partitioner": self._partitioners.get(key),
                "regularizer": self._regularizers.get(key),
            }

        return kwargs("w", (input_size, output_size), w_init), kwargs("b", (output_size,), b_init)

    @property
    def w(self) -> tf.Variable:
        """The weight matrix ``[input_size, output_size]``.

        Raises:
          NotConnectedError: the module has not been connected yet.
        """
        self._ensure_is_connected()
        return self._w

    @property
    def b(self) -> tf.Variable:
        """The bias ``[output_size]``.

        Raises:
          NotConnectedError: the module has not been connected yet.
          AttributeError: the module was built with ``use_bias=False``.
        """
        self._ensure_is_connected()
        if not self._use_bias:
            raise AttributeError(
                f"{self.scope_name}: No bias Variable in Linear Module when `use_bias=False`."
            )
        return self._b

    @property
    def output_size(self) -> int:
        """The output size (a deferred size is evaluated, and kept, on first use)."""
        if callable(self._output_size):
            self._output_size = self._output_size()
        return self._output_size

    @property
    def has_bias(self) -> bool:
        """Whether the module adds a bias."""
        return self._use_bias

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        """The shape of the first input.

        Raises:
          NotConnectedError: the module has not been connected yet.
        """
        self._ensure_is_connected()
        return self._input_shape

    def clone(self, name: str | None = None) -> Linear:
        """A new Linear with this one's configuration (and its own variables)."""
        return Linear(
            output_size=self.output_size,
            use_bias=self._use_bias,
            initializers=self._initializers,
            partitioners=self._partitioners,
            regularizers=self._regularizers,
            custom_getter=self.custom_getter,
            allow_many_batch_dims=self._allow_many_batch_dims,
            name=name if name is not None else f"{self.module_name}_clone",
        )

    def transpose(self, name: str | None = None) -> Linear:
        """A Linear mapping back to this module's input size.

        Its output size is read from this module's :attr:`input_shape` when the
        transposed module is first connected, so it may be created earlier.
        """
        return Linear(
            output_size=lambda: self.input_shape[-1],
            use_bias=self._use_bias,
            initializers=self._initializers,
            partitioners=self._partitioners,
            regularizers=self._regularizers,
            custom_getter=self.custom_getter,
            allow_many_batch_dims=self._allow_many_batch_dims,
            name=name if name is not None else f"{self.module_name}_transpose",
        )
