"""``python -m sonnet``, ``sonnet.errors`` and ``sonnet.plugins`` work when TensorFlow is broken.

Each test runs a fresh interpreter whose ``import tensorflow`` fails (a stub
package first on ``PYTHONPATH``), as with a broken or missing installation.
"""

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture
def broken_tf(tmp_path):
    package = tmp_path / "tensorflow"
    package.mkdir()
    (package / "__init__.py").write_text('raise ImportError("libtensorflow_cc.so.2: not found")\n')

    def run(*args):
        env = {**os.environ, "PYTHONPATH": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3"}
        return subprocess.run(
            [sys.executable, *args], env=env, capture_output=True, text=True, timeout=300
        )

    return run


def test_report_prints_and_names_the_problem(broken_tf):
    proc = broken_tf("-m", "sonnet", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["tensorflow"] is None and report["snt_core"]
    assert "TensorFlow could not be imported" in report["tensorflow_problem"]
    assert "libtensorflow_cc.so.2: not found" in report["tensorflow_problem"]
    assert isinstance(report["plugins"], list)
    text = broken_tf("-m", "sonnet")
    assert text.returncode == 0, text.stderr
    assert "TensorFlow is not usable: TensorFlow could not be imported" in text.stdout
    assert "pip install" in text.stderr


def test_errors_and_plugins_import_and_other_names_say_what_to_install(broken_tf):
    code = (
        "import sonnet.errors, sonnet.plugins, sonnet\n"
        "assert issubclass(sonnet.errors.PluginError, ImportError)\n"
        "assert sonnet.Error is sonnet.errors.Error and callable(sonnet.hookimpl)\n"
        "sonnet.plugins.Export('X', 'pkg.mod:X')\n"
        "for attempt in ('sonnet.AbstractModule', 'sonnet.Linear'):\n"
        "    try:\n"
        "        eval(attempt)\n"
        "    except ImportError as e:\n"
        "        print('ERR', e)\n"
        "try:\n"
        "    from sonnet import AbstractModule\n"
        "except ImportError as e:\n"
        "    print('FROM', type(e.__cause__).__name__)\n"
    )
    proc = broken_tf("-c", code)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3, proc.stdout
    assert lines[0].startswith("ERR snt.AbstractModule needs TensorFlow: TensorFlow could not")
    assert "pip install 'snt-core[tensorflow]'" in lines[0]
    assert lines[1].startswith("ERR snt.Linear needs TensorFlow")
    assert lines[2] == "FROM ImportError"
