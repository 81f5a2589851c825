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
"""

from __future__ import annotations

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


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    return _rewrite(markdown, page.file.src_uri)


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
