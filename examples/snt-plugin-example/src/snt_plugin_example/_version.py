"""Version of the snt-plugin-example distribution."""

__version__ = "0.1.0"
