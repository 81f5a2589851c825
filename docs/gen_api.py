"""Generates the API reference (docs/api/) from the live ``snt`` namespace.

``python docs/gen_api.py`` rewrites the pages; ``python docs/gen_api.py --check``
writes nothing and exits 1 if a page is out of date or missing, or a public name
has no docstring: the coverage check ``nox -s docs`` runs before ``mkdocs build``.

One overview page per distribution (``docs/api/<dist>.md``): core's names and
public submodules, then the names each first-party plugin adds (``snt.Linear``,
``snt.nets.MLP``, ...), each with its signature and the first line of its
docstring. And one page per name (``docs/api/<dist>/<snt.Name>.md``) holding a
mkdocstrings directive for the object's defining module path (``::: snt_nets.linear.Linear``,
from the plugin's ``Export.target``, or ``__module__``/``__qualname__`` for core), which
renders its full docstring and members in the HTML site (mkdocs.yml). Names
TensorFlow defines (``snt.nest.flatten``) get their signature and summary only.
Third-party plugins installed alongside are left out.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import os
import pathlib
import re
import sys
import types
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import sonnet as snt  # noqa: E402

API_DIR = pathlib.Path(__file__).parent / "api"
CORE = "snt-core"
PLUGINS = ("snt-nets", "snt-rnn", "snt-transpose")
#: Public submodules of ``sonnet`` whose members are listed (``python`` holds legacy paths).
SUBMODULES = (
    "conformance",
    "custom_getters",
    "errors",
    "mode_testing",
    "nest",
    "plugins",
    "regularizers",
    "testing",
)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_QUOTED_ANNOTATION = re.compile(r"(: |-> )'([^']*)'")


@dataclasses.dataclass(frozen=True)
class Entry:
    """One documented name."""

    qualname: str  # "snt.Linear", "snt.nets.MLP", "snt.regularizers.l2"
    kind: str  # class, function, module, constant, namespace
    signature: str
    summary: str  # first docstring line; "" if none
    #: Python path mkdocstrings loads ("snt_nets.linear.Linear"); "" when the object
    #: is not defined in a first-party package (TensorFlow's tf.nest functions).
    target: str = ""


def _kind(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "constant"


def _signature(obj: Any, kind: str) -> str:
    if kind == "constant":
        if isinstance(obj, (set, frozenset)):  # a stable order (str hashes are salted)
            return f" = {type(obj).__name__}({{{', '.join(sorted(map(repr, obj)))}}})"
        return f" = {obj!r}"
    if kind not in ("class", "function"):
        return ""
    try:
        text = str(inspect.signature(obj))
    except (TypeError, ValueError):
        text = "(...)"
    return _QUOTED_ANNOTATION.sub(r"\1\2", _ADDRESS.sub("", text))


def _summary(obj: Any, kind: str) -> str:
    if kind == "constant":
        return ""
    doc = inspect.getdoc(obj) or ""
    return doc.strip().splitlines()[0].strip() if doc.strip() else ""


#: Top-level packages mkdocstrings reads (mkdocs.yml's handler ``paths``).
FIRST_PARTY_PACKAGES = ("sonnet", "snt_nets", "snt_rnn", "snt_transpose")


def _first_party(module: str) -> bool:
    return module.split(".")[0] in FIRST_PARTY_PACKAGES


def _target(qualname: str, obj: Any, kind: str) -> str:
    """Where the object is defined, as a dotted path griffe can load; "" if not ours."""
    if kind == "module":
        return obj.__name__
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(name, str) and "<locals>" not in name:
        return f"{module}.{name}" if _first_party(module) else ""
    if module is not None and not _first_party(module):
        return ""
    # Constants and instances (snt.hookimpl) have no qualified name: their public
    # path, which griffe follows through sonnet's imports to the assignment.
    return "sonnet" + qualname[len("snt") :]


def entry(qualname: str, obj: Any, kind: str | None = None, target: str | None = None) -> Entry:
    kind = kind or _kind(obj)
    if target is None:
        target = _target(qualname, obj, kind)
    return Entry(qualname, kind, _signature(obj, kind), _summary(obj, kind), target)


def _module_members(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            n
            for n, obj in vars(module).items()
            if not n.startswith("_")
            and not isinstance(obj, types.ModuleType)
            and getattr(obj, "__module__", module.__name__).startswith(module.__name__)
        ]
    return sorted(names)


def core_entries() -> list[Entry]:
    """Core's top-level names (without plugin-provided ones) and its submodules' members."""
    provided = set(snt.plugins.names())
    out = []
    for name in sorted(vars(snt)):
        obj = vars(snt)[name]
        if name.startswith("_") or name in provided or isinstance(obj, types.ModuleType):
            continue
        out.append(entry(f"snt.{name}", obj))
    for sub in (*SUBMODULES, "python"):
        module = __import__(f"sonnet.{sub}", fromlist=["_"])
        out.append(entry(f"snt.{sub}", module, "module"))
        if sub == "python":
            continue
        for name in _module_members(module):
            out.append(entry(f"snt.{sub}.{name}", getattr(module, name)))
    return out


def plugin_entries() -> dict[str, list[Entry]]:
    """The names each first-party plugin adds, by distribution."""
    out: dict[str, list[Entry]] = {dist: [] for dist in PLUGINS}
    for export, info in snt.plugins.exports():
        if info.distribution not in out:
            continue
        parts = [export.namespace, export.name] if export.namespace else [export.name]
        obj: Any = snt
        for part in parts:
            obj = getattr(obj, part)
        # A Python module exported as a constant (snt.nets.transformer) is listed
        # as a module: its repr holds a file path, not a value.
        is_module = isinstance(obj, types.ModuleType)
        kind = "constant" if export.kind == "constant" and not is_module else None
        target = export.target.replace(":", ".")  # "snt_nets.linear:Linear"
        out[info.distribution].append(entry("snt." + ".".join(parts), obj, kind, target))
    for entries in out.values():
        entries.sort(key=lambda e: e.qualname)
    return out


def collect() -> dict[str, list[Entry]]:
    """Every documented name, by distribution (core first)."""
    return {CORE: core_entries(), **plugin_entries()}


_GENERATED = "<!-- Generated by docs/gen_api.py from the live objects; do not edit. -->"


def _page_name(dist: str, e: Entry) -> str:
    return f"{dist}/{e.qualname}.md"


def _render_page(dist: str, entries: list[Entry]) -> str:
    lines = [f"# {dist}", "", _GENERATED, ""]
    for e in entries:
        lines += [f"### {e.qualname}", "", f"*{e.kind}*", ""]
        if e.signature:
            lines += ["```python", f"{e.qualname}{e.signature}", "```", ""]
        if e.summary:
            lines += [e.summary, ""]
        lines += [f"[Reference]({_page_name(dist, e)})", ""]
    return "\n".join(lines).rstrip() + "\n"


def _render_entry(dist: str, e: Entry, canonical: tuple[str, Entry]) -> str:
    """One name's page: its signature, then mkdocstrings renders the rest.

    An object exported under several names (``snt.Error``, ``snt.errors.Error``) is
    rendered on its ``canonical`` name's page only (one anchor per object); the
    others link there.
    """
    lines = [f"# {e.qualname}", "", _GENERATED, ""]
    where = f", defined as `{e.target}`" if e.target else ""
    lines += [f"*{e.kind}* from [{dist}](../{dist}.md){where}", ""]
    if e.signature:
        lines += ["```python", f"{e.qualname}{e.signature}", "```", ""]
    if canonical[1] is not e:
        link = f"../{_page_name(*canonical)}"
        lines += [e.summary, ""] if e.summary else []
        lines += [f"The same object as [{canonical[1].qualname}]({link}).", ""]
        return "\n".join(lines).rstrip() + "\n"
    if not e.target:  # not ours: mkdocstrings only reads first-party sources
        lines += [e.summary, ""] if e.summary else []
        return "\n".join(lines).rstrip() + "\n"
    # Submodules' members have pages of their own: a module page shows its docstring.
    members = ["      members: false"] if e.kind == "module" else []
    lines += [
        f"::: {e.target}",
        "    options:",
        "      show_root_heading: false",
        "      heading_level: 2",
        *members,
    ]
    return "\n".join(lines).rstrip() + "\n"


def _render_index(pages: dict[str, list[Entry]]) -> str:
    lines = [
        "# API reference",
        "",
        "<!-- Generated by docs/gen_api.py from the live objects; do not edit. -->",
        "",
        "Every public name of `snt` (`import sonnet as snt`) with its signature and the",
        "first line of its docstring, grouped by the distribution that provides it;",
        "each links to a page with its full documentation (rendered by mkdocstrings).",
        "Regenerate with `python docs/gen_api.py`; `nox -s docs` checks it is current.",
        "",
        "| page | names |",
        "|---|---|",
    ]
    for dist, entries in pages.items():
        lines.append(f"| [{dist}]({dist}.md) | {len(entries)} |")
    return "\n".join(lines) + "\n"


def render(pages: dict[str, list[Entry]]) -> dict[str, str]:
    """File name (relative to docs/api/) -> Markdown text."""
    files = {"index.md": _render_index(pages)}
    # target -> (distribution, the shortest name it is exported as)
    canonical: dict[str, tuple[str, Entry]] = {}
    for dist, entries in pages.items():
        for e in sorted(entries, key=lambda e: (e.qualname.count("."), e.qualname)):
            canonical.setdefault(e.target or e.qualname, (dist, e))
    for dist, entries in pages.items():
        files[f"{dist}.md"] = _render_page(dist, entries)
        for e in entries:
            files[_page_name(dist, e)] = _render_entry(dist, e, canonical[e.target or e.qualname])
    return files


def undocumented(pages: dict[str, list[Entry]]) -> list[str]:
    """Names (not constants) without a docstring."""
    return [
        e.qualname
        for entries in pages.values()
        for e in entries
        if e.kind != "constant" and not e.summary
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    pages = collect()
    files = render(pages)
    problems = [f"{name}: no docstring" for name in undocumented(pages)]
    if args.check:
        for name, text in files.items():
            path = API_DIR / name
            if not path.exists() or path.read_text() != text:
                problems.append(f"{path} is out of date: run python docs/gen_api.py")
        existing = {p.relative_to(API_DIR).as_posix() for p in API_DIR.rglob("*.md")}
        stale = existing - set(files)
        problems += [f"{API_DIR / name} is not generated any more" for name in sorted(stale)]
    else:
        for path in API_DIR.rglob("*.md"):  # names that went away lose their page
            if path.relative_to(API_DIR).as_posix() not in files:
                path.unlink()
        for name, text in files.items():
            (API_DIR / name).parent.mkdir(parents=True, exist_ok=True)
            (API_DIR / name).write_text(text)
        print(f"wrote {len(files)} pages to {API_DIR}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
