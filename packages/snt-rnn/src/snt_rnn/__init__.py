"""snt-rnn: Sonnet 1's recurrent cores (LSTM, GRU, DeepRNN, ...) as a plugin.

The cores are used through the ``snt`` namespace (``snt.LSTM``,
``snt.dynamic_unroll``): the ``sonnet`` entry point of this distribution
points at :mod:`snt_rnn._plugin`, which lists them lazily. Importing this
package does not import TensorFlow; the implementation modules
(``snt_rnn.lstm``, ...) do.
"""

from snt_rnn._version import __version__

__all__ = ["__version__"]
