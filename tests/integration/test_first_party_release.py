"""A first-party plugin release adds a name and a Sonnet 1 path; snt-core is unchanged.

tests/integration/fixtures/next-release-site plays "snt-nets 0.2": put first on
``PYTHONPATH``, it replaces the installed snt-nets' entry point. Its name
(``snt.HyperLinear``) and path (``sonnet.python.modules.hyper_linear``)
appear nowhere in snt-core, and a squatter distribution tries to take both.
"""

from __future__ import annotations

import json
import pathlib

from sonnet.plugins._hints import HINT_NAMES, HINT_PATHS
from sonnet.python import core_legacy_table

SITE = str(pathlib.Path(__file__).parent / "fixtures" / "next-release-site")
NEW_NAME, NEW_PATH = "HyperLinear", "sonnet.python.modules.hyper_linear"

CODE = """
import warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    import sonnet as snt
    new_class = snt.HyperLinear
from sonnet.python.modules.hyper_linear import HyperLinear
import sonnet.python.modules.hyper_linear as legacy
namespace = {}
exec("from sonnet.python.modules.hyper_linear import *", namespace)
same = HyperLinear is new_class and namespace["HyperLinear"] is new_class
print("MODULE", new_class.__module__, same)
print("ALL", legacy.__all__)
try:
    legacy.HyperBase
except AttributeError as e:
    print("MISS", e)
for w in caught:
    print("WARN", w.message)
"""


def test_snt_core_has_never_heard_of_them():
    assert NEW_NAME not in HINT_NAMES and NEW_PATH not in HINT_PATHS
    assert NEW_PATH not in core_legacy_table()


def test_new_name_and_legacy_path_resolve_and_a_squatter_cannot_take_them(run_python):
    proc = run_python(CODE, PYTHONPATH=SITE, SNT_DISABLE_PLUGINS="broken,squatter")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "MODULE snt_nets_next.hyper_linear True" in lines
    assert "ALL ['HyperLinear']" in lines
    assert any(line.startswith("MISS") and "HyperBase" in line for line in lines)
    warnings = [line for line in lines if line.startswith("WARN")]
    squatted = [w for w in warnings if "snt-squatter-next" in w]
    assert any("snt.HyperLinear, a name reserved for snt-nets" in w for w in squatted)
    assert any(f"{NEW_PATH}.HyperLinear, a name reserved for snt-nets" in w for w in squatted)
    assert any(f"{NEW_PATH}.HyperBase, a name reserved for snt-nets" in w for w in squatted)


def test_python_m_sonnet_lists_them(run_python):
    proc = run_python("", "-m", "sonnet", "--json", PYTHONPATH=SITE)
    assert proc.returncode == 0, proc.stderr
    plugins = {p["name"]: p for p in json.loads(proc.stdout)["plugins"]}
    nets = plugins["nets"]
    assert (nets["distribution"], nets["version"], nets["status"]) == ("snt-nets", "0.2.0", "ok")
    assert nets["exports"] == [NEW_NAME] and nets["legacy"] == [NEW_PATH]
    squatter = plugins["squatter_next"]
    assert squatter["exports"] == [] and squatter["legacy"] == []
    assert len(squatter["conflicts"]) == 3
