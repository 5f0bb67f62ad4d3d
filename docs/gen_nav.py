"""The site's navigation (``SUMMARY.md``, read by mkdocs-literate-nav), written at build time.

``ORDER`` places the pages. A Markdown page in docs/ that ORDER does not name is still listed,
after "Running at scale", under its first heading: adding a page is adding the file; adding
one line to ORDER places it elsewhere or gives it a shorter title.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent

#: (title, page or folder). "*" is where pages that ORDER does not name go; "replication/"
#: expands to one entry per paper page written by gen_papers.
ORDER = [
    ("Getting started", "index.md"),
    ("For Spikey users", "migration.md"),
    ("The engine", "engine-api.md"),
    ("Replicating the papers", "replication/"),
    ("Running at scale", "scale.md"),
    # ("RL agents", "rl.md"),  # docs/rl.md appears at "*" by itself; uncomment to name it here
    ("*", "*"),
    ("Architecture", "architecture.md"),
    ("Benchmarks", "benchmarks.md"),
    ("Gallery", "gallery/"),
    ("API reference", "reference/"),
]


def title_of(path: Path) -> str:
    """A page's first ``# `` heading (outside code), or its file name."""
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#\s", line):
            return re.sub(r"`", "", line[2:].strip())
    return path.stem


def summary(paper_pages: list[tuple[str, str]], docs: Path = DOCS) -> str:
    """The navigation as a literate-nav list. ``paper_pages``: (title, path) per paper."""
    named = {page for _, page in ORDER}
    lines = []
    for title, page in ORDER:
        if page == "*":
            for path in sorted(docs.glob("*.md")):
                if path.name not in named:
                    lines.append(f"* [{title_of(path)}]({path.name})")
        elif page == "replication/":
            lines.append(f"* {title}")
            lines.extend(f"    * [{t}]({p})" for t, p in paper_pages)
        elif page.endswith("/") or (docs / page).exists() or page in GENERATED:
            lines.append(f"* [{title}]({page})")
    return "\n".join(lines) + "\n"


#: pages that gen_pages writes at build time (not files in docs/)
GENERATED = {"benchmarks.md"}
