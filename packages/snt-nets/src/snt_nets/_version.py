"""Version of the snt-nets distribution."""

__version__ = "0.1.0"
