"""``python -m spikey.nulls``: measure the Izhikevich (2007) replication's null distributions.

Rerun (writes ``spikey/experiments/izh2007/nulls.json``)::

    python -m spikey.nulls --seeds 100-111 --only-quick --rundir /tmp/nulls-run --workers 2
    python -m spikey.nulls --seeds 0-29 --only-full \
        --rundir /tmp/rep_sets/jobs   # the control jobs of benchmarks/replicate_sets.py

What each null is (the runs, the statistics, which criterion each is set against) is the
experiment's data, :mod:`spikey.experiments.izh2007.null_store`; this tool schedules those runs
as runner jobs (``--from``: reuse the ``results.json`` of replicate runs; ``--rundir``: a
resumable run directory whose finished jobs are reused), summarizes them and merges them
into the stored file. Like ``spikey replicate`` it sits above the experiments and the
runner, so no experiment package schedules jobs itself.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

from spikey.experiments import registry
from spikey.experiments.izh2007.null_store import (
    EFFECT_METRICS,
    FROM_PLAN,
    PATH,
    RUNS,
    THRESHOLDS,
    summary,
)
from spikey.runner.core import Job, run_jobs

COMMAND = "python -m spikey.nulls"


def collect(dirs) -> dict:
    """``{null run: {seed: metrics}}`` from the ``results.json`` of replicate runs."""
    out = {}
    for d in dirs:
        data = json.loads((Path(d) / "results.json").read_text())
        if data.get("quick"):
            raise ValueError(f"{d}: a --quick run; the full nulls need full runs")
        for job in data["jobs"]:
            for name, label in FROM_PLAN.items():
                if job["label"] == label and "metrics" in job:
                    out.setdefault(name, {})[job["seed"]] = job["metrics"]
    return out


def collect_rundir(path, seeds) -> dict:
    """``{null run: {seed: metrics}}`` from a run directory's finished jobs (``results.jsonl``
    and ``configs/``) whose config equals a null run's on every key but the thresholds."""
    path = Path(path)
    if not (path / "results.jsonl").exists():
        return {}
    wanted = {}
    for name, (exp_name, overrides, quick, _stats) in RUNS.items():
        config = registry.get(exp_name).resolve(overrides, quick=quick)
        wanted[name] = (exp_name, {k: v for k, v in config.items() if k not in THRESHOLDS})
    out = {}
    for line in (path / "results.jsonl").read_text().splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if rec.get("status") != "ok" or rec.get("seed") not in seeds:
            continue
        cfg_file = path / "configs" / f"{rec['experiment']}-{rec['config_hash']}.json"
        if not cfg_file.exists():
            continue
        config = json.loads(cfg_file.read_text())["config"]
        core = {k: v for k, v in config.items() if k not in THRESHOLDS}
        for name, (exp_name, want) in wanted.items():
            if rec["experiment"] == exp_name and core == json.loads(json.dumps(want)):
                out.setdefault(name, {})[rec["seed"]] = rec["metrics"]
    return out


def measure(seeds, workers=None, backend="process", only=None, rundir=None, extra=None) -> dict:
    """Run the null jobs of :data:`RUNS` (those in ``only``) on ``seeds``, add the metrics in
    ``extra`` (see :func:`collect`), and return the summaries."""
    stored = collect_rundir(rundir, set(seeds)) if rundir else {}
    planned = []
    for name, (exp_name, overrides, quick, _stats) in RUNS.items():
        if only and name not in only:
            continue
        config = registry.get(exp_name).resolve(overrides, quick=quick)
        have = {**(extra or {}).get(name, {}), **stored.get(name, {})}
        planned += [(name, Job(exp_name, config, s)) for s in seeds if s not in have]
    planned.sort(key=lambda item: not RUNS[item[0]][2])  # the short (quick) ones first
    start = time.perf_counter()
    outcomes = run_jobs(
        [j for _, j in planned], backend=backend, workers=workers, progress=None, out_dir=rundir
    )
    by_run, errors = {}, []
    for source in (extra or {}, stored):
        for name, per_seed in source.items():
            if not only or name in only:
                by_run.setdefault(name, {}).update(per_seed)
    for (name, job), o in zip(planned, outcomes):
        if o.result is None:
            errors.append(f"{name} seed {job.seed}: {o.error}")
            continue
        by_run.setdefault(name, {})[job.seed] = o.result.metrics
    runs, seeds_used = {}, {}
    for name, per_seed in by_run.items():
        stats = RUNS[name][3]
        runs[name] = {st: summary([per_seed[k][st] for k in sorted(per_seed)]) for st in stats}
        seeds_used[name] = sorted(per_seed)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "command": COMMAND + " " + shlex.join(sys.argv[1:]),
        "commit": commit,
        "seeds": seeds_used,
        "wall_s": time.perf_counter() - start,
        "errors": errors,
        "runs": runs,
    }


