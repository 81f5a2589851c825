"""mkdocs hooks (``hooks:`` in mkdocs.yml): pages from outside docs/, links, the API nav.

Why a hook: the README, the package READMEs, the demo's README and the benchmark
results live next to the code they describe, not under docs/, and link to each
other with repository-relative paths (``docs/plugins.md``, ``packages/snt-core``,
``examples/snt-plugin-example``). Copying them into docs/ would leave two copies
to keep in sync, and relaxing ``mkdocs build --strict``'s link validation would
hide real broken links in docs/ too. So the hook publishes those files as
generated pages (README.md becomes the home page) and rewrites every relative
link of every page from "where the target lives in the repository" to "where it
is in the site". A link to something the site does not publish (a directory of
examples, a source file) keeps its text and loses its target, because the site
has no repository URL to point at; everything else is still validated strictly.

The "API reference" nav entry is expanded from docs/api/ (written by
docs/gen_api.py), so every per-name page is in the nav without listing ~190
pages in mkdocs.yml; gen_api.py's ``--check`` guarantees docs/api/ is current.

The docstrings use Sphinx roles (``:class:`snt.LSTM```, ``:meth:`transpose```),
which neither Markdown nor mkdocstrings understands: the griffe extension
:class:`SphinxRoles` and ``on_page_markdown`` turn each into inline code linked to
the object's page where mkdocstrings rendered it, and ``on_post_page`` reports any
role left raw in a built page as a warning (``mkdocs build --strict`` fails on it).
"""

from __future__ import annotations

import functools
import html
import logging
import pathlib
import posixpath
import re
from typing import Any

import griffe
from mkdocs.structure.files import File, Files

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = "docs"
API_NAV_TITLE = "API reference"

