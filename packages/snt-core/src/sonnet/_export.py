"""The export record: one name a plugin adds to the ``snt`` namespace."""

from __future__ import annotations

import dataclasses
import keyword
import re
from typing import Literal

__all__ = ["KINDS", "Export", "ExportKind"]

ExportKind = Literal["module", "function", "constant", "namespace"]

#: The values accepted for :attr:`Export.kind`.
KINDS: tuple[str, ...] = ("module", "function", "constant", "namespace")

_REFERENCE = re.compile(r"^[A-Za-z_][\w.]*(:[A-Za-z_][\w.]*)?$")


def _check_identifier(value: object, what: str) -> None:
    if not isinstance(value, str) or not value.isidentifier() or keyword.iskeyword(value):
        raise ValueError(f"Export {what} must be a Python identifier, got {value!r}.")
    if value.startswith("_"):
        raise ValueError(f"Export {what} must be public (no leading underscore), got {value!r}.")


@dataclasses.dataclass(frozen=True)
class Export:
    """A name that a plugin adds to ``snt`` (or to a sub-namespace such as ``snt.nets``).

    Plugins return a list of these from their ``snt_exports`` hook::

        Export("Linear", "snt_nets.linear:Linear")
        Export("MLP", "snt_nets.mlp:MLP", namespace="nets")  # snt.nets.MLP
        Export("SAME", "snt_nets.conv_constants:SAME", kind="constant")

    Attributes:
      name: The public name, e.g. ``"Linear"`` for ``snt.Linear``.
      target: Either the object itself, or a lazy reference string in entry-point
        syntax, ``"package.module:attr"`` (or ``"package.module"`` for a whole
        module). A string target is *always* a reference: it is imported only when
        the name is first used. To export a string value, export a reference to it.
      kind: ``"module"`` (a subclass of ``snt.AbstractModule``), ``"function"``
        (any callable), ``"constant"`` (any other value, including non-module
        classes such as named tuples) or ``"namespace"`` (a Python module or object
        whose attributes users reach as ``snt.<name>.<attr>``).
      namespace: Optional sub-namespace: ``"nets"`` makes the export ``snt.nets.<name>``.

    Raises:
      ValueError: If a field is malformed (checked on construction).
    """

    name: str
    target: object
    kind: ExportKind = "module"
    namespace: str | None = None

    def __post_init__(self) -> None:
        _check_identifier(self.name, "name")
        if self.namespace is not None:
            _check_identifier(self.namespace, "namespace")
        if self.kind not in KINDS:
            raise ValueError(
                f"Export {self.name!r}: kind must be one of {', '.join(KINDS)}; got {self.kind!r}."
            )
        if self.kind == "namespace" and self.namespace is not None:
            raise ValueError(f"Export {self.name!r}: a namespace export cannot itself be nested.")
        if isinstance(self.target, str) and not _REFERENCE.match(self.target):
            raise ValueError(
                f"Export {self.name!r}: string targets are lazy references of the form "
                f"'package.module:attr'; got {self.target!r}."
            )

    @property
    def qualname(self) -> str:
        """The name relative to ``snt``: ``"Linear"`` or ``"nets.MLP"``."""
        return self.name if self.namespace is None else f"{self.namespace}.{self.name}"

    @property
    def is_lazy(self) -> bool:
        """Whether :attr:`target` is a reference imported on first use."""
        return isinstance(self.target, str)