def effect(base_dir, other_dir) -> str:
    """A sentence comparing two replicate runs (same seeds, one setting changed): the mean
    over seeds of each metric of :data:`EFFECT_METRICS`, base → other."""

    def means(d):
        data = json.loads((Path(d) / "results.json").read_text())
        out = {}
        for label, keys in EFFECT_METRICS.items():
            jobs = [j for j in data["jobs"] if j["label"] == label and "metrics" in j]
            for k in keys:
                vals = [j["metrics"][k] for j in jobs if k in j["metrics"]]
                if vals:
                    out[f"{label} {k}"] = sum(vals) / len(vals)
        return out

    a, b = means(base_dir), means(other_dir)
    return "; ".join(f"{k} {a[k]:.3g} → {b[k]:.3g}" for k in a if k in b)


def main(argv=None) -> int:
    """Command line: measure, merge into ``--out`` and print each null's mean and sd."""
    from spikey.replicate import parse_seed_list

    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="10-19", help="seeds, e.g. 10-19 (default)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--backend", default="process", choices=("serial", "process", "ray"))
    parser.add_argument("--only", default=None, help="comma-separated run names of RUNS")
    parser.add_argument("--only-quick", action="store_true", help="only the quick runs")
    parser.add_argument("--only-full", action="store_true", help="only the full runs")
    parser.add_argument("--from", dest="dirs", nargs="*", default=(), help="replicate outputs")
    parser.add_argument("--rundir", default=None, help="resumable run directory")
    parser.add_argument("--out", default=str(PATH), help=f"output JSON (default {PATH})")
    parser.add_argument(
        "--effect",
        nargs=3,
        metavar=("NAME", "BASE_DIR", "OTHER_DIR"),
        help="instead of nulls: store the effect of a setting, from two replicate outputs",
    )
    args = parser.parse_args(argv)
    if args.effect:
        name, base, other = args.effect
        out = Path(args.out)
        stored = json.loads(out.read_text()) if out.exists() else {}
        text = effect(base, other)
        cmd = COMMAND + " " + shlex.join(sys.argv[1:])
        stored.setdefault("effects", {})[name] = {"text": text, "command": cmd}
        out.write_text(json.dumps(stored, indent=1))
        print(f"{name}: {text}")
        return 0
    only = [x.strip() for x in args.only.split(",")] if args.only else list(RUNS)
    if args.only_quick or args.only_full:
        only = [n for n in only if RUNS[n][2] == bool(args.only_quick)]
    extra = collect(args.dirs) if args.dirs else None
    result = measure(
        parse_seed_list(args.seeds), args.workers, args.backend, only, args.rundir, extra
    )
    out = Path(args.out)
    if out.exists():  # merge into what is stored: runs measured now replace theirs
        old = json.loads(out.read_text())
        runs = {**old.get("runs", {}), **result["runs"]}
        seeds = (
            {**old.get("seeds", {}), **result["seeds"]}
            if isinstance(old.get("seeds"), dict)
            else result["seeds"]
        )
        commands = old.get("commands", [old["command"]] if "command" in old else [])
        result = {
            **result,
            "runs": runs,
            "seeds": seeds,
            "commands": commands + [result["command"]],
            "effects": old.get("effects", {}),
        }
    out.write_text(json.dumps(result, indent=1))
    for name, per in result["runs"].items():
        for stat, sm in per.items():
            print(f"{name:<22} {stat:<22} mean {sm['mean']:8.3f}  sd {sm['sd']:7.3f}  n {sm['n']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
