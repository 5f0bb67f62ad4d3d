"""Null distributions of the replication's statistics: what chance alone gives.

Rerun (writes ``nulls.json`` next to this file)::

    python -m spikey.experiments.izh2007.nulls --seeds 100-111 --only-quick \
        --rundir /tmp/nulls-run --workers 2
    python -m spikey.experiments.izh2007.nulls --seeds 0-29 --only-full \
        --rundir /tmp/rep_sets/jobs   # the control jobs of benchmarks/replicate_sets.py

Each null is a statistic of a run in which the effect cannot happen: the no-reward controls
of Figs. 1–3 (Fig. 3's over 800 trials, so that the same run gives the null of P(B wins)
after a "reversal"), and for Fig. 4 the never-paired stimulus CSX (gain) and two untrained
stimuli before training (margins). The quick run's nulls come from seeds 100–111, disjoint
from the seeds 0–41 the quick runs are judged on (issue 19); the full run's from the control
jobs of ``spikey replicate`` runs (``--from``: their ``results.json``; ``--rundir``: a run
directory's finished jobs) plus runs of their own. Every threshold is printed in
the report beside the mean and sd of its null.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import subprocess
import sys
import time
from pathlib import Path

from spikey.experiments import registry
from spikey.runner.core import Job, run_jobs

PATH = Path(__file__).with_name("nulls.json")

#: name -> (experiment, overrides, quick, statistics taken from its metrics)
RUNS = {
    "fig1 no reward": (
        "izh2007.fig1",
        {"reward": False},
        False,
        ("target_final_mV", "target_rank_pct"),
    ),
    "fig1 no reward quick": (
        "izh2007.fig1",
        {"reward": False},
        True,
        ("target_final_mV", "target_rank_pct"),
    ),
    "fig2 no reward": (
        "izh2007.fig2",
        {"reward": False},
        False,
        ("response_ratio_end", "weight_ratio_end", "response_ratio_start"),
    ),
    "fig2 no reward quick": (
        "izh2007.fig2",
        {"reward": False},
        True,
        ("response_ratio_end", "weight_ratio_end", "response_ratio_start"),
    ),
    "fig3 no reward": (
        "izh2007.fig3",
        {"reward": False},
        False,
        ("p_a_last", "p_a_gain", "w_sa_minus_sb", "p_b_after_reversal", "p_b_change"),
    ),
    "fig3 no reward quick": (
        "izh2007.fig3",
        {"reward": False},
        True,
        ("p_a_gain", "w_sa_minus_sb"),
    ),
    "fig4": (
        "izh2007.fig4",
        {},
        False,
        (
            "CSX_gain_phase1",
            "CSX_gain_phase2",
            "CS1_minus_CSX_before",
            "CS2_minus_CSX_before",
            "CS1_minus_US_before",
            "CS2_minus_US_before",
        ),
    ),
    "fig4 quick": (
        "izh2007.fig4",
        {},
        True,
        (
            "CSX_gain_phase1",
            "CSX_gain_phase2",
            "CS1_minus_CSX_before",
            "CS2_minus_CSX_before",
            "CS1_minus_US_before",
            "CS2_minus_US_before",
        ),
    ),
}

#: (plan label, criterion, quick) -> (null run, statistic): the null each threshold is set against
NULL_OF = {
    **{
        ("fig1", c, q): ("fig1 no reward" + (" quick" if q else ""), s)
        for q in (False, True)
        for c, s in (
            ("target_weight_mV", "target_final_mV"),
            ("target_weight_quorum_mV", "target_final_mV"),
            ("target_rank_pct", "target_rank_pct"),
            ("target_rank_quorum_pct", "target_rank_pct"),
            ("target_rank_99", "target_rank_pct"),
        )
    },
    **{
        (label, c, q): ("fig2 no reward" + (" quick" if q else ""), s)
        for q in (False, True)
        for label, c, s in (
            ("fig2", "response_ratio_end", "response_ratio_end"),
            ("fig2", "response_ratio_floor", "response_ratio_end"),
            ("fig2", "weight_ratio_end", "weight_ratio_end"),
            ("fig2", "response_ratio_start", "response_ratio_start"),
            ("fig2 no reward", "control_response_ratio_end", "response_ratio_end"),
            ("fig2 no reward", "control_weight_ratio_end", "weight_ratio_end"),
            ("fig2 no reward", "response_ratio_start", "response_ratio_start"),
        )
    },
    **{
        (label, c, False): ("fig3 no reward", s)
        for label in ("fig3", "fig3-rpe")
        for c, s in (
            ("p_a_wins_last", "p_a_last"),
            ("p_a_gain", "p_a_gain"),
            ("w_s_to_a_minus_s_to_b", "w_sa_minus_sb"),
            ("p_b_wins_after_reversal", "p_b_after_reversal"),
        )
    },
    ("fig3 no reward", "control_p_a_gain", False): ("fig3 no reward", "p_a_gain"),
    ("fig3 no reward", "control_p_a_wins_last", False): ("fig3 no reward", "p_a_last"),
    ("fig3 no reward", "control_w_s_to_a_minus_s_to_b", False): ("fig3 no reward", "w_sa_minus_sb"),
    ("fig3 no reward", "control_p_b_wins_after_reversal", False): (
        "fig3 no reward",
        "p_b_after_reversal",
    ),
    ("fig3 no reward", "control_p_b_change", False): ("fig3 no reward", "p_b_change"),
    ("fig3", "w_s_to_a_minus_s_to_b", True): ("fig3 no reward quick", "w_sa_minus_sb"),
    ("fig3", "p_a_gain", True): ("fig3 no reward quick", "p_a_gain"),
    ("fig3 no reward", "control_w_s_to_a_minus_s_to_b", True): (
        "fig3 no reward quick",
        "w_sa_minus_sb",
    ),
    **{
        ("fig4", f"{cs}_{what}_phase{k}", q): ("fig4" + (" quick" if q else ""), f"{s}")
        for q in (False, True)
        for k, cs in ((1, "CS1"), (2, "CS2"))
        for what, s in (
            ("gain", f"CSX_gain_phase{k}"),
            ("minus_US", f"{cs}_minus_US_before"),
            ("minus_CSX", f"{cs}_minus_CSX_before"),
            ("minus_CSX_floor", f"{cs}_minus_CSX_before"),
        )
    },
}


def summary(values) -> dict:
    """mean, sd (n - 1), min, max and the values of a null sample (NaNs dropped)."""
    vals = [float(v) for v in values if not math.isnan(float(v))]
    n = len(vals)
    mean = sum(vals) / n if n else float("nan")
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / (n - 1)) if n > 1 else float("nan")
    return {
        "n": n,
        "mean": mean,
        "sd": sd,
        "min": min(vals) if vals else float("nan"),
        "max": max(vals) if vals else float("nan"),
        "values": vals,
    }


def load(path=PATH) -> dict:
    """The stored nulls (``{}`` when none are stored)."""
    path = Path(path)
    return json.loads(path.read_text()) if path.exists() else {}


def null_for(nulls: dict, label: str, criterion: str, quick: bool) -> dict | None:
    """The null summary behind ``criterion`` of plan entry ``label`` (None if none)."""
    key = NULL_OF.get((label, criterion, bool(quick)))
    if key is None or key[0] not in nulls.get("runs", {}):
        return None
    return nulls["runs"][key[0]].get(key[1])


#: null run -> the ``spikey replicate`` plan label whose jobs are that run (full runs only)
FROM_PLAN = {
    "fig1 no reward": "fig1 no reward",
    "fig2 no reward": "fig2 no reward",
    "fig3 no reward": "fig3 no reward",
    "fig4": "fig4",
}


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


#: config keys that are pass thresholds: they do not change a run, so a stored run matches a
#: null run whatever they were when it ran
THRESHOLDS = {
    "target_min_mV",
    "target_quorum_mV",
    "rank_min_pct",
    "rank_quorum_pct",
    "control_max_mV",
    "response_ratio_min",
    "response_ratio_floor",
    "weight_ratio_min",
    "start_ratio_tol",
    "p_min",
    "p_paired_min",
    "p_gain_min",
    "control_gain_max",
    "control_change_max",
    "p_b_min",
    "w_gap_min",
    "control_w_gap_max",
    "gain_min",
    "margin_min",
    "margin_floor",
}


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
        "command": "python -m spikey.experiments.izh2007.nulls " + shlex.join(sys.argv[1:]),
        "commit": commit,
        "seeds": seeds_used,
        "wall_s": time.perf_counter() - start,
        "errors": errors,
        "runs": runs,
    }


#: the metrics an effect compares, per plan label
EFFECT_METRICS = {
    "fig1": (
        "target_final_mV",
        "target_rank_pct",
        "mean_exc_weight",
        "rate_hz",
        "rewards_per_hour",
    ),
    "fig2": ("response_ratio_end", "weight_ratio_end", "rate_hz"),
    "fig3": ("p_a_last", "w_sa_minus_sb"),
    "fig4": ("CS1_gain_phase1", "CS1_minus_CSX_phase1", "CS2_gain_phase2", "CS2_minus_CSX_phase2"),
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

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
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
        cmd = "python -m spikey.experiments.izh2007.nulls " + shlex.join(sys.argv[1:])
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
