"""Version of the snt-transpose distribution."""

__version__ = "0.1.0"
