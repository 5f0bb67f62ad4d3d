"""The gallery: every example script run at short length while the site is built.

Each ``examples/*.py`` runs in a scratch folder with ``SPIKEY_EXAMPLE_SHORT=1`` (the examples'
short-length switch) and ``MPLBACKEND=Agg``; the PNG files it writes become its figures, what
it prints its output, and its page shows both beside its source. Nothing is committed: the
figures are made from the code of the commit being built. An example that exits non-zero
stops the build with its output.

``ARGS`` gives the arguments of the scripts that need some to draw a figure (one list per
run); every other script runs once without arguments.
"""

from __future__ import annotations

import ast
import html
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gen_ref import REPO
from gen_text import split_title

EXAMPLES = REPO / "examples"

#: script -> the argument lists of its runs in the gallery
ARGS = {
    "florian2007_fig1.py": [["--plot", "florian2007_fig1.png"]],
    "izhikevich2007_fig3.py": [[], ["10", "fig3_rpe.png", "--rpe"]],
}
#: scripts that finish in a few seconds as they are, so need no short-length switch; every
#: other example reads SPIKEY_EXAMPLE_SHORT (tests/test_docs_site.py checks), or the docs
#: build would run it full length
SHORT_AS_IS = {"florian2007_fig1.py", "izhikevich_parts.py", "seed_classical.py", "seed_ordinal.py"}
TIMEOUT_S = 300
WORKERS = 2
CARD_LINES = 8


@dataclass
class Run:
    """One run of an example: its command line, output and figures."""

    command: str
    stdout: str
    stderr: str
    seconds: float
    figures: dict[str, bytes] = field(default_factory=dict)


def scripts(examples: Path = EXAMPLES) -> list[Path]:
    """The example scripts, sorted."""
    return sorted(examples.glob("*.py"))


def title_and_text(path: Path) -> tuple[str, str]:
    """A script's docstring: its first line and the rest."""
    first, rest = split_title(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))))
    return (first.rstrip(".") or path.stem), rest


def run_example(path: Path, args: list[str], env: dict) -> Run:
    """Run ``path`` short in a scratch folder; raise RuntimeError if it exits non-zero."""
    shown = " ".join(["SPIKEY_EXAMPLE_SHORT=1 python", f"examples/{path.name}", *args])
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, str(path), *args],
                cwd=tmp,
                env={**env, "SPIKEY_EXAMPLE_SHORT": "1", "MPLBACKEND": "Agg"},
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as err:
            raise RuntimeError(f"docs gallery: `{shown}` ran over {TIMEOUT_S} s") from err
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(
                f"docs gallery: `{shown}` exited {done.returncode}\n--- stdout\n"
                f"{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
            )
        figures = {p.name: p.read_bytes() for p in sorted(Path(tmp).rglob("*.png"))}
    return Run(shown, done.stdout, done.stderr, seconds, figures)


def example_page(path: Path, runs: list[Run] | None) -> dict[str, str | bytes]:
    """``{path: content}``: the example's page and its figures (``runs`` None: not run)."""
    stem = path.stem
    title, text = title_and_text(path)
    files: dict[str, str | bytes] = {}
    left = []
    if runs is None:
        left += ['!!! note "Not run in this build (SPIKEY_DOCS_SKIP_RUNS=1)"', ""]
    for run in runs or []:
        left += [f"`{run.command}` ({run.seconds:.1f} s while this site was built)", ""]
        for name, data in run.figures.items():
            files[f"gallery/{stem}/{name}"] = data
            left += [f"![{name}]({stem}/{name})", ""]
        if not run.figures:
            left += ["*This example draws no figure; what it prints is its result.*", ""]
        if run.stdout.strip():
            left += ["```text", run.stdout.rstrip(), "```", ""]
        if run.stderr.strip():
            left += [
                '??? warning "It also wrote to stderr"',
                "",
                *("    " + line for line in ["```text", *run.stderr.rstrip().splitlines(), "```"]),
                "",
            ]
    source = path.read_text(encoding="utf-8")
    page = [
        "---",
        "hide:",
        "  - toc",
        "---",
        "",
        f"# {html.escape(title)}",
        "",
        text,
        "",
        '<div class="spikey-gallery" markdown>',
        "<div markdown>",
        "",
        "## Output",
        "",
        *left,
        "</div>",
        "<div markdown>",
        "",
        f"## Source: `examples/{path.name}`",
        "",
        '```python linenums="1"',
        source.rstrip(),
        "```",
        "",
        "</div>",
        "</div>",
        "",
    ]
    files[f"gallery/{stem}.md"] = "\n".join(page)
    return files


def gallery_pages(env: dict, run: bool = True, examples: Path = EXAMPLES) -> dict:
    """Every example's page and figures, the gallery's index and its navigation."""
    files: dict[str, str | bytes] = {}
    cards, nav = [], ["* [Gallery](index.md)"]
    paths = scripts(examples)
    todo = [(p, args) for p in paths for args in ARGS.get(p.name, [[]])]
    done = {}
    if run:  # two at a time: the machine's cores (each run is single-threaded)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = [pool.submit(run_example, p, args, env) for p, args in todo]
            for (p, _), future in zip(todo, futures):
                done.setdefault(p, []).append(future.result())
    for path in paths:
        runs = done.get(path, []) if run else None
        files.update(example_page(path, runs))
        title, _ = title_and_text(path)
        figures = [name for r in runs or [] for name in r.figures]
        printed = "\n".join(r.stdout for r in runs or []).strip().splitlines()
        if figures:
            thumb = f"[![{figures[0]}]({path.stem}/{figures[0]})]({path.stem}.md)"
        elif printed:  # a script that prints its result: the end of what it printed
            thumb = "\n".join(["```text", *printed[-CARD_LINES:], "```"])
        else:
            thumb = "*(not run in this build)*"
        cards += [
            '<div class="spikey-card" markdown>',
            "",
            thumb,
            "",
            f"[**{path.name}**]({path.stem}.md): {html.escape(title)}",
            "",
            "</div>",
        ]
        nav.append(f"* [{path.stem}]({path.stem}.md)")
    index = [
        "# Gallery",
        "",
        "Every script in `examples/`, run at short length (`SPIKEY_EXAMPLE_SHORT=1`) while this "
        "site was built: the figures and output below come from the code you are reading about, "
        "not from stored images. Each page shows a script's output beside its source. Run one "
        "full length with `python examples/NAME.py` (its docstring gives the arguments).",
        "",
        '<div class="spikey-cards" markdown>',
        "",
        *cards,
        "",
        "</div>",
        "",
    ]
    files["gallery/index.md"] = "\n".join(index)
    files["gallery/SUMMARY.md"] = "\n".join(nav) + "\n"
    return files


def skip_runs() -> bool:
    """Whether the build skips running examples and commands (a fast preview)."""
    return os.environ.get("SPIKEY_DOCS_SKIP_RUNS") == "1"
