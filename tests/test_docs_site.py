"""The documentation site (issue 22): its generators, directives and, in CI, the built site.

The site is built by ``mkdocs build --strict`` in ``.ci/run`` (not here: it runs every example).
These tests check the parts that decide what the site contains, quickly:

- every public module of spikey, found by importing the package (pkgutil), has a page in
  the generated API reference, and a module added later gets one;
- a new page in docs/ enters the navigation by itself;
- every ``include``/``docstring`` directive in docs/*.md finds its file, heading and module;
- Sphinx roles in docstrings become cross-references only where the target is shown;
- with ``SPIKEY_DOCS_SITE=DIR`` (set by .ci/run after the build) the built site has a page
  for every public module and every example, with its figures or its output.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import re
import sys
from pathlib import Path

import pytest

import spikey

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
sys.path.insert(0, str(DOCS))

import gen_bench  # noqa: E402
import gen_gallery  # noqa: E402
import gen_nav  # noqa: E402
import gen_ref  # noqa: E402
import gen_text  # noqa: E402


def _hooks():
    spec = importlib.util.spec_from_file_location("spikey_docs_hooks", DOCS / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def imported_public_modules() -> set[str]:
    """Public modules of spikey as Python's import system sees them (packages imported)."""
    found = {"spikey"}

    def skip(name):  # a package that cannot be imported here still has its modules on disk
        pass

    for info in pkgutil.walk_packages(spikey.__path__, "spikey.", onerror=skip):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found.add(info.name)
    return found


def test_every_public_module_has_a_reference_page():
    pages = gen_ref.reference_pages()
    missing = [m for m in sorted(imported_public_modules()) if gen_ref.page_path(m) not in pages]
    assert not missing, f"public modules without an API reference page: {missing}"
    for module in imported_public_modules():
        assert pages[gen_ref.page_path(module)].strip() == f"::: {module}"
    summary = pages["reference/SUMMARY.md"]
    assert "* [spikey.engine.network](spikey/engine/network/index.md)" in summary
    assert "spikey.snn._util" not in summary and "_util" not in "".join(pages)


def test_a_module_added_later_gets_a_page(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "scripts").mkdir()
    for rel in ["__init__.py", "a.py", "_private.py", "sub/__init__.py", "sub/new.py"]:
        (pkg / rel).write_text('"""Doc."""\n')
    (pkg / "scripts" / "tool.py").write_text("")  # a folder without __init__: not a package
    assert gen_ref.public_modules(pkg) == ["pkg", "pkg.a", "pkg.sub", "pkg.sub.new"]
    nav = gen_ref.reference_pages(pkg)["reference/SUMMARY.md"].splitlines()
    assert nav == [
        "* [pkg](pkg/index.md)",
        "    * [pkg.a](pkg/a/index.md)",
        "    * [pkg.sub](pkg/sub/index.md)",
        "        * [pkg.sub.new](pkg/sub/new/index.md)",
    ]


def test_a_new_page_enters_the_navigation(tmp_path):
    for name, title in [("index.md", "Start"), ("scale.md", "Scale"), ("rl.md", "RL agents")]:
        (tmp_path / name).write_text(f"# {title}\n\ntext\n")
    (tmp_path / "architecture.md").write_text("```\n# not a title\n```\n# Layers\n")
    nav = gen_nav.summary([("Izhikevich (2007)", "replication/izhikevich2007.md")], tmp_path)
    lines = nav.splitlines()
    assert "* [RL agents](rl.md)" in lines
    assert lines.index("* [Running at scale](scale.md)") < lines.index("* [RL agents](rl.md)")
    assert lines.index("* [RL agents](rl.md)") < lines.index("* [Architecture](architecture.md)")
    assert "    * [Izhikevich (2007)](replication/izhikevich2007.md)" in lines
    assert "* [For Spikey users](migration.md)" not in lines  # no such file here
    assert gen_nav.title_of(tmp_path / "architecture.md") == "Layers"


