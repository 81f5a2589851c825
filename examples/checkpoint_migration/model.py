"""The model both processes build: a small Sonnet 1 style ConvNet for 8x8 digits.

Written once, in Sonnet 1's style (``snt.AbstractModule``, submodules built in
``_build``, an ``is_training`` flag for BatchNorm); it runs unchanged in the
TF1 graph program and in the eager TF2 process. Its variables have Sonnet 1's
names: ``digits_convnet/conv_0/w``, ``digits_convnet/batch_norm_0/moving_mean``,
``digits_convnet/logits/b``, ...
"""

from __future__ import annotations

import tensorflow as tf

import sonnet as snt

CHANNELS = (16, 32)
NUM_CLASSES = 10
#: BatchNorm's moving-average decay: short runs need faster averages than 0.999.
DECAY = 0.99


class DigitsConvNet(snt.AbstractModule):
    """``[N, 8, 8]`` images -> ``[N, 10]`` logits: two conv + BatchNorm + relu, a linear readout."""

    def __init__(self, name: str = "digits_convnet") -> None:
        super().__init__(name=name)

    def _build(self, images: tf.Tensor, is_training: bool) -> tf.Tensor:
        net = images[..., tf.newaxis]
        for i, (channels, stride) in enumerate(zip(CHANNELS, (1, 2), strict=True)):
            net = snt.Conv2D(channels, kernel_shape=3, stride=stride, name=f"conv_{i}")(net)
            net = snt.BatchNorm(decay_rate=DECAY, name=f"batch_norm_{i}")(
                net, is_training=is_training, test_local_stats=False
            )
            net = tf.nn.relu(net)
        return snt.Linear(NUM_CLASSES, name="logits")(snt.BatchFlatten()(net))
