"""Every shell command and Python block in README.md and docs/*.md runs as written (issue 12.1).

Each fenced ``bash``/``sh``/``shell``/``console`` or ``python`` block is run in a scratch folder
(``tmp_path``): shell blocks line by line with ``bash -e`` (the ``spikey`` command is the tree's
own, ``python -m spikey.cli``), Python blocks as a script. A non-zero exit fails the test with
the file, the block's line and its output.

Markers: HTML comments on the lines just above a block (invisible on GitHub) say how to run it.

- ``<!-- docs-test: replace "OLD" "NEW" -->`` runs the block with ``OLD`` replaced by ``NEW``
  (shorten a long run: fewer seeds, ``--quick``; several may stack). The replacement must
  change the block, so a marker cannot silently outlive the text it edits.
- ``<!-- docs-test: skip (REASON) -->`` does not run the block; the reason is required (a
  cluster address, an install step, a fragment with ``...``).
- ``<!-- docs-test: slow -->`` marks the block's test ``slow`` (it still runs in CI).

Blocks run with ``$SPIKEY_REPO`` set to the repository root (for a replacement that needs a
path in the tree, e.g. the tests) and ``MPLBACKEND=Agg``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL = {"bash", "sh", "shell", "console"}
FENCE = re.compile(r"^(```+|~~~+)\s*([\w+-]*)")
MARKER = re.compile(r"<!--\s*docs-test:\s*(.*?)\s*-->")
REPLACE = re.compile(r'^replace\s+"((?:[^"\\]|\\.)*)"\s+"((?:[^"\\]|\\.)*)"$')
TIMEOUT_S = 240


@dataclass
class Block:
    """One fenced code block and the markers above it."""

    path: Path
    line: int  # 1-based line of the opening fence
    language: str
    code: str
    replacements: list[tuple[str, str]] = field(default_factory=list)
    skip: str | None = None
    slow: bool = False

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"

    def runnable_code(self) -> str:
        code = self.code
        for old, new in self.replacements:
            assert old in code, (
                f"{self.name}: docs-test marker replaces {old!r}, which the block no longer has"
            )
            code = code.replace(old, new)
        return code


def parse_marker(text: str, block: Block) -> None:
    text = text.strip()
    found = REPLACE.match(text)
    if found:
        old, new = (s.replace('\\"', '"') for s in found.groups())
        block.replacements.append((old, new))
    elif text.startswith("skip"):
        reason = text[4:].strip().strip("()").strip()
        assert reason, f"{block.name}: a docs-test skip needs a reason: skip (why)"
        block.skip = reason
    elif text == "slow":
        block.slow = True
    else:
        raise AssertionError(f"{block.name}: unknown docs-test marker {text!r}")


def blocks_of(path: Path) -> list[Block]:
    """The shell and Python blocks of one Markdown file, with their markers."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, i = [], 0
    while i < len(lines):
        opened = FENCE.match(lines[i].strip())
        if not opened:
            i += 1
            continue
        fence, language = opened.group(1), opened.group(2).lower()
        body, j = [], i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append(lines[j])
            j += 1
        block = Block(path, i + 1, language, "\n".join(body) + "\n")
        k = i - 1
        while k >= 0 and (MARKER.search(lines[k]) or not lines[k].strip()):
            for marker in MARKER.findall(lines[k]):
                parse_marker(marker, block)
            if not lines[k].strip() and k < i - 1:
                break  # markers sit directly above the fence (one blank line allowed)
            k -= 1
        if language in SHELL or language == "python":
            out.append(block)
        i = j + 1
    return out


BLOCKS = [b for path in DOCS for b in blocks_of(path)]


def shell_commands(code: str) -> list[str]:
    """Commands of a shell block: continuation lines joined, comments and prompts dropped."""
    joined = re.sub(r"\\\n\s*", " ", code)
    commands = []
    for line in joined.splitlines():
        line = line.strip()
        if line.startswith("$ "):
            line = line[2:]
        if not line or line.startswith("#"):
            continue
        commands.append(line)
    return commands


@pytest.fixture
def scratch(tmp_path):
    """A scratch folder with ``spikey`` on PATH running this tree, and the environment."""
    bin_dir = tmp_path / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "spikey"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m spikey.cli "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["MPLBACKEND"] = "Agg"
    env["SPIKEY_REPO"] = str(REPO)
    env.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    work = tmp_path / "work"
    work.mkdir()
    return work, env


def run_block(block: Block, work: Path, env: dict) -> None:
    code = block.runnable_code()
    if block.language == "python":
        script = work / "block.py"
        script.write_text(code)
        runs = [[sys.executable, str(script)]]
        shown = [code]
    else:
        runs = [["bash", "-e", "-o", "pipefail", "-c", cmd] for cmd in shell_commands(code)]
        shown = [r[-1] for r in runs]
    for argv, text in zip(runs, shown, strict=True):
        try:
            done = subprocess.run(
                argv, cwd=work, env=env, capture_output=True, text=True, timeout=TIMEOUT_S
            )
        except subprocess.TimeoutExpired as err:
            raise AssertionError(f"{block.name}: over {TIMEOUT_S} s:\n{text}") from err
        assert done.returncode == 0, (
            f"{block.name} ({block.language} block) exited {done.returncode}:\n{text}\n"
            f"--- stdout (end)\n{done.stdout[-3000:]}\n--- stderr (end)\n{done.stderr[-3000:]}"
        )


def _param(block: Block):
    marks = [pytest.mark.slow] if block.slow else []
    return pytest.param(block, id=block.name, marks=marks)


def test_docs_have_blocks():
    assert any(b.path.name == "README.md" for b in BLOCKS)
    assert all(b.skip or b.runnable_code().strip() for b in BLOCKS)


@pytest.mark.parametrize("block", [_param(b) for b in BLOCKS])
def test_block_runs(block, scratch):
    if block.skip:
        pytest.skip(f"{block.name}: {block.skip}")
    work, env = scratch
    run_block(block, work, env)


def test_markers_are_read(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(
        "text\n\n"
        '<!-- docs-test: replace "--seeds 9" "--seeds 1" -->\n'
        "<!-- docs-test: slow -->\n"
        "```bash\nspikey run x --seeds 9 \\\n  --quick  # note\n```\n\n"
        "<!-- docs-test: skip (needs a Ray cluster) -->\n"
        "```python\nimport ray\n```\n"
    )
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        first, second = blocks_of(doc)
    finally:
        REPO = saved
    assert first.slow and first.replacements == [("--seeds 9", "--seeds 1")]
    assert shell_commands(first.runnable_code()) == ["spikey run x --seeds 1  --quick  # note"]
    assert second.skip == "needs a Ray cluster" and second.language == "python"
