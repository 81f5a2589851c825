"""Name helpers: snake_case default names and names for arbitrary callables."""

from __future__ import annotations

import functools
import re
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: An uppercase letter that starts a capitalised word (``Camel`` in ``UpperCamel``).
_WORD_START = re.compile(r"(?<=.)(?=[A-Z][a-z])")
#: A lowercase letter followed by an uppercase one (``rC`` in ``lowerCamel``).
_LOWER_UPPER = re.compile(r"(?<=[a-z])(?=[A-Z])")
#: The first digit after a lowercase letter in a word (``lstm1`` -> ``lstm_1``).
_FIRST_DIGITS = re.compile(r"^([^0-9]*?[a-z])(?=[0-9])")


def to_snake_case(camel_case: str) -> str:
    """Turns a CamelCase identifier into snake_case.

    Words start at capitals (``MyMLP`` -> ``my_mlp``), a number following
    lowercase letters is a word of its own up to the next underscore
    (``lstm1`` -> ``lstm_1``, ``LSTM1`` -> ``lstm1``), and leading or trailing
    underscores are dropped (``__private__`` -> ``private``).

    Example:
      >>> snt.to_snake_case("LSTMModule"), snt.to_snake_case("endsWithXYZ")
      ('lstm_module', 'ends_with_xyz')

    Raises:
      ValueError: ``camel_case`` is not a valid Python identifier.
    """
    if not isinstance(camel_case, str) or not _IDENTIFIER.match(camel_case):
        raise ValueError(
            f"Input string {camel_case!r} is not a valid Python identifier: to_snake_case "
            "expects letters, digits and underscores, not starting with a digit."
        )
    words = _LOWER_UPPER.sub("_", _WORD_START.sub("_", camel_case))
    words = "_".join(_FIRST_DIGITS.sub(r"\1_", part) for part in words.split("_"))
    return words.strip("_").lower()


def name_for_callable(func: Any) -> str | None:
    """A snake_case name for a function (through ``functools.partial``), or None.

    Lambdas and objects without a ``__name__`` (callable instances, modules)
    have no name: None.

    Example:
      >>> snt.name_for_callable(tf.nn.relu), snt.name_for_callable(lambda x: x)
      ('relu', None)
    """
    if isinstance(func, functools.partial):
        return name_for_callable(func.func)
    name = getattr(func, "__name__", None)
    if not isinstance(name, str) or name == "<lambda>":
        return None
    try:
        return to_snake_case(name)
    except ValueError:
        return name
