"""``snt.custom_getters``: Sonnet 1's custom getters (part of snt-core).

A custom getter wraps ``tf.compat.v1.get_variable``: pass one as a module's
``custom_getter=`` (or a variable scope's). Getters run on every connection,
in graph mode, eagerly and in ``tf.function``.

- :func:`stop_gradient`, :func:`non_trainable`
- :func:`override_args`, :func:`override_default_args`
- :class:`Context`: a getter active only inside ``with context:``
- :func:`restore_initializer`: initialize variables from a checkpoint
- :mod:`bayes_by_backprop`: ``bayes_by_backprop.bayes_by_backprop_getter`` and
  its builders, ``EstimatorModes``, ``get_total_kl_cost``, ``get_variable_metadata``
"""

from sonnet.custom_getters import bayes_by_backprop
from sonnet.custom_getters._context import Context
from sonnet.custom_getters._override_args import override_args, override_default_args
from sonnet.custom_getters._restore import restore_initializer
from sonnet.custom_getters._simple import non_trainable, stop_gradient

__all__ = [
    "Context",
    "bayes_by_backprop",
    "non_trainable",
    "override_args",
    "override_default_args",
    "restore_initializer",
    "stop_gradient",
]
