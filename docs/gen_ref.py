"""The API reference: one page per public module of ``spikey``, found by walking the package.

A module is public when no part of its dotted name starts with ``_`` (``spikey/snn/_util.py``
is private; packages' ``__init__.py`` are the package's page). Each page holds one
mkdocstrings directive (``::: spikey.engine.network``), so a module added to ``spikey/``
appears in the reference at the next build without anyone editing the docs.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def public_modules(package_dir: Path | None = None) -> list[str]:
    """Dotted names of the public modules and packages under ``package_dir`` (sorted)."""
    package_dir = Path(package_dir or REPO / "spikey")
    root = package_dir.parent
    names = []
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not all((p / "__init__.py").exists() for p in _parents(root, rel)):
            continue  # a folder of scripts, not a package
        if any(p.startswith("_") for p in parts):
            continue
        names.append(".".join(parts))
    return sorted(set(names), key=lambda name: name.split("."))


def _parents(root: Path, rel: Path) -> list[Path]:
    return [root.joinpath(*rel.parts[:i]) for i in range(1, len(rel.parts))]


def page_path(module: str) -> str:
    """Where the module's page lives in the site's sources: ``reference/spikey/engine/network.md``;
    a package's page is its folder's ``index.md``."""
    parts = module.split(".")
    return "reference/" + "/".join(parts) + "/index.md"


def page_text(module: str) -> str:
    """The Markdown of one module's page."""
    return f"::: {module}\n"


def reference_pages(package_dir: Path | None = None) -> dict[str, str]:
    """``{page path: Markdown}`` for every public module, plus ``reference/SUMMARY.md``, the
    reference's navigation (a nested list, one entry per module)."""
    modules = public_modules(package_dir)
    pages = {page_path(m): page_text(m) for m in modules}
    lines = []
    for m in modules:
        depth = m.count(".")
        rel = page_path(m)[len("reference/") :]
        lines.append(f"{'    ' * depth}* [{m}]({rel})")
    pages["reference/SUMMARY.md"] = "\n".join(lines) + "\n"
    return pages