def test_the_real_navigation_names_every_page():
    nav = gen_nav.summary([])
    for path in DOCS.glob("*.md"):
        assert f"({path.name})" in nav, f"docs/{path.name} is not in the navigation"
    for part in ["(reference/)", "(gallery/)", "(benchmarks.md)"]:
        assert part in nav


def test_every_directive_in_the_pages_resolves(monkeypatch):
    monkeypatch.setenv("SPIKEY_DOCS_SKIP_RUNS", "1")
    hooks = _hooks()
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        out = hooks.expand(text, path.name)
        assert "<!-- include:" not in out and "<!-- docstring:" not in out, path.name
    index = hooks.expand((DOCS / "index.md").read_text(), "index.md")
    assert "spikey replicate izhikevich2007 --quick --out replication" in index  # the README's


LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def test_links_in_the_pages_stay_inside_the_site():
    """A relative link in docs/*.md must name a page or file of the site (mkdocs --strict fails
    on anything else, e.g. ``../README.md``, which works on GitHub but is not in the site)."""
    generated = ("reference/", "replication/", "gallery/", "benchmarks.md")
    bad = []
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:|#", target):
                continue  # an address or an anchor on the page
            file = target.split("#")[0]
            if not (file.startswith(generated) or (DOCS / file).exists()):
                bad.append(f"docs/{path.name}: ({target})")
    assert not bad, (
        "links the site cannot resolve (link to a page in docs/, or to the API reference as "
        f"reference/spikey/<module path>/index.md): {bad}"
    )


def test_include_takes_a_section_and_names_what_is_missing(tmp_path):
    hooks = _hooks()
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# T\n\nintro\n\n## A\n\na text\n\n```bash\n# a comment, not a heading\n```\n"
        "### A.1\n\ndeeper\n\n## B\n\nb text\n"
    )
    a = hooks.section(doc, "## A")
    assert "a text" in a and "# a comment" in a and "deeper" in a and "b text" not in a
    assert hooks.section(doc, "# T", "## B").strip().startswith("intro")
    with pytest.raises(hooks.DirectiveError, match=r"no line '## C'.*'## A', '### A.1', '## B'"):
        hooks.section(doc, "## C")
    with pytest.raises(hooks.DirectiveError, match="no module 'spikey.nope'"):
        hooks.module_docstring("spikey.nope")
    text = hooks.module_docstring("spikey.runner.process")
    assert text.startswith("The ``process`` backend") and ":mod:" not in text


def test_roles_become_links_only_to_shown_objects(tmp_path):
    griffe = pytest.importorskip("griffe")
    pkg = tmp_path / "rolepkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        '"""Package.\n\nParameters\n----------\nValues come from here.\n"""\n'
    )
    (pkg / "mod.py").write_text(
        '"""See :func:`run`, :class:`~rolepkg.mod.Thing`, :data:`TABLE`, :func:`gone`.\n\n'
        'Run: mod.py [minutes] [out.png]\n"""\n'
        "TABLE = {}\n"
        'def run():\n    """Run."""\n'
        'class Thing:\n    """A thing."""\n'
    )
    spec = importlib.util.spec_from_file_location("roles", DOCS / "griffe_roles.py")
    roles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(roles)
    loaded = griffe.load(
        "rolepkg",
        search_paths=[str(tmp_path)],
        extensions=griffe.load_extensions(roles.SphinxRoles),
    )
    doc = loaded["mod"].docstring.value
    assert "[`run`][rolepkg.mod.run]" in doc
    assert "[`Thing`][rolepkg.mod.Thing]" in doc
    assert "`TABLE`" in doc and "[`TABLE`]" not in doc  # no docstring: not rendered, no link
    assert "`gone`" in doc and "[`gone`]" not in doc
    assert ":func:" not in doc
    assert "[minutes] \\[out.png]" in doc  # not a reference link to "out.png"
    assert "**Parameters**\n\nValues come" in loaded.docstring.value  # a module's: prose


def test_docstring_text_keeps_code_and_escapes_brackets():
    text = gen_text.markdown(
        "Run: python x.py [minutes] [out.png]\n\n    python x.py [--n N]\n\nSee :mod:`a.b`::\n\n"
        "    code\n"
    )
    assert "\\[out.png\\]" in text and "    python x.py [--n N]" in text
    assert "`a.b`:\n" in text and "::" not in text
    assert gen_text.escape_brackets("`[x]` and [y]") == "`[x]` and \\[y\\]"


