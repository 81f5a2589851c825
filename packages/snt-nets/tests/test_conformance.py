"""snt-nets's modules pass core's shared conformance suite; every exported module has a case."""

import pytest

from snt_nets import _plugin
from sonnet.conformance import check_case, missing_cases

CASES = _plugin.snt_conformance_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_module_conforms(case, tmp_path):
    check_case(case, tmp_path)


def test_every_exported_module_has_a_case():
    exports = [e.qualname for e in _plugin.snt_exports() if e.kind == "module"]
    assert missing_cases(exports, CASES) == []


def test_case_names_are_unique():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
