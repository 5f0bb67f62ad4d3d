"""One page per paper that ``spikey replicate`` knows, written from the code at build time.

For each paper in :data:`spikey.experiments.papers.PAPERS`: the package's docstring, its plan
(``PLAN``) and seed quorums (``SEED_QUORUM``), every experiment the plan runs (the
registration's description, its module's docstring -- the protocol and what was chosen --,
parameters with their ``--quick`` values, the criteria read from the code as ``spikey list``
does, metrics), the stored null distributions where the paper has them, and a report that
``spikey replicate`` writes, made while the site is built.
"""

from __future__ import annotations

import importlib
import inspect
import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from gen_ref import REPO, page_path
from gen_text import markdown

#: paper -> (title, the README heading whose section is shown as "Run it", plan labels that
#: the sample report runs; None: the whole --quick run)
PAPER_PAGES = {
    "izhikevich2007": ("Izhikevich (2007)", "## Replicate the paper", ["fig1-synapse"]),
    "florian2007": ("Florian (2007)", None, None),
}


def clean(doc: str | None) -> str:
    """A docstring as Markdown (:func:`gen_text.markdown`)."""
    return markdown(doc)


def cell(value) -> str:
    """A value for a Markdown table cell."""
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return "`" + text.replace("|", "\\|") + "`"


def fmt(x: float) -> str:
    """A number, short."""
    return "nan" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3g}"


def plan_table(pkg) -> list[str]:
    """The paper's plan as a table, with its seed quorums."""
    quorum = getattr(pkg, "SEED_QUORUM", {})
    lines = [
        "| label | experiment | overrides | role | seeds | in `--quick` | quorum criteria |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in pkg.PLAN:
        over = ", ".join(f"`{k}={v!r}`" for k, v in e.overrides.items()) or "—"
        quor = ", ".join(f"`{c}` ({f:.2g})" for (label, c), f in quorum.items() if label == e.label)
        seeds = "every seed" if e.seeds == "all" else "first seed only"
        lines.append(
            f"| {e.label} | [`{e.experiment}`](#{anchor(e.experiment)}) | {over} | {e.role} | "
            f"{seeds} | {'yes' if e.quick else 'no'} | {quor or '—'} |"
        )
    return lines


def anchor(name: str) -> str:
    """The id of an experiment's heading on the page."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def experiment_section(name: str, depth: int) -> list[str]:
    """An experiment: description, protocol (its module's docstring), parameters, criteria."""
    from spikey.experiments import registry
    from spikey.experiments.cli_list import criteria_of

    exp = registry.get(name)
    module = inspect.getmodule(exp.func)
    up = "../" * depth
    out = [
        f"### `{name}` {{#{anchor(name)}}}",
        "",
        f"**{exp.description}.** Code: [`{module.__name__}`]({up}{page_path(module.__name__)}); "
        f"run it alone with `spikey run {name} --seeds 0-2` (`--quick` for the short protocol).",
        "",
        clean(module.__doc__),
        "",
        f'??? abstract "Parameters ({len(exp.defaults)}): `--set KEY=VALUE`; the `--quick` '
        'column is what `--quick` changes"',
        "",
        "    | key | default | `--quick` |",
        "    |---|---|---|",
    ]
    for key, value in exp.defaults.items():
        quick = cell(exp.quick[key]) if key in exp.quick else ""
        out.append(f"    | `{key}` | {cell(value)} | {quick} |")
    criteria = criteria_of(exp)
    out += ["", "**Criteria** (read from the code; each is `value op threshold`):", ""]
    out += [f"- `{c}`{resolved(c, exp)}" for c in criteria] or ["- none"]
    out += ["", "**Metrics:** " + (", ".join(f"`{m}`" for m in exp.metrics) or "not declared"), ""]
    return out


CONFIG_KEY = re.compile(r"""config\[['"](\w+)['"]\]""")


def resolved(criterion: str, exp) -> str:
    """The default (and ``--quick``) values of the config keys a criterion's threshold names."""
    keys = [k for k in dict.fromkeys(CONFIG_KEY.findall(criterion)) if k in exp.defaults]
    parts = []
    for key in keys:
        text = f"`{key}` = `{exp.defaults[key]!r}`"
        if key in exp.quick and exp.quick[key] != exp.defaults[key]:
            text += f" (`--quick`: `{exp.quick[key]!r}`)"
        parts.append(text)
    return " — " + ", ".join(parts) if parts else ""


def nulls_section(pkg) -> list[str]:
    """The stored null distributions and which criteria each backs (when the paper has them)."""
    try:
        nulls = importlib.import_module(pkg.__name__ + ".null_store")
    except ModuleNotFoundError:
        return []
    stored = nulls.load()
    out = ["## Null distributions", "", clean(nulls.__doc__), ""]
    if not stored.get("runs"):
        return out + ["No nulls are stored.", ""]
    backs = {}
    for (label, criterion, quick), key in nulls.NULL_OF.items():
        backs.setdefault(key, []).append(f"`{label}: {criterion}`" + (" (quick)" if quick else ""))
    out += [
        f"Stored in `{Path(nulls.PATH).relative_to(REPO)}` (commit `{stored.get('commit', '?')}`). "
        "Per null run and statistic: the sample, and the criteria whose thresholds are set "
        "against it.",
        "",
        "| null run | statistic | n | mean ± sd | min – max | seeds | criteria it backs |",
        "|---|---|---|---|---|---|---|",
    ]
    seeds = stored.get("seeds", {})
    for run, stats in stored["runs"].items():
        for stat, s in stats.items():
            used = ", ".join(backs.get((run, stat), [])) or "—"
            sd = s.get("sd", float("nan"))
            out.append(
                f"| {run} | `{stat}` | {s.get('n')} | {fmt(s.get('mean'))} ± {fmt(sd)} | "
                f"{fmt(s.get('min'))} – {fmt(s.get('max'))} | {_seed_text(seeds.get(run))} | {used} |"
            )
    effects = stored.get("effects", {})
    if effects:
        out += ["", "Measured effects of choices the paper leaves open:", ""]
        for label, e in effects.items():
            out.append(f"- **{label}**: {e.get('text', '')}")
    return out + [""]


def _seed_text(seeds) -> str:
    if not seeds:
        return "—"
    seeds = sorted(seeds)
    if seeds == list(range(seeds[0], seeds[-1] + 1)) and len(seeds) > 2:
        return f"{seeds[0]}–{seeds[-1]}"
    return ", ".join(map(str, seeds))


def sample_report(paper: str, only, env: dict) -> tuple[str, str, dict[str, bytes]]:
    """Run ``spikey replicate PAPER --quick`` (``--only`` labels) in a scratch folder.

    Returns (the command, what it printed, ``{file name: bytes}`` of report.md and its PNGs).
    A non-zero exit is an error naming the command and its output.
    """
    cmd = ["spikey", "replicate", paper, "--quick"]
    for label in only or []:
        cmd += ["--only", label]
    cmd += ["--out", "sample"]
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "spikey.cli", *cmd[1:]],
            cwd=tmp,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"docs: `{' '.join(cmd)}` exited {done.returncode}:\n{done.stdout}")
        out = Path(tmp) / "sample"
        files = {
            p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in {".md", ".png"}
        }
    return " ".join(cmd), done.stdout, files


