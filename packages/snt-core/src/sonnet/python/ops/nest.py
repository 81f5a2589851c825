"""Sonnet 1's ``ops/nest.py``: ``snt.nest`` (snt-core)."""

from sonnet.nest import *  # noqa: F403
from sonnet.nest import __all__  # noqa: F401
