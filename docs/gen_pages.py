"""Run by mkdocs-gen-files at every build: writes the pages that come from the code.

- ``reference/``: one page per public module of spikey (:mod:`gen_ref`);
- ``replication/PAPER.md``: each paper's plan, experiments, criteria and nulls, and a report
  made by running ``spikey replicate`` (:mod:`gen_papers`);
- ``benchmarks.md``: the benchmark scripts and the numbers published with them (:mod:`gen_bench`);
- ``gallery/``: every example run short, its figures beside its source (:mod:`gen_gallery`);
- ``SUMMARY.md``: the navigation (:mod:`gen_nav`).

``SPIKEY_DOCS_SKIP_RUNS=1`` skips running examples and commands (a fast preview); CI never sets it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))
sys.path.insert(0, str(DOCS.parent))

import mkdocs_gen_files  # noqa: E402
from gen_bench import benchmarks_page  # noqa: E402
from gen_gallery import gallery_pages, skip_runs  # noqa: E402
from gen_nav import summary  # noqa: E402
from gen_papers import paper_pages  # noqa: E402
from gen_ref import reference_pages  # noqa: E402
from gen_run import environment  # noqa: E402


def write(files: dict) -> None:
    """Write ``{path: str or bytes}`` into the build's virtual docs folder."""
    for path, content in files.items():
        mode = "wb" if isinstance(content, bytes) else "w"
        with mkdocs_gen_files.open(path, mode) as f:
            f.write(content)


def main() -> None:
    """Write every generated page, timing each part (printed to the build log)."""
    run = not skip_runs()
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / ".bin")
        t0 = time.perf_counter()
        write(reference_pages())
        t1 = time.perf_counter()
        papers, paper_nav = paper_pages(env, run_sample=run)
        write(papers)
        t2 = time.perf_counter()
        write({"benchmarks.md": benchmarks_page()})
        write(gallery_pages(env, run=run))
        t3 = time.perf_counter()
        write({"SUMMARY.md": summary(paper_nav)})
    print(
        f"docs: generated reference {t1 - t0:.1f} s, papers {t2 - t1:.1f} s, "
        f"benchmarks + gallery {t3 - t2:.1f} s",
        file=sys.stderr,
    )


main()
