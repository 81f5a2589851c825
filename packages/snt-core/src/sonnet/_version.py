"""Version of the snt-core distribution."""

__version__ = "0.1.0"
