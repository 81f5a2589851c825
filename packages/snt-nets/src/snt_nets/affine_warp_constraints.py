"""AffineWarpConstraints: which entries of an affine transform are fixed, and to what."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

Constraint = float | None


class AffineWarpConstraints:
    """Fixed entries of an ``N x (N + 1)`` affine matrix; ``None`` marks a free one.

    An ``snt.AffineGridWarper`` takes the free entries from its input, in
    row-major order, and uses the fixed values for the others. Constraints
    combine with ``&`` (the union of the fixed entries; a conflict is an error).

    Example:
      >>> C = snt.AffineWarpConstraints
      >>> c = C.scale_2d(y=1.0) & C.translation_2d(x=0.0)
      >>> c.constraints
      ((None, None, 0.0), (None, 1.0, None))
      >>> c.num_free_params
      4

    Args:
      constraints: a nested iterable of shape ``[N, N + 1]``: numbers (fixed)
        and ``None`` (free). Default: a 2-D transform with every entry free.

    Raises:
      TypeError: ``constraints`` is not a nested iterable.
      ValueError: its rows are not all ``N + 1`` long.
    """

    def __init__(self, constraints: Iterable[Iterable[Constraint]] = ((None,) * 3,) * 2) -> None:
        try:
            rows = tuple(tuple(row) for row in constraints)
        except TypeError:
            raise TypeError(
                "AffineWarpConstraints: constraints must be a nested iterable "
                f"(N rows of N + 1 numbers or None); got {constraints!r}."
            ) from None
        width = len(rows) + 1
        if any(len(row) != width for row in rows):
            raise ValueError(
                "AffineWarpConstraints: The input list must define a Nx(N+1) matrix of "
                f"contraints; got rows of lengths {[len(row) for row in rows]}."
            )
        self._constraints = rows
        self._num_dim = len(rows)

    @property
    def constraints(self) -> tuple[tuple[Constraint, ...], ...]:
        """The ``N x (N + 1)`` entries (numbers and ``None``)."""
        return self._constraints

    @property
    def num_dim(self) -> int:
        """``N``: the dimensionality of the transformed space."""
        return self._num_dim

    @property
    def num_free_params(self) -> int:
        """How many entries are free (``None``)."""
        return sum(row.count(None) for row in self._constraints)

    @property
    def mask(self) -> tuple[tuple[bool, ...], ...]:
        """True where an entry is free."""
        return tuple(tuple(x is None for x in row) for row in self._constraints)

    def __getitem__(self, i: int) -> tuple[Constraint, ...]:
        """Row ``i`` of the constraints."""
        return self._constraints[i]

    def __repr__(self) -> str:
        return f"AffineWarpConstraints({self._constraints!r})"

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, AffineWarpConstraints):
            return NotImplemented
        return self._constraints == other._constraints

    def __hash__(self) -> int:
        return hash(self._constraints)

    def __and__(self, rhs: Any) -> AffineWarpConstraints:
        """The union of the fixed entries of both (see :meth:`combine_with`)."""
        return self.combine_with(rhs)

    def combine_with(self, additional_constraints: Any) -> AffineWarpConstraints:
        """The constraints fixing every entry fixed by either set.

        Raises:
          ValueError: both fix an entry to different values, or they have
            different dimensionality.
        """
        other = additional_constraints
        if not isinstance(other, AffineWarpConstraints):
            other = AffineWarpConstraints(other)
        if other.num_dim != self._num_dim:
            raise ValueError(
                "AffineWarpConstraints: Incompatible set of constraints provided: "
                f"{self._num_dim}-D and {other.num_dim}-D."
            )
        combined = []
        for left, right in zip(self._constraints, other.constraints, strict=True):
            row = []
            for x, y in zip(left, right, strict=True):
                if x is not None and y is not None and x != y:
                    raise ValueError(
                        "AffineWarpConstraints: Incompatible set of constraints provided: an "
                        f"entry fixed to both {x} and {y}."
                    )
                row.append(y if x is None else x)
            combined.append(row)
        return AffineWarpConstraints(combined)

    def flat(self) -> tuple[Constraint, ...]:
        """The entries in row-major order (the order the warper reads its input in)."""
        return tuple(itertools.chain.from_iterable(self._constraints))

    # Shorthands for common 2-D and 3-D constraints.

    @classmethod
    def no_constraints(cls, num_dim: int = 2) -> AffineWarpConstraints:
        """Every entry of a ``num_dim``-D transform free."""
        return cls(((None,) * (num_dim + 1),) * num_dim)

    @classmethod
    def translation_2d(cls, x: Constraint = None, y: Constraint = None) -> AffineWarpConstraints:
        """Fixes the 2-D translation (the last column) where given."""
        return cls([[None, None, x], [None, None, y]])

    @classmethod
    def translation_3d(
        cls, x: Constraint = None, y: Constraint = None, z: Constraint = None
    ) -> AffineWarpConstraints:
        """Fixes the 3-D translation (the last column) where given."""
        return cls([[None, None, None, x], [None, None, None, y], [None, None, None, z]])

    @classmethod
    def scale_2d(cls, x: Constraint = None, y: Constraint = None) -> AffineWarpConstraints:
        """Fixes the 2-D scales (the diagonal) where given."""
        return cls([[x, None, None], [None, y, None]])

    @classmethod
    def scale_3d(
        cls, x: Constraint = None, y: Constraint = None, z: Constraint = None
    ) -> AffineWarpConstraints:
        """Fixes the 3-D scales (the diagonal) where given."""
        return cls([[x, None, None, None], [None, y, None, None], [None, None, z, None]])

    @classmethod
    def shear_2d(cls, x: Constraint = None, y: Constraint = None) -> AffineWarpConstraints:
        """Fixes the 2-D shear (the off-diagonal entries) where given."""
        return cls([[None, x, None], [y, None, None]])

    @classmethod
    def no_shear_2d(cls) -> AffineWarpConstraints:
        """A 2-D transform without shear."""
        return cls.shear_2d(x=0, y=0)

    @classmethod
    def no_shear_3d(cls) -> AffineWarpConstraints:
        """A 3-D transform without shear."""
        return cls([[None, 0, 0, None], [0, None, 0, None], [0, 0, None, None]])
