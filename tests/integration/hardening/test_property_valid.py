"""Random valid configurations and input shapes, run through core's conformance suite.

For each export with a ``VALID`` strategy (property_cases_*.py), hypothesis
draws a configuration and an input shape; the case goes through
:func:`sonnet.conformance.check_case` (graph mode, eager mode and
``tf.function`` agree within tolerance; variables are created once and reused;
checkpoints round-trip; pickling is refused). On top of that the output shapes
are the documented ones and the number of variables is what the configuration
implies.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from property_support import Drawn, all_valid, check_valid

PROFILE = settings.get_profile("hardening")
VALID = all_valid()


@pytest.mark.parametrize("export", sorted(VALID))
def test_random_valid_configurations_conform(export, tmp_path):
    @PROFILE
    @given(drawn=VALID[export])
    def run(drawn: Drawn) -> None:
        check_valid(drawn, tmp_path)

    run()
