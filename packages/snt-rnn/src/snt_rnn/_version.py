"""Version of the snt-rnn distribution."""

__version__ = "0.1.0"
