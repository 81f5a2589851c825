"""TensorBoard scalars written with TensorFlow alone.

``tf.summary.scalar`` needs the ``tensorboard`` package at run time; the demo
writes the same records through ``tf.summary.write`` with the scalars plugin's
metadata, so TensorBoard (installed wherever you view the logs) shows them as
scalar charts and the demo does not depend on it.
"""

from __future__ import annotations

import pathlib

import tensorflow as tf
from tensorflow.core.framework import summary_pb2

_SCALAR_METADATA = summary_pb2.SummaryMetadata(
    plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars")
)


class ScalarWriter:
    """Writes float scalars to an event file under ``logdir`` (TF2 summary writer)."""

    def __init__(self, logdir: pathlib.Path) -> None:
        self._writer = tf.summary.create_file_writer(str(logdir))

    def scalar(self, tag: str, value: float, step: int) -> None:
        """Records ``value`` under ``tag`` at ``step``."""
        with self._writer.as_default():
            tf.summary.write(
                tag, tf.constant(value, tf.float32), step=step, metadata=_SCALAR_METADATA
            )

    def close(self) -> None:
        """Flushes and closes the event file."""
        self._writer.close()
