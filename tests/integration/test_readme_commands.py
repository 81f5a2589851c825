"""The README's two set-up commands: a virtual environment first, CI runs the test one verbatim."""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
VENV = ".venv-nox"


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"^```\n(.*?)^```", section, re.M | re.S)]


def test_exactly_two_commands_demo_then_ci():
    commands = _setup_commands()
    assert len(commands) == 2, commands
    demo, ci = commands
    assert demo.endswith("nox -s demo") and ci.endswith("nox -s ci")
    for command in commands:
        assert "\n" not in command
        # A virtual environment first: a system (externally managed) Python refuses
        # `pip install`, so nothing may be installed with the system's pip.
        assert command.startswith(f"python3 -m venv {VENV} && {VENV}/bin/pip install"), command
        assert "python3 -m pip" not in command


def test_ci_runs_the_test_command_verbatim():
    lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "set ", "cd "))
    ]
    assert lines == [_setup_commands()[1]]


def test_the_environment_is_git_ignored():
    assert f"{VENV}/" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_demo_readme_quotes_the_same_demo_command():
    assert _setup_commands()[0] in (ROOT / "examples" / "README.md").read_text()
