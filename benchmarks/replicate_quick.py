"""The quick runs over many seeds (issue 19's goals): per ``--first-seed K`` the verdict of
``spikey replicate izhikevich2007 --quick`` (seeds K..K+2, quorum rule), and per registered
experiment the seeds whose ``spikey run NAME --quick --seeds K`` passes, with the claims
that fail and the job times.

    nice -n 10 python benchmarks/replicate_quick.py --seeds 0-39 --rundir /tmp/rep_quick

Every job runs once, in one resumable run directory shared by both tables (a quick
replication for K and the single experiments reuse the same jobs). The time of a quick
replication is estimated as its jobs' summed seconds over ``--workers`` (what a run with
those workers on an otherwise idle machine costs, start-up not counted); on a shared
machine the job seconds themselves are inflated by the other load. Stored jobs are judged
again from their metrics by today's criteria (a rule changed in the code leaves the job's
config, and so its place in the run directory, alone). Writes ``RUNDIR/quick.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from spikey.experiments import registry
from spikey.experiments.plan import add_paired, aggregate
from spikey.experiments.registry import Result
from spikey.replicate import paper_package, parse_seed_list, plan_jobs
from spikey.runner.core import Job, run_jobs


def judged(name: str, config: dict, result: Result | None) -> Result | None:
    """``result`` judged again from its metrics by today's criteria and thresholds (a job
    stored before a rule changed is counted under the current rule; the run directory keys
    a job by its config, and a rule in the code leaves the config alone). Experiments
    without a ``criteria(res, metrics, config)`` function keep their stored criteria."""
    if result is None:
        return None
    module = _JUDGES.get(name)
    if module is None:
        return result
    res = Result(metrics=dict(result.metrics))
    module.criteria(res, res.metrics, config)
    return res


def _judges() -> dict:
    from spikey.experiments.izh2007 import fig1, fig2, fig3, fig4

    return {
        "izh2007.fig1": fig1,
        "izh2007.fig2": fig2,
        "izh2007.fig3": fig3,
        "izh2007.fig3-rpe": fig3,
        "izh2007.fig4": fig4,
    }


_JUDGES = _judges()


def _verdict_keys(name: str) -> tuple:
    module = _JUDGES.get(name)
    return tuple(getattr(module, "CRITERION_KEYS", ())) if module is not None else ()


def stored_twins(jobs: list[Job], rundir) -> list[Job]:
    """``jobs``, each replaced by a job stored in ``rundir`` whose config differs from it only
    in keys the verdict reads (the experiment module's ``CRITERION_KEYS``: the run and every
    metric are bit-identical), so a threshold change is judged from the stored metrics
    instead of running the job again. Jobs without such a twin are kept."""
    folder = Path(rundir) / "configs" if rundir else None
    if folder is None or not folder.is_dir():
        return list(jobs)
    stored = {}
    for path in folder.glob("*.json"):
        data = json.loads(path.read_text())
        stored.setdefault(data["experiment"], []).append(data["config"])
    out = []
    for job in jobs:
        skip = _verdict_keys(job.experiment)
        want = {k: v for k, v in registry.plain(job.config).items() if k not in skip}
        twin = next(
            (
                c
                for c in stored.get(job.experiment, [])
                if skip and {k: v for k, v in c.items() if k not in skip} == want
            ),
            None,
        )
        out.append(Job(job.experiment, twin, job.seed) if twin is not None else job)
    return out


def replicate_table(seeds, rundir, workers, backend="process"):
    """``[(K, passed, failing claims, estimated s)]`` for each K in ``seeds``."""
    pkg = paper_package("izhikevich2007")
    lo, hi = min(seeds), max(seeds)
    planned = plan_jobs(quick=True, seed_list=f"{lo}-{hi + 2}")
    to_run = stored_twins([j for _, j in planned], rundir)
    outcomes = run_jobs(to_run, backend=backend, workers=workers, out_dir=rundir)
    rows = [
        {
            "label": e.label,
            "seed": j.seed,
            "config": j.config,
            "result": judged(j.experiment, j.config, o.result),
            "error": o.error,
            "seconds": o.seconds,
            "first": e.seeds == "first",
        }
        for (e, j), o in zip(planned, outcomes)
    ]
    table = []
    for k in seeds:
        mine = [r for r in rows if r["first"] or k <= r["seed"] <= k + 2]
        lines = aggregate(add_paired(mine, getattr(pkg, "PAIRED", ())), pkg.SEED_QUORUM)
        failing = [
            f"{x['label']}/{x['criterion']} ({sum(x['passed'])}/{len(x['passed'])})"
            for x in lines
            if x["gating"] and not x["ok"]
        ]
        secs = sum(r["seconds"] for r in mine) / max(1, workers)
        table.append((k, not failing, failing, secs))
    return table


def experiment_table(names, seeds, rundir, workers, backend="process"):
    """``{name: (passing seeds, Counter of failing claims, job seconds)}`` for one-seed
    quick runs of each experiment."""
    jobs, index = [], []
    for name in names:
        exp = registry.get(name)
        config = exp.resolve({}, quick=True)
        for s in seeds:
            jobs.append(Job(name, config, s))
            index.append(name)
    outcomes = run_jobs(
        stored_twins(jobs, rundir), backend=backend, workers=workers, out_dir=rundir
    )
    out = {}
    for job, name, o in zip(jobs, index, outcomes):
        ok, fails, secs = out.setdefault(name, [0, Counter(), []])
        secs.append(o.seconds)
        result = judged(name, job.config, o.result)
        if result is None:
            fails["job error"] += 1
            continue
        bad = [c.name for c in result.criteria if c.gating and not c.passed]
        fails.update(bad)
        out[name][0] += not bad
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="0-39", help="K values / seeds, e.g. 0-39")
    ap.add_argument("--rundir", default="/tmp/rep_quick")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-replicate", action="store_true", help="skip the replicate table")
    ap.add_argument("--no-experiments", action="store_true", help="skip the experiment table")
    ap.add_argument("--only", default=None, help="experiments (comma-separated) for the table")
    args = ap.parse_args(argv)
    seeds = parse_seed_list(args.seeds)
    report = {"seeds": seeds}
    start = time.perf_counter()
    if not args.no_replicate:
        table = replicate_table(seeds, args.rundir, args.workers)
        print(f"{'K':>3} {'verdict':>7} {'est. s':>7}  failing claims (seeds K..K+2)")
        for k, ok, failing, secs in table:
            print(f"{k:>3} {'PASS' if ok else 'FAIL':>7} {secs:7.0f}  {', '.join(failing) or '—'}")
        n_ok = sum(ok for _, ok, _, _ in table)
        print(f"quick replication PASS for {n_ok} of {len(table)} first seeds\n", flush=True)
        report["replicate"] = [
            {"first_seed": k, "passed": ok, "failing": f, "est_s": s} for k, ok, f, s in table
        ]
    if not args.no_experiments:
        names = (
            [n.strip() for n in args.only.split(",")]
            if args.only
            else registry.names(include_hidden=False)
        )
        table = experiment_table(names, seeds, args.rundir, args.workers)
        print(f"{'experiment':<24} {'passing':>8} {'job s mean/max':>15}  failing claims")
        for name, (ok, fails, secs) in table.items():
            what = ", ".join(f"{c} ×{n}" for c, n in fails.most_common()) or "—"
            mean = sum(secs) / len(secs)
            print(f"{name:<24} {ok:>4}/{len(secs):<3} {mean:7.1f}/{max(secs):<7.1f}  {what}")
        report["experiments"] = {
            n: {"passing": ok, "seeds": len(s), "failing": dict(f), "mean_s": sum(s) / len(s)}
            for n, (ok, f, s) in table.items()
        }
    report["wall_s"] = time.perf_counter() - start
    Path(args.rundir).mkdir(parents=True, exist_ok=True)
    (Path(args.rundir) / "quick.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
