"""Every CI job of the monorepo: lint, per-package tests in isolation, integration, build.

``nox -s ci`` runs lint, typecheck, docs, build, the tests of each package alone (on
the tested TensorFlow and on the oldest supported one) and integration, in two lanes
at once (see ``ci``). Environments come from uv when available (fast: TensorFlow is
hard-linked from uv's cache, not copied or downloaded again), otherwise from virtualenv.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading
import time

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["ci"]

ROOT = pathlib.Path(__file__).parent
TENSORFLOW = "tensorflow-cpu==2.21.*"
#: The oldest TensorFlow the packages declare (snt-core's ``[tensorflow]`` extras: >=2.16).
OLDEST_TENSORFLOW = "tensorflow-cpu==2.16.*"
#: pytest-xdist spreads the integration tests over both cores (``-n 2``).
TEST_TOOLS = ["pytest>=8", "hypothesis>=6", "pytest-xdist>=3.5"]
#: What the examples need besides the library (scikit-learn, tqdm, matplotlib).
EXAMPLES_REQUIREMENTS = str(ROOT / "examples" / "requirements.txt")
LINT_PATHS = [
    "packages",
    "tests",
    "examples",
    "benchmarks",
    "docs/gen_api.py",
    "docs/mkdocs_hooks.py",
    "noxfile.py",
]

#: distribution -> first-party distributions it depends on (in install order).
PACKAGES: dict[str, list[str]] = {
    "snt-core": [],
    "snt-nets": ["snt-core"],
    "snt-rnn": ["snt-core", "snt-nets"],
    "snt-transpose": ["snt-core", "snt-nets"],
}

#: Keep TensorFlow small and quiet on 2-core CI machines: one thread per process,
#: since ``ci`` runs two or three test processes at once.
TF_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "OMP_NUM_THREADS": "1",
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


def _pytest(session: nox.Session, *args: str, workers: int = 1) -> None:
    """pytest with TF_ENV; ``workers`` > 1 spreads test files over pytest-xdist workers.

    ``--dist loadfile`` keeps each file on one worker, so module-scoped fixtures
    (the demo run, the probes) still run once. pytest's exit code 5 ("no tests
    collected") fails the session like any other.
    """
    parallel = ["-n", str(workers), "--dist", "loadfile"] if workers > 1 else []
    session.run("pytest", *parallel, *args, *session.posargs, env=TF_ENV)


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
    _pytest(session, _tests_dir(session, package))


def _tests_dir(session: nox.Session, package: str) -> str:
    tests_dir = ROOT / "packages" / package / "tests"
    if not list(tests_dir.glob("test_*.py")):
        session.error(f"{package} has no tests in {tests_dir}")
    return str(tests_dir)


#: What ``tests-oldest-tf`` runs in ``ci``: every package's conformance suite (each
#: exported module in graph mode, eagerly, in ``tf.function``, checkpointed) and the
#: test files of the machinery most tied to TensorFlow's internals (templates and
#: variable scopes, the eager fast path, the TF2 object model and SavedModel, custom
#: getters, batch-norm updates, convolutions, LSTMs and ``tf.while_loop`` unrolls).
OLDEST_TF_SUBSET = {
    "snt-core": [
        "test_conformance.py",
        "test_abstract_module.py",
        "test_reuse_variables.py",
        "test_replay.py",
        "test_autograph.py",
        "test_tf2_object_model.py",
        "test_custom_getters.py",
    ],
    "snt-nets": ["test_conformance.py", "test_linear.py", "test_batch_norm.py", "test_conv.py"],
    "snt-rnn": ["test_conformance.py", "test_lstm.py", "test_unroll.py", "test_rnn_compat.py"],
    "snt-transpose": ["test_conformance.py", "test_conv_transpose.py"],
}


@nox.session(name="tests-oldest-tf")
def tests_oldest_tf(session: nox.Session) -> None:
    """The packages' tests on the oldest TensorFlow they accept (2.16), a quarter of them.

    The packages declare ``tensorflow>=2.16``; this session keeps that floor honest.
    ``ci`` runs ``OLDEST_TF_SUBSET`` (about a quarter of the package tests, to stay
    within its time budget); ``nox -s tests-oldest-tf -- --all`` runs every package
    test (all passed on 2.16.2 when the session was added). One environment holds
    all four packages (each package alone is ``tests(...)``'s job) and the tests
    spread over two pytest-xdist workers.
    """
    session.install(OLDEST_TENSORFLOW, *TEST_TOOLS)
    _install_local(session, [_local(d) for d in PACKAGES])
    run_all = "--all" in session.posargs
    session.posargs[:] = [a for a in session.posargs if a != "--all"]
    paths = []
    for package in PACKAGES:
        tests_dir = _tests_dir(session, package)
        if run_all:
            paths.append(tests_dir)
            continue
        for name in OLDEST_TF_SUBSET[package]:
            if not (pathlib.Path(tests_dir) / name).is_file():
                session.error(f"OLDEST_TF_SUBSET names {package}/tests/{name}, which is gone")
            paths.append(str(pathlib.Path(tests_dir) / name))
    _pytest(session, *paths, workers=2)


def _fixtures() -> list[str]:
    return sorted(str(p.parent) for p in (ROOT / "tests" / "fixtures").glob("*/pyproject.toml"))


def _example_plugins() -> list[str]:
    return sorted(str(p.parent) for p in (ROOT / "examples").glob("*/pyproject.toml"))


def _example_plugin_tests() -> list[str]:
    return [
        str(pathlib.Path(p) / "tests")
        for p in _example_plugins()
        if (pathlib.Path(p) / "tests").is_dir()
    ]


#: Each package's src/ (mypy reads them as sources; see [tool.mypy] in pyproject.toml).
IMPORT_PACKAGES = {
    "snt-core": "sonnet",
    "snt-nets": "snt_nets",
    "snt-rnn": "snt_rnn",
    "snt-transpose": "snt_transpose",
}
SOURCES = [str(ROOT / "packages" / d / "src" / pkg) for d, pkg in IMPORT_PACKAGES.items()]


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy over the four packages' src/ (lenient settings in pyproject.toml)."""
    # TensorFlow has no type information; core's typed dependencies are enough.
    session.install("mypy>=1.10", "numpy", "pluggy")
    session.run("mypy", "--config-file", str(ROOT / "pyproject.toml"), *SOURCES)


#: mkdocs and mkdocstrings' Python handler (griffe), for `nox -s docs`.
DOCS_TOOLS = ["mkdocs>=1.6,<2", "mkdocstrings[python]>=0.29"]


@nox.session
def docs(session: nox.Session) -> None:
    """The HTML docs in site/: the coverage check, then ``mkdocs build --strict``.

    docs/gen_api.py --check fails when a public ``snt`` name (core or a first-party
    plugin) has no docstring or no up-to-date page in docs/api/; mkdocs.yml then
    builds README, docs/*.md and the API pages (mkdocstrings renders each name from
    its sources) and fails on any warning. ``nox -s docs -- --write`` regenerates
    docs/api/ first. ~15 s from a fresh venv with uv's cache, so ``ci`` runs it.
    """
    session.install(TENSORFLOW, *DOCS_TOOLS)
    _install_local(session, [_local(d) for d in PACKAGES])
    write = "--write" in session.posargs
    args = [] if write else ["--check"]
    session.run("python", str(ROOT / "docs" / "gen_api.py"), *args, env=TF_ENV)
    config = str(ROOT / "mkdocs.yml")
    session.run("mkdocs", "build", "--strict", "--clean", "--config-file", config, env=TF_ENV)


@nox.session
def integration(session: nox.Session) -> None:
    """All packages, the fixture and example plugin distributions, the demo's smoke test."""
    session.install(TENSORFLOW, *TEST_TOOLS, "-r", EXAMPLES_REQUIREMENTS)
    _install_local(session, [_local(d) for d in PACKAGES])
    # Fixtures declare odd requirements on purpose (snt-incompatible wants snt-core>=9).
    _install_local(session, _fixtures() + _example_plugins(), no_deps=True)
    _pytest(session, "tests", *_example_plugin_tests(), "--ignore=tests/fixtures", workers=2)


@nox.session
def build(session: nox.Session) -> None:
    """A wheel and an sdist per package into dist/, then checks their metadata.

    tests/check_dists.py: versions, ``py.typed``, the ``sonnet`` entry points, the
    snt-core ranges of the plugins, the LICENSE in every wheel and sdist. Part of ``ci``.
    """
    session.install("uv", "packaging")  # this environment's own uv builds the packages
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    for package in PACKAGES:
        session.run("uv", "build", "-q", "--sdist", "--wheel", "-o", str(dist), _local(package))
    session.run("python", str(ROOT / "tests" / "check_dists.py"), str(dist))


@nox.session
def demo(session: nox.Session) -> None:
    """The digits demo (examples/run_digits_demo.py), default options unless posargs.

    Installs every package plus the examples' own requirements; the run folder
    is runs/digits_demo. ``nox -s demo -- --model rnn --steps 200`` passes options.
    """
    session.install(TENSORFLOW, "-r", EXAMPLES_REQUIREMENTS)
    _install_local(session, [_local(d) for d in PACKAGES])
    script = str(ROOT / "examples" / "run_digits_demo.py")
    session.run("python", script, *session.posargs, env=TF_ENV)


#: dm-sonnet 2.0.2 brings dm-tree, wrapt and tabulate; it does not need tf-keras here.
SONNET2 = ["dm-sonnet==2.0.2", TENSORFLOW]


def _sonnet2_python(session: nox.Session) -> str:
    """A venv of its own for dm-sonnet (it installs a package named ``sonnet`` too)."""
    venv = ROOT / ".nox" / "bench_sonnet2"
    python = venv / "bin" / "python"
    interpreter = session.run("python", "-c", "import sys; print(sys.executable)", silent=True)
    if shutil.which("uv"):
        steps = [
            ["uv", "venv", "-q", "--allow-existing", "--python", interpreter.strip(), str(venv)],
            ["uv", "pip", "install", "-q", "--python", str(python), *SONNET2],
        ]
    else:  # pragma: no cover - fallback without uv
        steps = [
            [interpreter.strip(), "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "-q", *SONNET2],
        ]
    for cmd in steps:
        session.log(" ".join(cmd))
        if subprocess.run(cmd, check=False).returncode:  # the table says "unavailable"
            session.warn(f"could not set up dm-sonnet 2: {' '.join(cmd)} failed")
            break
    return str(python)


@nox.session
def bench(session: nox.Session) -> None:
    """One table: this project, dm-sonnet 2.0.2, tf.Module and Keras 3 against hand-written TF.

    Slow and noisy, so not part of ``ci``. Records benchmarks/RESULTS.md and
    benchmarks/results.json; extra arguments go to benchmarks/bench.py.
    """
    session.install(TENSORFLOW)
    _install_local(session, [_local(d) for d in PACKAGES])
    sonnet2 = _sonnet2_python(session)
    args = ["--record", "--command", "nox -s bench", "--sonnet2-python", sonnet2]
    session.run("python", str(ROOT / "benchmarks" / "bench.py"), *args, *session.posargs)


#: ``nox -s ci`` runs these two lanes at once, each a ``nox`` process running its
#: sessions in order. On 2 cores: integration (the longest session, itself on two
#: pytest-xdist workers) beside everything else, so neither core idles for long.
CI_LANES = {
    "integration": ["integration"],
    "checks": [
        "lint",
        "typecheck",
        *[f"tests({package})" for package in PACKAGES],
        "build",
        "docs",
        "tests-oldest-tf",
    ],
}
#: pytest's summary line ("=== 12 passed, 1 skipped in 3.4s ===").
_SUMMARY = re.compile(r"^=+ (.*\d+ (?:passed|failed|error|errors|skipped).*) in [\d.]+s")
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)")


def _lane(name: str, sessions: list[str], lock: threading.Lock, results: dict) -> None:
    """Runs one lane's sessions in a child nox, its output prefixed with the lane name.

    Records the exit code, the wall time, the CPU time of the lane's processes (so a
    slow run on a busy machine can be told from a slow test suite) and the pytest counts.
    """
    cmd = [sys.executable, "-m", "nox", "-f", str(ROOT / "noxfile.py"), "-s", *sessions]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    start = time.monotonic()
    counts: dict[str, int] = {}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        summary = _SUMMARY.match(line.strip())
        if summary:
            for number, word in _COUNT.findall(summary.group(1)):
                word = "errors" if word.startswith("error") else word
                counts[word] = counts.get(word, 0) + int(number)
        with lock:
            sys.stdout.write(f"[{name}] {line}")
            sys.stdout.flush()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    results[name] = (proc.returncode, time.monotonic() - start, cpu, counts)


@nox.session(venv_backend="none")
def ci(session: nox.Session) -> None:
    """What CI runs: lint, typecheck, every package's tests alone, build, docs, the oldest
    supported TensorFlow, integration; about 9 minutes cold on an idle 2-core machine.

    The two ``CI_LANES`` run at once as child ``nox`` processes (their output is
    interleaved, each line prefixed with its lane); ``ci`` fails if either fails and
    ends with one line adding up every pytest summary.
    """
    lock, results, threads = threading.Lock(), {}, []
    for name, sessions in CI_LANES.items():
        thread = threading.Thread(target=_lane, args=(name, sessions, lock, results))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    totals: dict[str, int] = {}
    for name, (code, seconds, cpu, counts) in results.items():
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        sessions = ", ".join(CI_LANES[name])
        session.log(
            f"lane {name} ({sessions}): {status} in {seconds / 60:.1f} min "
            f"(CPU time {cpu / 60:.1f} min)"
        )
        for word, number in counts.items():
            totals[word] = totals.get(word, 0) + number
    failed = totals.get("failed", 0) + totals.get("errors", 0)
    skipped = f", {totals['skipped']} skipped" if totals.get("skipped") else ""
    print(f"ci: {totals.get('passed', 0)} passed, {failed} failed{skipped}", flush=True)
    if any(code for code, *_ in results.values()):
        session.error("a lane failed; see the lines prefixed with its name above")
