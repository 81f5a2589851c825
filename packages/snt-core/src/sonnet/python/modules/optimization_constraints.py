"""Sonnet 1's ``optimization_constraints.py``: snt-nets' implementation module itself.

TEMP legacy path (lead will replace). Sonnet 1's tests patch module globals
(``mock.patch.object(optimization_constraints, "_parametrize")``) and expect
``get_lagrange_multiplier`` to see the patch, so this path must be the
implementation module, not a module of aliases.
"""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("snt_nets.optimization_constraints")
