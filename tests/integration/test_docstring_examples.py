"""Every ``>>>`` example in the packages' docstrings runs and prints what it shows.

The examples are collected with the standard library's ``doctest`` from every
module of the four packages and of the example plugin (public names are defined
in private modules, so all modules are read; each docstring is found once, in the
module defining it). They run in eager mode, as a user pasting them would, with
``snt``, ``tf`` and ``np`` imported on top of the module's own globals. They run
here rather than in each package's session because core's examples use
``snt.Linear`` and ``snt.nets.MLP`` from snt-nets.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import numpy as np
import pytest
import tensorflow as tf

import sonnet as snt

PACKAGES = ("sonnet", "snt_nets", "snt_rnn", "snt_transpose", "snt_plugin_example")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules(package_name: str) -> list:
    package = importlib.import_module(package_name)
    names = [package_name] + [
        info.name
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}.")
        if not info.name.endswith("__main__")
    ]
    return [importlib.import_module(name) for name in names]


def _examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = []
    for package in PACKAGES:
        for module in _modules(package):
            globs = {**vars(module), "snt": snt, "tf": tf, "np": np}
            tests += [t for t in finder.find(module, globs=globs) if t.examples]
    return sorted(tests, key=lambda t: t.name)


EXAMPLES = _examples()


def test_examples_were_found():
    # A broken collection (say, a package not walked) must not pass by running nothing.
    assert {t.name.split(".")[0] for t in EXAMPLES} == set(PACKAGES)
    assert len(EXAMPLES) >= 60, len(EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda t: t.name)
def test_docstring_example(example: doctest.DocTest):
    assert tf.executing_eagerly()
    tf.compat.v1.reset_default_graph()
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(example, out=report.write, clear_globs=True)
    assert result.failed == 0, f"{example.name} ({example.filename}):\n{report.getvalue()}"
