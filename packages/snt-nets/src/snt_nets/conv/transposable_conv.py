"""``transpose()`` of Conv1D/2D/3D: the ConvNDTranspose from the snt-transpose plugin."""

from __future__ import annotations

from typing import Any

import sonnet as snt
from snt_nets import conv_utils


def lookup_plugin_class(class_name: str, module_name: str, attribute: str | None = None) -> Any:
    """``snt.<class_name>`` (or ``snt.<attribute>.<class_name>``) via the plugin registry.

    Raises:
      NotSupportedError: the class is not available (snt-transpose is not
        installed); the message keeps the registry's hint on what to install.
    """
    try:
        owner = snt if attribute is None else getattr(snt, attribute)
        return getattr(owner, class_name)
    except (AttributeError, ImportError) as e:
        raise snt.NotSupportedError(
            f"{module_name}: transpose() needs snt.{'' if attribute is None else attribute + '.'}"
            f"{class_name} from the snt-transpose package: {e}"
        ) from e


class TransposableConv(snt.Transposable):
    """Mixin giving a ConvND a ``transpose()`` returning ``snt.Conv{N}DTranspose``."""

    def transpose(self, name: str | None = None) -> Any:
        """The matching ConvNDTranspose (from snt-transpose), mapping back to the input.

        Its output channels and shape are read from this module's input when it
        is connected, so it can be created before this module is connected.

        Raises:
          NotSupportedError: the convolution is dilated, uses paddings other
            than all-SAME (with zero padding) or all-VALID, or the
            snt-transpose package is not installed.
        """
        where = self.scope_name
        if max(self.rate) > 1:
            raise snt.NotSupportedError(
                f"{where}: Cannot transpose a dilated convolution module (rate {self.rate})."
            )
        if any(p != self.conv_op_padding for p in self.paddings):
            raise snt.NotSupportedError(
                f"{where}: Cannot transpose a convolution using mixed paddings or paddings "
                f"other than SAME or VALID (with zero padding); got paddings {self.paddings} "
                f"and padding_value {self.padding_value}."
            )
        cls = lookup_plugin_class(f"Conv{self._n}DTranspose", where)
        return cls(
            output_channels=lambda: self.input_channels,
            output_shape=lambda: conv_utils.spatial_dims(self.input_shape, self.data_format),
            kernel_shape=self.kernel_shape,
            stride=self._stride,
            padding=self.conv_op_padding,
            use_bias=self.has_bias,
            initializers=self.initializers,
            partitioners=self.partitioners,
            regularizers=self.regularizers,
            data_format=self.data_format,
            custom_getter=self.custom_getter,
            name=name if name is not None else f"{self.module_name}_transpose",
        )
