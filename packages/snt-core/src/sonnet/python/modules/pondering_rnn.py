"""Sonnet 1's ``pondering_rnn.py``: provided by snt-rnn, resolved on use.

TEMP (lead will replace): the private helpers Sonnet 1's tests read
(``_nested_add``, ``_nested_unary_mul``, ``_nested_zeros_like``) are looked up in
``snt_rnn.act_core`` when first used, until plugins declare their legacy paths.
"""

import importlib
from typing import Any

from sonnet.python._legacy import lazy_names

_public_getattr, __dir__, __all__ = lazy_names(__name__, "pondering_rnn.py", "ACTCore")
_PRIVATE = ("_nested_add", "_nested_unary_mul", "_nested_zeros_like")


def __getattr__(name: str) -> Any:
    if name in _PRIVATE:
        return getattr(importlib.import_module("snt_rnn.act_core"), name)
    return _public_getattr(name)