def test_benchmark_numbers_are_gathered_from_the_pages(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "bench_x.py").write_text(
        '"""Times x.\n\n    python benchmarks/bench_x.py\n"""\n'
    )
    (tmp_path / "README.md").write_text("Fast (`benchmarks/bench_x.py`): 3x.\n")
    (tmp_path / "docs" / "speed.md").write_text(
        "Speed (`python benchmarks/bench_x.py`):\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "(a note)\n\nUnrelated:\n\n| c |\n|---|\n| 3 |\n"
    )
    page = gen_bench.benchmarks_page(tmp_path)
    assert "## `bench_x.py`" in page and "**Times x.**" in page
    assert "| 1 | 2 |" in page and "> (a note)" in page and "| 3 |" not in page
    assert "From [speed](speed.md):" in page and "Quoted in the README:" in page


def test_every_example_runs_short_in_the_gallery():
    long = [
        p.name
        for p in gen_gallery.scripts()
        if p.name not in gen_gallery.SHORT_AS_IS and "SPIKEY_EXAMPLE_SHORT" not in p.read_text()
    ]
    assert not long, (
        f"examples without the short-length switch: {long}. The docs build runs every example "
        "with SPIKEY_EXAMPLE_SHORT=1; make the script read it (a few seconds' run), or, if it "
        "is that short already, add it to SHORT_AS_IS in docs/gen_gallery.py"
    )
    assert gen_gallery.SHORT_AS_IS <= {p.name for p in gen_gallery.scripts()}


def test_an_example_that_fails_stops_the_build(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(
        "import os, matplotlib.pyplot as plt\n"
        "print('short' if os.environ['SPIKEY_EXAMPLE_SHORT'] == '1' else 'long')\n"
        "plt.plot([0, 1]); plt.savefig('a.png')\n"
    )
    run = gen_gallery.run_example(good, [], dict(os.environ))
    assert run.stdout == "short\n" and list(run.figures) == ["a.png"]
    assert run.figures["a.png"].startswith(b"\x89PNG")
    bad = tmp_path / "bad.py"
    bad.write_text("print('partial'); raise SystemExit(3)\n")
    with pytest.raises(RuntimeError, match=r"(?s)bad\.py` exited 3.*partial"):
        gen_gallery.run_example(bad, [], dict(os.environ))


def test_the_gallery_knows_every_example():
    scripts = {p.name for p in gen_gallery.scripts()}
    assert scripts, "no examples found"
    assert set(gen_gallery.ARGS) <= scripts, "gallery ARGS name a script that is gone"
    for path in gen_gallery.scripts():
        title, _ = gen_gallery.title_and_text(path)
        assert title and title != path.stem, f"{path.name} has no docstring title"


SITE = os.environ.get("SPIKEY_DOCS_SITE")


@pytest.mark.skipif(not SITE, reason="SPIKEY_DOCS_SITE is not set (set by .ci/run after the build)")
def test_the_built_site_has_every_module_and_example():
    site = Path(SITE)
    for module in sorted(imported_public_modules()):
        page = site / gen_ref.page_path(module).replace("index.md", "index.html")
        assert page.exists(), f"no reference page for {module} in the built site"
        assert f'id="{module}"' in page.read_text(encoding="utf-8"), f"{module}: no heading"
    for path in gen_gallery.scripts():
        page = site / "gallery" / path.stem / "index.html"
        assert page.exists(), f"no gallery page for {path.name}"
        html = page.read_text(encoding="utf-8")
        figures = re.findall(r'<img [^>]*src="([^"]+\.png)"', html)
        for src in figures:
            assert (page.parent / src).exists(), f"{path.name}: figure {src} missing"
        assert figures or "<pre" in html, f"{path.name}: neither a figure nor output"
    for paper in importlib.import_module("spikey.experiments.papers").PAPERS:
        assert (site / "replication" / paper / "index.html").exists()
