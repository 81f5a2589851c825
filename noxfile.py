"""Every CI job of the monorepo: lint, per-package tests in isolation, integration, build.

``nox -s ci`` runs lint, the tests of each package alone, and integration.
Environments come from uv when available (fast, cached TensorFlow wheels),
otherwise from virtualenv.
"""

from __future__ import annotations

import glob
import os
import pathlib
import shutil

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["ci"]

ROOT = pathlib.Path(__file__).parent
TENSORFLOW = "tensorflow-cpu==2.21.*"
TEST_TOOLS = ["pytest>=8", "hypothesis>=6"]
LINT_PATHS = ["packages", "tests", "examples", "benchmarks", "noxfile.py"]

#: distribution -> first-party distributions it depends on (in install order).
PACKAGES: dict[str, list[str]] = {
    "snt-core": [],
    "snt-nets": ["snt-core"],
    "snt-rnn": ["snt-core", "snt-nets"],
    "snt-transpose": ["snt-core", "snt-nets"],
}

#: Keep TensorFlow small and quiet on 2-core CI machines.
TF_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "2",
    "OMP_NUM_THREADS": "2",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}


def _local(dist: str) -> str:
    return str(ROOT / "packages" / dist)


def _install_local(session: nox.Session, paths: list[str], *, no_deps: bool = False) -> None:
    """Installs local projects non-editable, always rebuilt from the current sources."""
    names = [pathlib.Path(p).name for p in paths]
    args = ["--no-deps"] if no_deps else []
    if session.venv_backend == "uv":
        for name in names:
            args += ["--reinstall-package", name]
    else:
        args += ["--force-reinstall", "--no-cache-dir"]
    session.install(*args, *paths)


def _pytest(session: nox.Session, *args: str) -> None:
    # pytest's exit code 5 ("no tests collected") fails the session like any other.
    session.run("pytest", *args, *session.posargs, env=TF_ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over every Python file of the repo."""
    session.install("ruff")
    paths = [p for p in LINT_PATHS if (ROOT / p).exists()]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session
@nox.parametrize("package", list(PACKAGES), ids=list(PACKAGES))
def tests(session: nox.Session, package: str) -> None:
    """One package alone: itself, its declared first-party deps, TensorFlow, test tools."""
    session.install(TENSORFLOW, *TEST_TOOLS)
    _install_local(session, [_local(d) for d in [*PACKAGES[package], package]])
    tests_dir = ROOT / "packages" / package / "tests"
    if not list(tests_dir.glob("test_*.py")):
        session.error(f"{package} has no tests in {tests_dir}")
    _pytest(session, str(tests_dir))


def _fixtures() -> list[str]:
    return sorted(str(p.parent) for p in (ROOT / "tests" / "fixtures").glob("*/pyproject.toml"))


def _example_plugins() -> list[str]:
    return sorted(str(p.parent) for p in (ROOT / "examples").glob("*/pyproject.toml"))


@nox.session
def integration(session: nox.Session) -> None:
    """All packages plus the fixture plugin distributions: real entry-point discovery."""
    session.install(TENSORFLOW, *TEST_TOOLS)
    _install_local(session, [_local(d) for d in PACKAGES])
    # Fixtures declare odd requirements on purpose (snt-incompatible wants snt-core>=9).
    _install_local(session, _fixtures() + _example_plugins(), no_deps=True)
    _pytest(session, "tests", "--ignore=tests/fixtures")


@nox.session
def build(session: nox.Session) -> None:
    """A wheel and an sdist per package into dist/, then checks their metadata."""
    session.install("build", "packaging")
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    for package in PACKAGES:
        if shutil.which("uv"):
            session.run("uv", "build", "--sdist", "--wheel", "-o", str(dist), _local(package))
        else:  # pragma: no cover - fallback without uv
            session.run("python", "-m", "build", "-o", str(dist), _local(package))
    session.run("python", str(ROOT / "tests" / "check_dists.py"), str(dist))


@nox.session
def demo(session: nox.Session) -> None:
    """Runs the runnable examples (examples/*.py) with every package installed."""
    session.install(TENSORFLOW)
    _install_local(session, [_local(d) for d in PACKAGES])
    scripts = sorted(glob.glob(str(ROOT / "examples" / "*.py")))
    if not scripts:
        session.error("no examples/*.py yet")
    for script in scripts:
        session.run("python", script, env=TF_ENV)


@nox.session
def bench(session: nox.Session) -> None:
    """Prints the benchmarks (ratios and timings, not asserts)."""
    session.install(TENSORFLOW)
    _install_local(session, [_local(d) for d in PACKAGES])
    for script in sorted(glob.glob(str(ROOT / "benchmarks" / "*.py"))):
        session.run("python", script, env={**TF_ENV, **os.environ})


@nox.session(venv_backend="none")
def ci(session: nox.Session) -> None:
    """What CI runs: lint, the tests of every package alone, integration."""
    session.notify("lint")
    for package in PACKAGES:  # notify("tests") would queue only the first parametrization
        session.notify(f"tests({package})")
    session.notify("integration")