#: Markdown files outside docs/ the site publishes: repository path -> site path.
EXTRA_PAGES = {
    "README.md": "index.md",
    "packages/snt-core/README.md": "packages/snt-core.md",
    "packages/snt-nets/README.md": "packages/snt-nets.md",
    "packages/snt-rnn/README.md": "packages/snt-rnn.md",
    "packages/snt-transpose/README.md": "packages/snt-transpose.md",
    "examples/README.md": "examples.md",
    "benchmarks/RESULTS.md": "benchmarks.md",
}
_SOURCE_OF = {site: repo for repo, site in EXTRA_PAGES.items()}
#: [text](target) outside inline code; targets with a scheme or only a fragment are skipped.
_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(([^)\s]+)\)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_EXAMPLE = re.compile(r"^(\s*)Example:$", re.M)
#: A Sphinx cross-reference role: ``:class:`snt.LSTM```, ``:func:`~a.b```, ``:meth:`t <a.b>```.
SPHINX_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|data|exc|obj|const):`([^`]+)`")
#: What a role left raw looks like in HTML: Markdown made its backquotes ``<code>``.
RAW_ROLE_HTML = re.compile(
    r":(?:py:)?(?:func|class|meth|attr|mod|data|exc|obj|const):(?:`|<code>)[^<`]*"
)
_log = logging.getLogger(f"mkdocs.hooks.{__name__}")


def _site_path(repo_path: str) -> str | None:
    """Where a repository file or directory is published, if it is."""
    for candidate in (repo_path, posixpath.join(repo_path, "README.md")):
        if candidate in EXTRA_PAGES:
            return EXTRA_PAGES[candidate]
        if candidate.startswith(DOCS + "/") and (ROOT / candidate).is_file():
            return candidate[len(DOCS) + 1 :]
    return None


def _rewrite(markdown: str, page_uri: str) -> str:
    source = _SOURCE_OF.get(page_uri, f"{DOCS}/{page_uri}")

    def repl(match: re.Match[str]) -> str:
        text, target = match.groups()
        if target.startswith("#") or _SCHEME.match(target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        site = _site_path(resolved)
        if site is None:  # not in the site: keep the words, drop the link
            return text
        new = posixpath.relpath(site, posixpath.dirname(page_uri) or ".")
        return f"[{text}]({new}{'#' + fragment if fragment else ''})"

    # Leave fenced code blocks alone.
    parts = re.split(r"(^```.*?^```)", markdown, flags=re.M | re.S)
    return "".join(p if p.startswith("```") else _LINK.sub(repl, p) for p in parts)


def _api_nav(docs_dir: pathlib.Path) -> list[Any]:
    """Overview, then per distribution its overview page and one entry per name."""
    api = docs_dir / "api"
    index = (api / "index.md").read_text()
    nav: list[Any] = [{"Overview": "api/index.md"}]
    for dist in re.findall(r"^\| \[([^\]]+)\]\(\1\.md\) \|", index, flags=re.M):
        names = re.findall(r"^### (snt\.[\w.]+)$", (api / f"{dist}.md").read_text(), flags=re.M)
        entries = [{name: f"api/{dist}/{name}.md"} for name in names]
        nav.append({dist: [{"Overview": f"api/{dist}.md"}, *entries]})
    return nav


def on_config(config: Any) -> Any:
    for i, item in enumerate(config.nav or []):
        if isinstance(item, dict) and API_NAV_TITLE in item:
            config.nav[i] = {API_NAV_TITLE: _api_nav(pathlib.Path(config.docs_dir))}
    return config


def on_files(files: Files, config: Any) -> Files:
    for repo_path, site_path in EXTRA_PAGES.items():
        files.append(File.generated(config, site_path, abs_src_path=str(ROOT / repo_path)))
    return files


@functools.lru_cache(maxsize=1)
def public_targets() -> dict[str, str]:
    """``snt.Linear`` -> ``snt_nets.linear.Linear``: every public name's defining path.

    Read from the per-name pages gen_api.py writes ("defined as `...`"), so the
    hook needs no TensorFlow import.
    """
    table = {}
    for page in (ROOT / DOCS / "api").glob("*/snt.*.md"):
        found = re.search(r", defined as `([\w.]+)`", page.read_text())
        if found:
            table[page.stem] = found.group(1)
    return table


def _through_public_names(path: str) -> str | None:
    """``sonnet.plugins.register`` or ``snt.LSTM.initial_state`` -> the defining path."""
    parts = path.split(".")
    if parts[0] not in ("snt", "sonnet"):
        return None
    parts[0] = "snt"
    table = public_targets()
    for i in range(len(parts), 1, -1):  # the longest public prefix, then its members
        prefix = ".".join(parts[:i])
        if prefix in table:
            return ".".join([table[prefix], *parts[i:]])
    return None


def _role_candidates(target: str, scopes: list[tuple[str, set[str] | None]]) -> list[str]:
    """Paths mkdocstrings may have rendered ``target`` under, most likely first.

    ``scopes``: the docstring's enclosing objects, innermost first, as (path, the
    names of its members, or None when unknown).
    """
    first = target.split(".")[0]
    absolute = first in ("snt", "sonnet", "tf", "np") or first.startswith("snt_")
    raw = [
        f"{path}.{target}"
        for path, names in scopes
        if not absolute and (names is None or first in names)
    ]
    raw += [target if absolute else f"snt.{target}", target]
    mapped = [_through_public_names(path) for path in raw]
    candidates = [path for path in mapped if path]
    candidates += [path for path in raw if not path.startswith("snt.")]
    return list(dict.fromkeys(candidates))


def sphinx_roles_to_autorefs(text: str, scopes: list[tuple[str, set[str] | None]]) -> str:
    """Replaces Sphinx roles by inline code, linked where mkdocstrings rendered the object.

    ``scopes`` are where a relative name may live (see ``_role_candidates``). The
    links are mkdocs-autorefs' *optional* references: a candidate path that no page
    renders (a private helper, a TensorFlow name) leaves plain inline code instead of
    failing the build.
    """

    def repl(match: re.Match[str]) -> str:
        content = match.group(1).strip()
        explicit = re.fullmatch(r"(.+?)\s*<([^>]+)>", content)
        title, target = (explicit.group(1), explicit.group(2)) if explicit else (None, content)
        short = target.startswith("~")
        target = target.lstrip("~.!").removesuffix("()")
        if title is None:
            title = target.rsplit(".", 1)[-1] if short else target
        candidates = _role_candidates(target, scopes)
        attrs = f'identifier="{html.escape(candidates[0])}"'
        if len(candidates) > 1:  # autorefs tries the slug when the identifier is unknown
            attrs += f' slug="{html.escape(candidates[1])}"'
        return f"<autoref {attrs} optional><code>{html.escape(title)}</code></autoref>"

    return SPHINX_ROLE.sub(repl, text)


def _markdown_roles(markdown: str) -> str:
    """Roles in Markdown pages: the docstring summaries gen_api.py copies under ``### snt.X``.

    A relative name is looked up next to the section's object (``snt.plugins.register``
    for ``:func:`register``` under ``### snt.plugins.unregister``).
    """
    out, scopes = [], []
    for part in re.split(r"(^```.*?^```|^### snt\.[\w.]+$)", markdown, flags=re.M | re.S):
        if part.startswith("### snt."):
            public = part[len("### ") :]
            scopes = [(public.rsplit(".", 1)[0], None)]
            defined = _through_public_names(public)
            if defined:
                scopes.append((defined.rsplit(".", 1)[0], None))
        if not part.startswith(("```", "### ")):
            part = sphinx_roles_to_autorefs(part, scopes)
        out.append(part)
    return "".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    return _rewrite(_markdown_roles(markdown), page.file.src_uri)


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Reports Sphinx roles that reached a built page (a warning: ``--strict`` fails)."""
    for match in RAW_ROLE_HTML.finditer(output):
        _log.warning("raw Sphinx role %r in %s", match.group(0), page.file.src_uri)
    return output


class SphinxRoles(griffe.Extension):
    """Turns Sphinx roles in docstrings into linked inline code (griffe extension).

    Runs once a package is loaded, so a relative name (``:meth:`transpose``` in a
    class's docstring) is looked up among the members of the enclosing class, then
    of its module and packages; ``snt.`` names through the public-name table.
    Registered in mkdocs.yml's handler options.
    """

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        stack: list[griffe.Object] = [pkg]
        while stack:
            obj = stack.pop()
            stack += [m for m in obj.members.values() if not m.is_alias]
            if obj.docstring is None or not SPHINX_ROLE.search(obj.docstring.value):
                continue
            scopes: list[tuple[str, set[str] | None]] = []
            scope = obj if obj.is_class or obj.is_module else obj.parent
            while scope is not None:
                scopes.append((scope.path, set(scope.members)))
                scope = scope.parent
            obj.docstring.value = sphinx_roles_to_autorefs(obj.docstring.value, scopes)


class DoctestExamples(griffe.Extension):
    """Reads Sonnet's ``Example:`` sections as Google-style ``Examples:`` (griffe extension).

    The docstrings write doctests under ``Example:``, which griffe's Google parser
    takes for an admonition of plain Markdown: ``>>> [v.name for v in ...]`` then
    reads as a link reference and fails ``--strict``. Under ``Examples:`` the
    ``>>>`` blocks become highlighted code. Registered in mkdocs.yml's handler options.
    """

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _EXAMPLE.sub(r"\1Examples:", obj.docstring.value)
