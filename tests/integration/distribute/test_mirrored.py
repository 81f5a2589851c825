"""MirroredStrategy over 2 logical CPUs: mirrored variables, same update as one device.

All checks run in one fresh interpreter (``scripts/mirrored_checks.py``); each
compares a module trained with gradients aggregated across both replicas to
plain single-device SGD on the same global batch.
"""

import pytest

KINDS = ("linear", "mlp", "conv2d", "lstm")
MODES = ("function", "eager")


def test_two_replicas(mirrored_results):
    assert mirrored_results["num_replicas"] == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
def test_variables_are_mirrored_with_sonnet_names(mirrored_results, kind, mode):
    r = mirrored_results[f"{kind}/{mode}"]
    assert r["types"] == ["MirroredVariable"]
    assert [d[-5:] for d in r["replica_devices"]] == ["CPU:0", "CPU:1"]
    assert r["names"] == r["reference_names"] and r["names"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
def test_update_equals_single_device_step(mirrored_results, kind, mode):
    r = mirrored_results[f"{kind}/{mode}"]
    assert r["moved"] > 1e-2  # the steps really changed the variables
    assert r["replicas_max_diff"] == 0.0
    assert r["max_diff"] < 1e-5 * max(1.0, r["moved"])


@pytest.mark.parametrize("kind", KINDS)
def test_mirrored_checkpoint_restores_on_one_device(mirrored_results, kind):
    assert mirrored_results[f"{kind}/checkpoint"] == 0.0
