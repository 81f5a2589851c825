"""Modules built in strategy.scope() get distributed variables wherever first called."""

import numpy as np
import tensorflow as tf
from core_test_modules import Affine, batch


def test_first_call_outside_scope_uses_construction_strategy(eager):
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        mod = Affine(2, name="mirrored")
    out = mod(batch())  # outside the scope
    assert all(isinstance(v, tf.distribute.DistributedValues) for v in mod.variables)
    np.testing.assert_allclose(out.numpy(), batch().numpy() @ np.ones([3, 2]), rtol=1e-6)


def test_module_built_without_strategy_keeps_plain_variables(eager):
    mod = Affine(2, name="plain")
    mod(batch())
    assert not any(isinstance(v, tf.distribute.DistributedValues) for v in mod.variables)
