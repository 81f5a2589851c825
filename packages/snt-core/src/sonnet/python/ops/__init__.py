"""Sonnet 1's ``sonnet.python.ops`` package (``nest``, ``initializers``)."""
