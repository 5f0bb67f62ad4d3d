"""The benchmarks page, written at build time from ``benchmarks/*.py`` and the pages' tables.

Per script: its docstring (what it measures, the command, what it prints). Then what the
project has measured with it: every Markdown table in README.md and docs/*.md whose
paragraph above (or whose own text) names the script, shown with that paragraph and a link to
the page it comes from, and every other paragraph that quotes the script. The numbers stay
where their authors keep them; this page only gathers them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from gen_ref import REPO
from gen_text import split_title


def blocks(text: str) -> list[str]:
    """A Markdown file's blocks: paragraphs and tables separated by blank lines; fenced code
    is dropped."""
    out, cur, fenced = [], [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.lstrip().startswith("<!--"):
            continue
        if not line.strip():
            if cur:
                out.append("\n".join(cur))
            cur = []
        else:
            cur.append(line)
    if cur:
        out.append("\n".join(cur))
    return out


def is_table(block: str) -> bool:
    """Whether the block is a Markdown table (every line starts with ``|``), possibly with a
    lead-in paragraph directly above it in the same block."""
    lines = block.splitlines()
    return (
        len(lines) >= 2
        and lines[-1].lstrip().startswith("|")
        and any(re.match(r"\s*\|[-: |]+\|\s*$", line) for line in lines)
    )


def split_table(block: str) -> tuple[str, str]:
    """(lead-in text, table) of a table block."""
    lines = block.splitlines()
    first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("|"))
    return "\n".join(lines[:first]), "\n".join(lines[first:])


def sources(repo: Path = REPO) -> list[tuple[str, str]]:
    """(label, path from the repo) of the pages whose numbers are gathered."""
    return [("README", "README.md")] + [
        (p.stem, f"docs/{p.name}") for p in sorted((repo / "docs").glob("*.md"))
    ]


def measured(script: str, repo: Path = REPO) -> list[str]:
    """Markdown lines: the tables and paragraphs of the pages that name ``benchmarks/SCRIPT``."""
    key = f"benchmarks/{script}"
    out = []
    for label, rel in sources(repo):
        bl = blocks((repo / rel).read_text(encoding="utf-8"))
        link = "the README" if rel == "README.md" else f"[{label}]({Path(rel).name})"
        for i, block in enumerate(bl):
            if is_table(block):
                lead, table = split_table(block)
                above = lead or (bl[i - 1] if i and not is_table(bl[i - 1]) else "")
                if key in above or key in table:
                    after = bl[i + 1] if i + 1 < len(bl) and bl[i + 1].startswith("(") else ""
                    out += [f"From {link}:", "", _quote(above), "", table, ""]
                    out += [_quote(after), ""] if after else []
            elif key in block and not (i + 1 < len(bl) and is_table(bl[i + 1])):
                for item in items(block):
                    if key in item:
                        out += [f"Quoted in {link}:", "", _quote(item), ""]
    return out


def items(block: str) -> list[str]:
    """A block split into its list items (a paragraph is one item)."""
    out = []
    for line in block.splitlines():
        if re.match(r"\s*([-*+]|\d+\.)\s", line) or not out:
            out.append(line)
        else:
            out[-1] += "\n" + line
    return out


def _quote(text: str) -> str:
    return "\n".join("> " + line.strip() for line in text.splitlines())


def script_doc(path: Path) -> tuple[str, str]:
    """A benchmark's docstring: (first line, the rest as Markdown)."""
    return split_title(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))))


def benchmarks_page(repo: Path = REPO) -> str:
    """The Markdown of ``benchmarks.md``."""
    scripts = sorted((repo / "benchmarks").glob("*.py"))
    out = [
        "# Benchmarks",
        "",
        "Each script in `benchmarks/` times spikey against a baseline run in the same process "
        "(ratios are steadier than absolute speeds on a shared machine) and prints medians. "
        "Below, per script: what it measures and how to run it (its docstring), then the numbers "
        "the project has published with it, gathered from the pages where they are kept. "
        "`spikey bench PRESET` prints the engine's real-time factor on your machine.",
        "",
    ]
    for path in scripts:
        first, rest = script_doc(path)
        out += [f"## `{path.name}`", "", f"**{first}**", "", rest, ""]
        found = measured(path.name, repo)
        out += ["### Published numbers", "", *found] if found else []
    return "\n".join(out) + "\n"
