"""Tests of snt-plugin-example: the export resolves, the module computes a GLU.

They need snt-core and snt-nets installed; the distribution itself need not be
(``isolated_registry`` registers the plugin module by hand).
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from snt_plugin_example import _plugin
from snt_plugin_example.gated_linear_unit import GatedLinearUnit

import sonnet as snt
from sonnet import plugin_checks
from sonnet.conformance import check_case, missing_cases
from sonnet.testing import isolated_registry


def test_export_resolves_in_contrib_namespace():
    with isolated_registry(plugins=[(_plugin, "snt-plugin-example")], strict=True):
        assert snt.contrib.GatedLinearUnit is GatedLinearUnit


def test_legacy_path_resolves():
    plugin_checks.check_legacy_paths(_plugin, "snt-plugin-example")
    with isolated_registry(plugins=[(_plugin, "snt-plugin-example")], strict=True):
        from sonnet.python.modules.gated_linear_unit import GatedLinearUnit as legacy

        assert legacy is GatedLinearUnit


def test_every_export_has_a_conformance_case():
    names = [f"{e.namespace}.{e.name}" if e.namespace else e.name for e in _plugin.EXPORTS]
    assert missing_cases(names, _plugin.snt_conformance_cases()) == []


@pytest.mark.parametrize("case", _plugin.snt_conformance_cases(), ids=lambda c: c.name)
def test_conformance(case, tmp_path):
    check_case(case, tmp_path)


def test_computes_value_times_sigmoid_gate():
    glu = GatedLinearUnit(2)
    x = np.array([[1.0, -2.0, 0.5]], np.float32)
    glu(tf.constant(x))  # creates glu/linear/w [3, 4] and glu/linear/b [4]
    w = np.arange(12, dtype=np.float32).reshape(3, 4) / 10.0
    b = np.array([0.1, -0.2, 0.3, -0.4], np.float32)
    (w_var,) = [v for v in glu.variables if v.name.endswith("linear/w:0")]
    (b_var,) = [v for v in glu.variables if v.name.endswith("linear/b:0")]
    w_var.assign(w)
    b_var.assign(b)
    pre = x @ w + b
    expected = pre[:, :2] / (1.0 + np.exp(-pre[:, 2:]))
    np.testing.assert_allclose(glu(tf.constant(x)).numpy(), expected, rtol=1e-6)


def test_graph_mode_shares_variables_and_collects_regularizers():
    with tf.Graph().as_default():
        glu = GatedLinearUnit(5, regularizers={"w": snt.regularizers.l2(0.1)})
        glu(tf.compat.v1.placeholder(tf.float32, [None, 3]))
        glu(tf.compat.v1.placeholder(tf.float32, [7, 3]))
        names = sorted(v.name for v in glu.get_all_variables())
        assert names == ["gated_linear_unit/linear/b:0", "gated_linear_unit/linear/w:0"]
        losses = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
        assert len(losses) == 1


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "4"])
def test_rejects_bad_output_size(bad):
    with pytest.raises(ValueError, match="output_size must be a positive int"):
        GatedLinearUnit(bad)