def demote(markdown: str, by: int) -> str:
    """Every heading of ``markdown`` ``by`` levels deeper (code blocks left alone)."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and re.match(r"#{1,6}\s", line):
            line = "#" * by + line
        out.append(line)
    return "\n".join(out)


def paper_page(paper: str, env: dict, run_sample: bool = True) -> dict[str, str | bytes]:
    """``{path: content}``: the paper's page ``replication/PAPER.md`` and its sample's files."""
    from spikey.experiments.papers import PAPERS

    pkg = importlib.import_module(PAPERS[paper])
    title, readme_heading, only = PAPER_PAGES.get(paper, (paper, None, None))
    page = f"replication/{paper}.md"
    out = [f"# Replicating {title}", "", clean(pkg.__doc__), "", "## Run it", ""]
    if readme_heading:
        out += [f'<!-- include: README.md "{readme_heading}" -->', ""]
    else:
        out += [
            "```bash",
            f"spikey replicate {paper} --quick            # shortened protocols, one seed",
            f"spikey replicate {paper} --seeds 3 --out rep   # the full protocols on seeds 0-2",
            "```",
            "",
        ]
    out += [
        "## The plan",
        "",
        f"What `spikey replicate {paper}` runs: each line is a registered experiment under a "
        "label, with the config overrides that make a control or a variant of it. A criterion "
        "gates on every seed unless the plan gives it a quorum (the fraction of seeds that must "
        "pass, rounded up). Variants and extensions are reported beside the paper's claims.",
        "",
        *plan_table(pkg),
        "",
        "## The experiments",
        "",
    ]
    seen = []
    for entry in pkg.PLAN:
        if entry.experiment not in seen:
            seen.append(entry.experiment)
            out += experiment_section(entry.experiment, depth=1)
    out += nulls_section(pkg)
    files: dict[str, str | bytes] = {}
    if not run_sample:
        out += [
            "## What a run writes",
            "",
            "*Not run in this preview (SPIKEY_DOCS_SKIP_RUNS=1).*",
            "",
        ]
    else:
        cmd, printed, made = sample_report(paper, only, env)
        which = "one experiment of the quick run" if only else "the quick run"
        out += [
            "## What a run writes",
            "",
            f"Made while this site was built ({which}):",
            "",
            "```console",
            f"$ {cmd}",
            printed.rstrip(),
            "```",
            "",
            '??? example "The report it wrote: `sample/report.md`"',
            "",
        ]
        report = made.pop("report.md").decode()
        for name, data in made.items():
            files[f"replication/{paper}-sample/{name}"] = data
            report = report.replace(f"]({name})", f"]({paper}-sample/{name})")
        out += ["    " + line if line.strip() else "" for line in demote(report, 2).splitlines()]
        out.append("")
    files[page] = "\n".join(out) + "\n"
    return files


def paper_pages(env: dict, run_sample: bool = True) -> tuple[dict, list[tuple[str, str]]]:
    """Every paper's files, and (title, page) per paper for the navigation."""
    from spikey.experiments.papers import PAPERS

    files, nav = {}, []
    for paper in PAPERS:
        files.update(paper_page(paper, env, run_sample))
        title = PAPER_PAGES.get(paper, (paper,))[0]
        nav.append((title, f"replication/{paper}.md"))
    return files, nav


if __name__ == "__main__":  # print one page, e.g. to read it: python docs/gen_papers.py florian2007
    sys.path.insert(0, str(REPO))
    print(paper_page(sys.argv[1], {}, run_sample=False)[f"replication/{sys.argv[1]}.md"])
