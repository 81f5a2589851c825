"""Random invalid configurations and inputs raise only documented errors.

Each ``INVALID`` scenario (property_cases_*.py) draws a bad configuration
(construction) or a bad input (connection) for a module with a random name, in
graph mode and eagerly. The error must be one of the documented classes
(``snt.Error`` subclasses, ``KeyError``, ``TypeError``, ``ValueError``), be
raised at the stage the docs name, and carry the module's name in its message;
never a TensorFlow op error (except the value checks docs/errors.md lists, run
as ``RUN`` scenarios), a hang or a silently wrong shape.
"""

from __future__ import annotations

import contextlib

import pytest
import tensorflow as tf
from hypothesis import given, settings
from property_support import all_invalid, check_documented_error, names, ones

import sonnet as snt

PROFILE = settings(settings.get_profile("hardening"), max_examples=25)
INVALID = all_invalid()


@pytest.mark.parametrize("mode", ["graph", "eager"])
@pytest.mark.parametrize("export", sorted(INVALID))
def test_random_invalid_inputs_raise_documented_errors(export, mode):
    @PROFILE
    @given(scenario=INVALID[export], name=names)
    def run(scenario, name):
        stage, make, connect = scenario
        check_documented_error(stage, make, connect, name, mode)

    run()


@pytest.mark.parametrize("mode", ["graph", "eager"])
def test_layer_norm_reconnection_with_another_last_dimension(mode):
    with tf.Graph().as_default() if mode == "graph" else contextlib.nullcontext():
        module = snt.LayerNorm(name="m_norm")
        module(ones(2, 5))
        with pytest.raises(snt.IncompatibleShapeError, match="m_norm"):
            module(ones(2, 4))


def test_conv_lstm_accepts_a_sequence_stride():
    with tf.Graph().as_default():
        as_int = snt.Conv2DLSTM(input_shape=[8, 8, 2], output_channels=4, kernel_shape=3, stride=2)
        as_list = snt.Conv2DLSTM(
            input_shape=[8, 8, 2], output_channels=4, kernel_shape=3, stride=[2, 2]
        )
        assert as_list.output_size == as_int.output_size
