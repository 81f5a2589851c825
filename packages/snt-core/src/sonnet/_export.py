"""The records a plugin declares about its names: exports, legacy paths, retired names."""

from __future__ import annotations

import dataclasses
import keyword
import re
from collections.abc import Mapping
from typing import Literal

__all__ = ["KINDS", "LEGACY_ROOT", "Export", "ExportKind", "LegacyPath", "Retired"]

ExportKind = Literal["module", "function", "constant", "namespace"]

#: The values accepted for :attr:`Export.kind`.
KINDS: tuple[str, ...] = ("module", "function", "constant", "namespace")

#: Every legacy module path lives below this package (Sonnet 1's layout).
LEGACY_ROOT = "sonnet.python"
#: The attribute under which a :class:`LegacyPath` standing for a whole module
#: (``module=``) is recorded in the legacy tables.
MODULE_ALIAS = "__module__"

_REFERENCE = re.compile(r"^[A-Za-z_][\w.]*(:[A-Za-z_][\w.]*)?$")
_QUALNAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def _check_identifier(value: object, what: str, *, public: bool = True) -> None:
    if not isinstance(value, str) or not value.isidentifier() or keyword.iskeyword(value):
        raise ValueError(f"{what} must be a Python identifier, got {value!r}.")
    if public and value.startswith("_"):
        raise ValueError(f"{what} must be public (no leading underscore), got {value!r}.")


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
        _check_identifier(self.name, "Export name")
        if self.namespace is not None:
            _check_identifier(self.namespace, f"Export {self.name!r}: namespace")
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


@dataclasses.dataclass(frozen=True)
class LegacyPath:
    """Names a plugin provides at one of Sonnet 1's import paths.

    Plugins return these from their ``snt_legacy_paths`` hook. The module at
    ``path`` then exists (``import sonnet.python.modules.gated_rnn`` works) and
    each name resolves on first use. Several plugins may add names to one path::

        # snt.LSTM and snt.GRU, also as sonnet.python.modules.gated_rnn.LSTM / .GRU
        LegacyPath("sonnet.python.modules.gated_rnn", "LSTM GRU")
        # snt.nets.MLP as sonnet.python.modules.nets.mlp.MLP
        LegacyPath("sonnet.python.modules.nets.mlp", "nets.MLP")
        # a Sonnet 1 internal that client code reads, mapped to an object
        LegacyPath("sonnet.python.modules.conv", {"_fill_shape": "snt_nets.conv_utils:fill"})

        # the path *is* an implementation module (code that patches its internals works)
        LegacyPath("sonnet.python.modules.foo", module="snt_foo.foo")

    Attributes:
      path: The module path, below ``sonnet.python``.
      names: Either a space-separated string of ``snt`` names (``"LSTM nets.MLP"``),
        each available at ``path`` under its last component, or a mapping from
        the attribute at ``path`` to its target: an ``snt`` name (``"nets.MLP"``)
        or a ``"package.module:attr"`` reference (told apart by the colon).
        Attributes may be private (``_fill_shape``); only public ones are listed
        in the module's ``__all__``.
      module: Instead of names, an importable module that stands for ``path``
        itself: ``import path`` gives that very module. For Sonnet 1 code (and
        tests) that patch a module's internals with ``mock.patch.object``.

    Raises:
      ValueError: If the path or a name is malformed (checked on construction).
    """

    path: str
    names: str | Mapping[str, str] = dataclasses.field(default="", compare=False)
    module: str | None = None
    #: ``{attribute: target}``, normalized from :attr:`names` (and :attr:`module`,
    #: under :data:`MODULE_ALIAS`).
    table: Mapping[str, str] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        path = self.path
        if not isinstance(path, str) or not path.startswith(LEGACY_ROOT + "."):
            raise ValueError(f"LegacyPath path must start with {LEGACY_ROOT!r}., got {path!r}.")
        for part in path.split("."):
            _check_identifier(part, f"LegacyPath {path!r}: each part", public=False)
        if isinstance(self.names, str):
            table = {q.rpartition(".")[2]: q for q in self.names.split()}
        elif isinstance(self.names, Mapping):
            table = dict(self.names)
        else:
            raise ValueError(f"LegacyPath {path!r}: names must be a str or a mapping.")
        for attr, target in table.items():
            _check_identifier(attr, f"LegacyPath {path!r}: attribute", public=False)
            if not isinstance(target, str) or not (
                _QUALNAME.match(target) or (":" in target and _REFERENCE.match(target))
            ):
                raise ValueError(
                    f"LegacyPath {path!r}: the target of {attr!r} must be an snt name "
                    f"('nets.MLP') or a 'package.module:attr' reference; got {target!r}."
                )
        if self.module is not None:
            if not isinstance(self.module, str) or not _QUALNAME.match(self.module) or table:
                raise ValueError(
                    f"LegacyPath {path!r}: module must be an importable module name given "
                    f"without names; got module={self.module!r}, names={self.names!r}."
                )
            table = {MODULE_ALIAS: self.module}
        object.__setattr__(self, "table", table)

    def __hash__(self) -> int:
        return hash((self.path, tuple(sorted(self.table.items()))))


@dataclasses.dataclass(frozen=True)
class Retired:
    """A name a plugin no longer provides, with what to use instead.

    Plugins return these from their ``snt_retired_names`` hook. Looking the name
    up raises ``AttributeError`` with ``reason``; no other distribution can take
    the name from a first-party plugin that retired it::

        Retired("OldCore", "removed in snt-foo 0.3: use snt.NewCore")

    Attributes:
      name: The retired public name.
      reason: What happened and what to use instead (shown to users).
      namespace: Optional sub-namespace, as for :class:`Export`.
    """

    name: str
    reason: str
    namespace: str | None = None

    def __post_init__(self) -> None:
        _check_identifier(self.name, "Retired name")
        if self.namespace is not None:
            _check_identifier(self.namespace, f"Retired {self.name!r}: namespace")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValueError(f"Retired {self.name!r}: reason must be a non-empty string.")

    @property
    def qualname(self) -> str:
        """The name relative to ``snt``: ``"OldCore"`` or ``"nets.OldNet"``."""
        return self.name if self.namespace is None else f"{self.namespace}.{self.name}"
