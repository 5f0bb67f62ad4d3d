"""``spikey replicate PAPER``: every experiment of a paper, its controls, a report.

Writes ``DIR/report.md`` (verdict table, figures, parameters), one PNG per figure and
``DIR/results.json``; exits 0 only when every gating criterion passes.

A paper is a package named in :data:`PAPERS`. It must expose

``PLAN``
    a sequence of :class:`spikey.experiments.plan.PlanEntry` (label, registered
    experiment, config overrides, role, which seeds, whether ``--quick`` runs it);
``SEED_QUORUM``
    ``{(label, criterion): fraction}``: criteria that must pass on at least
    ``ceil(fraction * seeds)`` seeds instead of every seed;
``write_report(out_dir, rows, meta) -> (passed, lines)``
    writes the report from ``rows`` (one dict per job: label, role, experiment, seed,
    config, result, error, seconds) and ``meta`` (quick, seeds, backend, wall_s); returns
    whether every gating criterion passed and the lines of
    :func:`spikey.experiments.plan.aggregate` for the console.

Adding a paper = adding its package and one entry to
:data:`spikey.experiments.papers.PAPERS`.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from spikey.experiments import registry
from spikey.experiments.papers import PAPERS
from spikey.experiments.plan import PlanEntry
from spikey.runner.cli_run import int_at_least, parse_sets
from spikey.runner.core import Job, run_jobs
from spikey.runner.lock import RunLock
from spikey.runner.rundir import RunDir


def paper_package(name: str):
    """The package of paper ``name`` (see the module docstring for what it exposes)."""
    if name not in PAPERS:
        raise SystemExit(f"unknown paper {name!r}; known: {', '.join(sorted(PAPERS))}")
    return importlib.import_module(PAPERS[name])


def add_arguments(parser) -> None:
    """The ``spikey replicate`` options on ``parser`` (an ``argparse`` subparser)."""
    parser.add_argument("paper", choices=sorted(PAPERS), help="the paper to replicate")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="shortened protocols with duration-appropriate criteria, on 3 seeds under the "
        "same quorum rule (~1 min on 2 cores)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=None,
        help="number of seeds, K..K+N-1 with K = --first-seed (default 3). With 10 or more "
        "the report gives each gating claim's fraction of seeds meeting it with a 95 %% "
        "(Wilson) interval, and a quorum claim needs 2 of every 3 seeds",
    )
    parser.add_argument(
        "--first-seed", type=int, default=0, help="first seed of the set (default 0)"
    )
    parser.add_argument(
        "--seed-list",
        default=None,
        help="explicit seeds instead of --seeds/--first-seed, e.g. 6,7,8 or 6-8",
    )
    parser.add_argument("--backend", default="process", choices=("serial", "process", "ray"))
    parser.add_argument(
        "--workers", type=int_at_least(1), default=None, help="processes (default: one per core)"
    )
    parser.add_argument(
        "--address",
        default=None,
        help="Ray cluster address for --backend ray (default: $RAY_ADDRESS, else a local Ray)",
    )
    parser.add_argument(
        "--out", default=None, help="output folder (default replicate-PAPER[-quick])"
    )
    parser.add_argument(
        "--rundir",
        default=None,
        help="run directory: each finished job is stored there as it ends, and a rerun with "
        "the same --rundir loads finished jobs instead of running them again",
    )
    parser.add_argument(
        "--only",
        default=None,
        help="comma-separated labels or prefixes, e.g. fig1,fig3 (default: all)",
    )
    parser.add_argument(
        "--skip",
        default=None,
        help="comma-separated labels to leave out (exact), e.g. 'fig1 10 ms window,fig3-rpe'",
    )
    parser.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a parameter in every experiment that has it (e.g. mode=exact)",
    )


def parse_seed_list(text: str) -> list[int]:
    """``"6,7,8"`` or ``"6-8"`` (or a mix, ``"0-2,9"``) -> sorted distinct seeds."""
    seeds = set()
    for part in str(text).split(","):
        part = part.strip()
        try:
            if "-" in part[1:]:
                lo, hi = part.split("-", 1) if not part.startswith("-") else (part, "")
                lo, hi = int(lo), int(hi)
                if hi < lo:
                    raise ValueError
                seeds.update(range(lo, hi + 1))
            else:
                seeds.add(int(part))
        except ValueError:
            raise SystemExit(
                f"--seed-list: {part!r} in {text!r} is not a seed or a range; "
                "expected e.g. 6,7,8 or 6-8"
            ) from None
    if any(s < 0 for s in seeds):
        raise SystemExit(f"--seed-list {text!r}: seeds must be >= 0")
    return sorted(seeds)


def seed_set(quick=False, seeds=None, first_seed=0, seed_list=None) -> list[int]:
    """The seeds of a run: ``seed_list``, else ``seeds`` seeds (default 3, ``--quick`` too: one
    short run of one seed cannot carry claims about typical seeds) from ``first_seed``."""
    if seed_list is not None:
        if seeds is not None:
            raise SystemExit("give either --seeds/--first-seed or --seed-list, not both")
        return parse_seed_list(seed_list) if isinstance(seed_list, str) else sorted(set(seed_list))
    n = seeds if seeds is not None else 3
    if n < 1:
        raise SystemExit(f"--seeds must be >= 1, got {n}")
    if first_seed < 0:
        raise SystemExit(f"--first-seed must be >= 0, got {first_seed}")
    return list(range(first_seed, first_seed + n))


def plan_jobs(
    quick=False,
    seeds=None,
    only=None,
    sets=None,
    paper="izhikevich2007",
    first_seed=0,
    seed_list=None,
    skip=None,
) -> list[tuple[PlanEntry, Job]]:
    """The jobs of a paper's plan: ``[(entry, Job)]`` for the chosen seeds and labels.

    A label chosen by ``only`` brings the control its paired criteria compare against
    (the package's ``PAIRED``), unless that control is skipped."""
    pkg = paper_package(paper)
    plan = pkg.PLAN
    chosen = seed_set(quick, seeds, first_seed, seed_list)
    wanted = [w.strip() for w in only.split(",")] if only else None
    skipped = {w.strip() for w in skip.split(",")} if skip else set()
    unknown_skip = skipped - {e.label for e in plan}
    if unknown_skip:
        raise SystemExit(
            f"--skip {', '.join(sorted(unknown_skip))}: no such label; labels: "
            + ", ".join(e.label for e in plan)
        )
    known = set().union(*(registry.get(e.experiment).defaults for e in plan))
    unknown = sorted(set(sets or {}) - known)
    if unknown:
        raise SystemExit(
            f"--set {', '.join(unknown)}: no experiment of this paper has such a "
            f"parameter; known: {', '.join(sorted(known))}"
        )

    def runs(entry):
        return not ((quick and not entry.quick) or entry.label in skipped)

    def chosen_by_only(label):
        return not wanted or any(label == w or label.startswith(w + " ") for w in wanted)

    selected = {e.label for e in plan if runs(e) and chosen_by_only(e.label)}
    selected |= {c.control for c in getattr(pkg, "PAIRED", ()) if c.label in selected}
    out = []
    for entry in plan:
        if not runs(entry) or entry.label not in selected:
            continue
        exp = registry.get(entry.experiment)
        extra = {k: v for k, v in (sets or {}).items() if k in exp.defaults}
        config = exp.resolve({**entry.overrides, **extra}, quick=quick)
        for seed in chosen if entry.seeds == "all" else chosen[:1]:
            out.append((entry, Job(entry.experiment, config, seed)))
    if not out:
        raise SystemExit(
            f"--only {only!r} selects no experiment; expected labels or prefixes of: "
            + ", ".join(e.label for e in plan)
        )
    return out


def _median(values) -> float:
    vals = sorted(float(v) for v in values if v == v)
    if not vals:
        return float("nan")
    k = len(vals) // 2
    return vals[k] if len(vals) % 2 else (vals[k - 1] + vals[k]) / 2


def longest_first(jobs) -> list[int]:
    """Indices of ``jobs`` by descending expected cost (the experiment's ``cost``; ties and
    experiments without one keep the plan's order), so that no long job starts last."""

    def cost(k):
        func = registry.get(jobs[k].experiment).cost
        return -float(func(jobs[k].config)) if func else 0.0

    return sorted(range(len(jobs)), key=cost)


def main(args) -> int:
    """Run a paper's plan, write its report; 0 when every gating criterion passes, else 1.

    The output folder and the run directory are each held by this run (a second
    ``spikey replicate`` on either is refused at once, naming this one)."""
    planned = plan_jobs(
        args.quick,
        args.seeds,
        args.only,
        parse_sets(args.set),
        paper=args.paper,
        first_seed=args.first_seed,
        seed_list=args.seed_list,
        skip=args.skip,
    )
    out_dir = args.out or f"replicate-{args.paper}{'-quick' if args.quick else ''}"
    rundir = RunDir(args.rundir) if args.rundir else None
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SystemExit(f"cannot create the output folder {out_dir}: {err.strerror}") from None
    same = rundir is not None and Path(args.rundir).resolve() == Path(out_dir).resolve()
    with rundir.lock if same else RunLock(out_dir):
        return _main(args, planned, out_dir, rundir)


def _main(args, planned, out_dir, rundir) -> int:
    pkg = paper_package(args.paper)
    jobs = [job for _, job in planned]
    order = longest_first(jobs)
    print(
        f"replicating {args.paper}: {len(jobs)} jobs on backend {args.backend!r} -> {out_dir}/",
        file=sys.stderr,
    )
    start = time.perf_counter()
    labels = {job.key: entry.label for entry, job in planned}

    def on_outcome(o):
        label = labels.get(o.job.key, o.job.experiment)
        verdict = (
            ("ERROR " + (o.error or ""))
            if o.result is None
            else ("pass" if o.result.passed else "FAIL")
        )
        print(f"  {label:<22} seed {o.job.seed}: {verdict} ({o.seconds:.1f} s)", file=sys.stderr)

    started = run_jobs(
        [jobs[k] for k in order],
        backend=args.backend,
        progress=None,
        workers=args.workers,
        address=args.address,
        on_outcome=on_outcome,
        out_dir=rundir,
    )
    outcomes = [None] * len(jobs)
    for k, o in zip(order, started):
        outcomes[k] = o
    wall = time.perf_counter() - start
    rows = [
        {
            "label": entry.label,
            "role": entry.role,
            "experiment": job.experiment,
            "seed": job.seed,
            "config": job.config,
            "result": o.result,
            "error": o.error,
            "seconds": o.seconds,
        }
        for (entry, job), o in zip(planned, outcomes)
    ]
    for row, o in zip(rows, outcomes):
        if o.traceback:
            print(f"{row['label']} seed {row['seed']} failed:\n{o.traceback}", file=sys.stderr)
    meta = {
        "quick": bool(args.quick),
        "seeds": sorted({j.seed for j in jobs}),
        "backend": args.backend,
        "wall_s": wall,
    }
    passed, lines = pkg.write_report(out_dir, rows, meta)
    many = len(meta["seeds"]) >= 10
    for line in lines:
        vals = ", ".join(f"{v:.3g}" for v in line["values"])
        if many:  # per claim: the fraction of seeds meeting it, not every value
            vals = f"median {_median(line['values']):.3g}"
        if line["gating"]:
            tag = "PASS" if line["ok"] else "FAIL"
            note = f"  ({line['rule']}: {sum(line['passed'])}/{len(line['passed'])}"
            if many:
                lo, hi = line["interval"]
                note += (
                    f"; {line['rate']:.0%} of seeds, 95 % CI {lo:.0%}–{hi:.0%}; "
                    f"needed {line['quorum']:.0%}"
                )
            note += ")"
        else:  # context only: it never fails the run
            tag, note = "info", f"  (reported; reference {'met' if line['ok'] else 'not met'})"
        print(f"{tag}  {line['label']:<20} {line['criterion']:<26} {vals}{note}")
    print(
        f"{args.paper}: {'PASS' if passed else 'FAIL'} in {wall:.0f} s; report: {out_dir}/report.md"
    )
    return 0 if passed else 1
