"""examples/snt-plugin-example, installed as a real distribution by ``nox -s integration``."""

from __future__ import annotations

import json

PLUGIN_CHECK = """
import numpy as np, sonnet as snt, tensorflow as tf
glu = snt.contrib.GatedLinearUnit(4)
y = glu(tf.ones([2, 3]))
assert y.shape == (2, 4), y.shape
assert [v.name for v in glu.variables] == [
    "gated_linear_unit/linear/b:0", "gated_linear_unit/linear/w:0"
], glu.variables
assert "GatedLinearUnit" in dir(snt.contrib)
from sonnet.python.modules.gated_linear_unit import GatedLinearUnit
assert GatedLinearUnit is snt.contrib.GatedLinearUnit
print("GLU-OK", type(glu).__module__)
"""


def test_contrib_module_works(run_python):
    proc = run_python(PLUGIN_CHECK)
    assert proc.returncode == 0, proc.stderr
    assert "GLU-OK snt_plugin_example.gated_linear_unit" in proc.stdout


def test_contrib_module_works_with_only_its_plugins_enabled(run_python):
    # Strict mode over just this plugin and snt-nets (the fixtures warn on purpose).
    proc = run_python(PLUGIN_CHECK, SNT_PLUGINS="contrib,nets", SNT_STRICT_PLUGINS="1")
    assert proc.returncode == 0, proc.stderr


def test_listed_by_python_m_sonnet_plugins(run_python):
    proc = run_python("", "-m", "sonnet", "plugins")
    assert proc.returncode == 0, proc.stderr
    assert "contrib = snt_plugin_example._plugin  [snt-plugin-example 0.1.0]  ok" in proc.stdout


def test_json_report_lists_the_export(run_python):
    proc = run_python("", "-m", "sonnet", "--json")
    assert proc.returncode == 0, proc.stderr
    plugins = {p["name"]: p for p in json.loads(proc.stdout)["plugins"]}
    contrib = plugins["contrib"]
    assert (contrib["distribution"], contrib["status"]) == ("snt-plugin-example", "ok")
    assert any("GatedLinearUnit" in name for name in contrib["exports"]), contrib["exports"]
    assert contrib["legacy"] == ["sonnet.python.modules.gated_linear_unit"]
