"""Conformance cases of snt-transpose's modules (for core's shared suite).

Imported only by the ``snt_conformance_cases`` hook, so the entry point stays
free of TensorFlow.
"""

from __future__ import annotations

import tensorflow as tf

import sonnet as snt
from sonnet.plugins import ConformanceCase


def cases() -> list[ConformanceCase]:
    """One case per exported module, each with a stride and an inferred shape."""
    return [
        ConformanceCase(
            "Conv1DTranspose",
            create=lambda: snt.Conv1DTranspose(3, kernel_shape=3, stride=2),
            inputs=lambda: (tf.ones([2, 5, 2]),),
        ),
        ConformanceCase(
            "Conv2DTranspose",
            create=lambda: snt.Conv2DTranspose(
                3, output_shape=(8, 7), kernel_shape=3, stride=2, padding=snt.VALID
            ),
            inputs=lambda: (tf.ones([2, 3, 3, 2]),),
        ),
        ConformanceCase(
            "Conv3DTranspose",
            create=lambda: snt.Conv3DTranspose(2, kernel_shape=2, stride=(1, 2, 2)),
            inputs=lambda: (tf.ones([1, 2, 3, 3, 2]),),
        ),
        ConformanceCase(
            "nets.ConvNet2DTranspose",
            create=lambda: snt.nets.ConvNet2DTranspose(
                [4, 2], output_shapes=None, kernel_shapes=[3], strides=[2], paddings=[snt.SAME]
            ),
            inputs=lambda: (tf.ones([2, 3, 3, 2]),),
        ),
    ]
