"""Checks the wheels and sdists in a dist/ folder (used by ``nox -s build``).

For every package under packages/: exactly one wheel and one sdist at the
version in ``_version.py``; the wheel's METADATA names the package, requires a
range of each first-party package it builds on (snt-core; snt-nets for snt-rnn
and snt-transpose) containing that package's current version but not its next
minor, and its entry_points.txt declares the expected ``sonnet`` entry point
whose module is inside the wheel; ``py.typed`` is shipped; the wheel and the
sdist carry the repository's LICENSE (Apache-2.0, as the metadata says).
"""

from __future__ import annotations

import configparser
import email.parser
import pathlib
import re
import sys
import tarfile
import zipfile

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = pathlib.Path(__file__).resolve().parent.parent

#: distribution -> (import package, expected ``sonnet`` entry points)
EXPECTED = {
    "snt-core": ("sonnet", {}),
    "snt-nets": ("snt_nets", {"nets": "snt_nets._plugin"}),
    "snt-rnn": ("snt_rnn", {"rnn": "snt_rnn._plugin"}),
    "snt-transpose": ("snt_transpose", {"transpose": "snt_transpose._plugin"}),
}
#: distribution -> the first-party distributions whose API it uses (a range each).
BUILDS_ON = {
    "snt-core": (),
    "snt-nets": ("snt-core",),
    "snt-rnn": ("snt-core", "snt-nets"),
    "snt-transpose": ("snt-core", "snt-nets"),
}


def _version(package: str) -> str:
    text = (ROOT / "packages" / package / "src" / EXPECTED[package][0] / "_version.py").read_text()
    match = re.search(r"__version__\s*=\s*['\"]([^'\"]+)['\"]", text)
    if not match:
        raise SystemExit(f"{package}: no __version__ in _version.py")
    return match.group(1)


def _check(dist_dir: pathlib.Path, package: str) -> list[str]:
    errors: list[str] = []
    module, entry_points = EXPECTED[package]
    version = _version(package)
    stem = f"{package.replace('-', '_')}-{version}"
    wheels = list(dist_dir.glob(f"{stem}-*.whl"))
    sdists = list(dist_dir.glob(f"{stem}.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        return [f"{package}: expected one wheel and one sdist for {version}, got {wheels + sdists}"]
    license_text = (ROOT / "LICENSE").read_bytes()
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
        info = f"{stem}.dist-info"
        licenses = [n for n in names if n.startswith(f"{info}/licens") and "LICENSE" in n]
        if [wheel.read(n) for n in licenses] != [license_text]:
            errors.append(f"{package}: the wheel should carry LICENSE once, found {licenses}")
        meta = email.parser.Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        ep_text = (
            wheel.read(f"{info}/entry_points.txt").decode()
            if (f"{info}/entry_points.txt" in names)
            else ""
        )
    with tarfile.open(sdists[0]) as sdist:
        member = (
            sdist.extractfile(f"{stem}/LICENSE") if f"{stem}/LICENSE" in sdist.getnames() else None
        )
        if member is None or member.read() != license_text:
            errors.append(f"{package}: the sdist has no {stem}/LICENSE equal to the repository's")
    if meta.get("License-Expression", meta.get("License")) != "Apache-2.0":
        errors.append(f"{package}: METADATA declares no Apache-2.0 license")
    if canonicalize_name(meta["Name"]) != package or meta["Version"] != version:
        errors.append(f"{package}: METADATA says {meta['Name']} {meta['Version']}")
    if f"{module}/py.typed" not in names:
        errors.append(f"{package}: {module}/py.typed missing from the wheel")
    parser = configparser.ConfigParser()
    parser.read_string(ep_text)
    found = dict(parser["sonnet"]) if parser.has_section("sonnet") else {}
    if found != entry_points:
        errors.append(f"{package}: sonnet entry points {found}, expected {entry_points}")
    for value in entry_points.values():
        if value.replace(".", "/") + ".py" not in names:
            errors.append(f"{package}: entry point module {value} is not in the wheel")
    reqs = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    for sibling in BUILDS_ON[package]:
        declared = [r for r in reqs if canonicalize_name(r.name) == sibling]
        current = Version(_version(sibling))
        next_minor = Version(f"{current.major}.{current.minor + 1}")
        if len(declared) != 1:
            errors.append(f"{package}: expected one {sibling} requirement, got {declared}")
        elif current not in declared[0].specifier or next_minor in declared[0].specifier:
            errors.append(
                f"{package}: {sibling} range {declared[0].specifier} should contain {current} "
                f"and exclude {next_minor}"
            )
    return errors


def main(argv: list[str]) -> int:
    dist_dir = pathlib.Path(argv[1] if len(argv) > 1 else ROOT / "dist")
    errors = [e for package in EXPECTED for e in _check(dist_dir, package)]
    for error in errors:
        print("FAIL", error)
    if not errors:
        print(f"OK: {len(EXPECTED)} wheels and sdists in {dist_dir} have the expected metadata")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
