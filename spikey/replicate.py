"""``spikey replicate izhikevich2007``: every experiment of the paper, its controls, a report.

Writes ``DIR/report.md`` (verdict table, figures, parameters), one PNG per figure and
``DIR/results.json``; exits 0 only when every gating criterion passes.
"""

from __future__ import annotations

import sys
import time

PAPERS = ("izhikevich2007",)


def add_arguments(parser):
    parser.add_argument("paper", choices=PAPERS, help="the paper to replicate")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="shortened protocols with duration-appropriate criteria (~1 min)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=None,
        help="number of seeds, 0..N-1 (default 3; 1 with --quick)",
    )
    parser.add_argument("--backend", default="process", choices=("serial", "process", "ray"))
    parser.add_argument(
        "--workers", type=int, default=None, help="processes (default: one per core)"
    )
    parser.add_argument(
        "--out", default=None, help="output folder (default replicate-izhikevich2007[-quick])"
    )
    parser.add_argument(
        "--only",
        default=None,
        help="comma-separated labels or prefixes, e.g. fig1,fig3 (default: all)",
    )
    parser.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a parameter in every experiment that has it (e.g. mode=exact)",
    )


def plan_jobs(quick=False, seeds=None, only=None, sets=None):
    """The jobs and their labels: [(label, role, Job)] for the paper's plan."""
    from spikey.experiments import registry
    from spikey.experiments.izh2007 import PLAN
    from spikey.runner.core import Job

    n_seeds = seeds if seeds is not None else (1 if quick else 3)
    if n_seeds < 1:
        raise SystemExit(f"--seeds must be >= 1, got {n_seeds}")
    wanted = [w.strip() for w in only.split(",")] if only else None
    known = set().union(*(registry.get(p[1]).defaults for p in PLAN))
    unknown = sorted(set(sets or {}) - known)
    if unknown:
        raise SystemExit(
            f"--set {', '.join(unknown)}: no experiment of this paper has such a "
            f"parameter; known: {', '.join(sorted(known))}"
        )
    out = []
    for label, name, overrides, role, which, in_quick in PLAN:
        if quick and not in_quick:
            continue
        if wanted and not any(label == w or label.startswith(w + " ") for w in wanted):
            continue
        exp = registry.get(name)
        extra = {k: v for k, v in (sets or {}).items() if k in exp.defaults}
        config = exp.resolve({**overrides, **extra}, quick=quick)
        for seed in range(n_seeds) if which == "all" else [0]:
            out.append((label, role, Job(name, config, seed)))
    if not out:
        raise SystemExit(
            f"--only {only!r} selects no experiment; labels: " + ", ".join(p[0] for p in PLAN)
        )
    return out


def main(args) -> int:
    from spikey.experiments.izh2007 import PLAN, SEED_QUORUM, report
    from spikey.runner.cli_run import parse_sets
    from spikey.runner.core import run_jobs

    planned = plan_jobs(args.quick, args.seeds, args.only, parse_sets(args.set))
    out_dir = args.out or f"replicate-{args.paper}{'-quick' if args.quick else ''}"
    jobs = [job for _, _, job in planned]
    print(
        f"replicating {args.paper}: {len(jobs)} jobs on backend {args.backend!r} -> {out_dir}/",
        file=sys.stderr,
    )
    start = time.perf_counter()
    labels = {job.key: label for label, _, job in planned}

    def on_outcome(o):
        label = labels.get(o.job.key, o.job.experiment)
        verdict = (
            ("ERROR " + (o.error or ""))
            if o.result is None
            else ("pass" if o.result.passed else "FAIL")
        )
        print(f"  {label:<22} seed {o.job.seed}: {verdict} ({o.seconds:.1f} s)", file=sys.stderr)

    outcomes = run_jobs(
        jobs, backend=args.backend, progress=None, workers=args.workers, on_outcome=on_outcome
    )
    wall = time.perf_counter() - start
    rows = [
        {
            "label": label,
            "role": role,
            "experiment": job.experiment,
            "seed": job.seed,
            "config": job.config,
            "result": o.result,
            "error": o.error,
            "seconds": o.seconds,
        }
        for (label, role, job), o in zip(planned, outcomes)
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
    passed, lines = report.write(out_dir, rows, PLAN, SEED_QUORUM, meta)
    for line in lines:
        vals = ", ".join(f"{v:.3g}" for v in line["values"])
        if line["gating"]:
            tag, note = ("PASS" if line["ok"] else "FAIL"), ""
        else:  # context only: it never fails the run
            tag, note = "info", f"  (reported; reference {'met' if line['ok'] else 'not met'})"
        print(f"{tag}  {line['label']:<20} {line['criterion']:<26} {vals}{note}")
    print(
        f"izhikevich2007: {'PASS' if passed else 'FAIL'} in {wall:.0f} s; report: {out_dir}/report.md"
    )
    return 0 if passed else 1
