"""Several threads connecting one module eagerly (template path, first call included)."""

import concurrent.futures

import numpy as np
import tensorflow as tf
from core_test_modules import Affine


def test_threads_share_one_module(eager):
    for trial in range(4):  # fresh modules: the first call is part of the race
        mod = Affine(3, name=f"threaded_{trial}")  # tf.compat.v1.get_variable: full path
        x = tf.ones([2, 4])

        def call(i, mod=mod, x=x):
            return [mod(x * float(i + 1)).numpy() for _ in range(5)]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(call, range(8)))
        assert [v.name for v in mod.variables] == [f"threaded_{trial}/b:0", f"threaded_{trial}/w:0"]
        for i, outs in enumerate(results):
            for out in outs:
                np.testing.assert_allclose(out, np.full([2, 3], 4.0 * (i + 1)))
