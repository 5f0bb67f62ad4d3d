"""MkDocs hooks: pages take their text from where it already lives, so nothing is said twice.

Two directives, HTML comments in a page's Markdown (invisible on GitHub and to
``tests/test_docs.py``, which runs the blocks of README.md and docs/*.md where they are
written):

- ``<!-- include: README.md "## Run many seeds, sweep parameters" -->`` puts that section of
  the file (path from the repository root) here: the lines after the heading up to the next
  heading of the same or a higher level. ``<!-- include: README.md "# spikey" "## Replicate
  the paper" -->`` ends before the second heading instead. The heading itself is left out:
  the page has its own.
- ``<!-- docstring: spikey.runner.process -->`` puts that module's docstring here (reST
  roles as code), with a link to its page in the API reference.
- ``<!-- run: spikey list -->`` runs the command while the site is built (in a scratch folder,
  ``spikey`` running this tree) and puts what it printed here, as a console block. A command
  that fails stops the build. ``SPIKEY_DOCS_SKIP_RUNS=1`` (a fast preview) shows a note instead.

A directive whose file, heading or module is missing stops the build with an error naming it.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_gallery import skip_runs  # noqa: E402
from gen_ref import REPO, page_path  # noqa: E402
from gen_run import run_command  # noqa: E402
from gen_text import markdown  # noqa: E402

INCLUDE = re.compile(r'<!--\s*include:\s*(\S+)\s+"([^"]+)"(?:\s+"([^"]+)")?\s*-->')
RUN = re.compile(r"<!--\s*run:\s*(.+?)\s*-->")
DOCSTRING = re.compile(r"<!--\s*docstring:\s*([\w.]+)\s*-->")
HEADING = re.compile(r"^(#{1,6})\s")
FENCE = re.compile(r"^\s*(```|~~~)")


class DirectiveError(ValueError):
    """A directive names a file, heading or module that is not there."""


def section(path: Path, start: str, end: str | None = None) -> str:
    """The lines of ``path`` after the heading line ``start``, up to ``end`` (a heading line)
    or, without it, the next heading of the same or a higher level (fenced code skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        first = [line.rstrip() for line in lines].index(start)
    except ValueError:
        raise DirectiveError(
            f"include: {path.name} has no line {start!r}; its headings: "
            + ", ".join(repr(h) for h in headings(lines))
        ) from None
    level = len(HEADING.match(start).group(1)) if HEADING.match(start) else 6
    out, fenced = [], False
    for line in lines[first + 1 :]:
        if FENCE.match(line):
            fenced = not fenced
        if not fenced:
            if end is not None and line.rstrip() == end:
                break
            found = HEADING.match(line)
            if end is None and found and len(found.group(1)) <= level:
                break
        out.append(line)
    else:
        if end is not None:
            raise DirectiveError(f"include: {path.name} has no line {end!r} after {start!r}")
    return "\n".join(out).strip("\n") + "\n"


def headings(lines: list[str]) -> list[str]:
    """The heading lines of a Markdown file, outside fenced code."""
    out, fenced = [], False
    for line in lines:
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and HEADING.match(line):
            out.append(line.rstrip())
    return out


def module_docstring(module: str) -> str:
    """The docstring of ``spikey.x.y`` read from its source (not imported), roles as code."""
    base = REPO.joinpath(*module.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    if not path.exists():
        raise DirectiveError(f"docstring: no module {module!r} (looked for {path})")
    return markdown(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))))


def expand(markdown: str, page_src: str) -> str:
    """``markdown`` with every directive replaced (``page_src``: the page's path in docs/,
    for relative links)."""

    def include(match):
        file, start, end = match.groups()
        path = REPO / file
        if not path.exists():
            raise DirectiveError(f"{page_src}: include: no file {file!r} in the repository")
        try:
            return section(path, start, end)
        except DirectiveError as err:
            raise DirectiveError(f"{page_src}: {err}") from None

    def docstring(match):
        module = match.group(1)
        try:
            text = module_docstring(module)
        except DirectiveError as err:
            raise DirectiveError(f"{page_src}: {err}") from None
        depth = page_src.count("/")
        link = "../" * depth + page_path(module)
        return f"{text}\n\n*From the docstring of [`{module}`]({link}).*\n"

    def run(match):
        command = match.group(1)
        if skip_runs():
            return f"```console\n$ {command}\n(not run in this preview: SPIKEY_DOCS_SKIP_RUNS=1)\n```\n"
        return f"```console\n$ {command}\n{run_command(command).rstrip()}\n```\n"

    markdown = INCLUDE.sub(include, markdown)
    return RUN.sub(run, DOCSTRING.sub(docstring, markdown))


def on_page_markdown(markdown, page, config, files, **kwargs):
    """MkDocs hook: expand the directives of every page, written or generated."""
    return expand(markdown, page.file.src_uri)


def on_nav(nav, config, files, **kwargs):
    """MkDocs hook: the navigation files (``SUMMARY.md``, read by literate-nav before this)
    are not pages of the site."""
    from mkdocs.structure.files import InclusionLevel

    for file in files:
        if file.src_uri == "SUMMARY.md" or file.src_uri.endswith("/SUMMARY.md"):
            file.inclusion = InclusionLevel.EXCLUDED
    return nav
