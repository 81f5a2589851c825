"""``--strategy``: no distribution, or MirroredStrategy over 2 logical CPUs."""

from __future__ import annotations

import tensorflow as tf

from digits_demo.cli import STRATEGIES as CHOICES

LOGICAL_CPUS = 2


def make(name: str) -> tf.distribute.Strategy:
    """The strategy for the TF2 models.

    ``none`` is TensorFlow's default (single-device) strategy. ``mirrored``
    splits the one physical CPU into ``LOGICAL_CPUS`` logical devices and
    mirrors the variables over them; it must be called before TensorFlow
    initializes its devices (the CLI calls it first thing).

    Raises:
      ValueError: unknown ``name``.
      RuntimeError: the devices were already initialized.
    """
    if name == "none":
        return tf.distribute.get_strategy()
    if name != "mirrored":
        raise ValueError(f"--strategy must be one of {CHOICES}, got {name!r}")
    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration() for _ in range(LOGICAL_CPUS)]
    )
    devices = [d.name for d in tf.config.list_logical_devices("CPU")][:LOGICAL_CPUS]
    return tf.distribute.MirroredStrategy(devices)


def describe(strategy: tf.distribute.Strategy) -> str:
    """A short label for the table, e.g. ``MirroredStrategy x2``."""
    if strategy.num_replicas_in_sync == 1 and not isinstance(
        strategy, tf.distribute.MirroredStrategy
    ):
        return ""
    return f", {type(strategy).__name__} x{strategy.num_replicas_in_sync}"


def check_variables(strategy: tf.distribute.Strategy, variables: list) -> str | None:
    """Under a multi-replica strategy, checks ``variables`` are mirrored; returns a note.

    Raises:
      RuntimeError: a variable is not a distributed (mirrored) variable.
    """
    replicas = strategy.num_replicas_in_sync
    if replicas == 1:
        return None
    plain = [v.name for v in variables if not isinstance(v, tf.distribute.DistributedValues)]
    if plain:
        raise RuntimeError(f"variables not mirrored under {type(strategy).__name__}: {plain}")
    return f"{replicas} replicas, mirrored variables ({len(variables)}), gradients all-reduced"
