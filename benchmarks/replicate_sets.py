"""Full replication on disjoint 3-seed sets: per set the verdict, the extension's verdict,
the gating claims that fail and the wall time; then, over every seed run, each gating
claim's success rate with its 95 % Wilson interval (issue 19's goals).

    nice -n 10 python benchmarks/replicate_sets.py --sets 0-9 --work /tmp/rep_sets

Each set is ``spikey replicate izhikevich2007 --seed-list 3k..3k+2`` in a subprocess, with
one shared ``--rundir`` (finished jobs are kept: a rerun skips them; the wall time of a
resumed set is then not its cost, so it is printed as such). Writes ``WORK/sets.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from spikey.experiments.plan import aggregate, wilson
from spikey.experiments.registry import Criterion, Result


def parse_range(text: str) -> list[int]:
    """``"0-9"`` or ``"0,3,5"`` -> the list of set indices."""
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def run_set(k: int, work: Path, workers: int, extra: list[str]) -> dict:
    """Run set ``k`` (seeds 3k..3k+2); return its verdicts, failing claims and wall time."""
    seeds = f"{3 * k}-{3 * k + 2}"
    out = work / f"set{k:02d}"
    cmd = [
        sys.executable,
        "-m",
        "spikey.cli",
        "replicate",
        "izhikevich2007",
        "--seed-list",
        seeds,
        "--workers",
        str(workers),
        "--out",
        str(out),
        "--rundir",
        str(work / "jobs"),
        *extra,
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    path = out / "results.json"
    if not path.exists():
        return {"set": k, "seeds": seeds, "error": proc.stderr[-2000:], "wall_s": wall}
    data = json.loads(path.read_text())
    failing = [
        f"{c['label']}/{c['criterion']} ({sum(c['passed'])}/{len(c['passed'])})"
        for c in data["criteria"]
        if c["gating"] and not c["ok"]
    ]
    resumed = sum(1 for j in data["jobs"] if j.get("seconds", 0) == 0)
    return {
        "set": k,
        "seeds": seeds,
        "passed": data["passed"],
        "extension_passed": data.get("extension_passed"),
        "failing": failing,
        "wall_s": wall,
        "job_wall_s": data.get("wall_s"),
        "resumed_jobs": resumed,
    }


def rows_of(work: Path, sets: list[int]) -> list[dict]:
    """The jobs of the sets' ``results.json``, their criteria judged again from the stored
    metrics by today's criteria functions and thresholds (so a set run before a rule
    changed is judged by today's rules); the paired claims added."""
    from spikey.experiments import registry
    from spikey.experiments.izh2007 import PAIRED, PLAN, fig1, fig2, fig3, fig4
    from spikey.experiments.plan import add_paired

    judges = {
        "izh2007.fig1": fig1,
        "izh2007.fig2": fig2,
        "izh2007.fig3": fig3,
        "izh2007.fig3-rpe": fig3,
        "izh2007.fig4": fig4,
    }
    overrides = {e.label: e.overrides for e in PLAN}
    rows = []
    for k in sets:
        path = work / f"set{k:02d}" / "results.json"
        if not path.exists():
            continue
        for job in json.loads(path.read_text())["jobs"]:
            if "criteria" not in job:
                rows.append({**job, "result": None, "error": job.get("error") or "missing"})
                continue
            res = Result(metrics=dict(job["metrics"]))
            module = judges.get(job["experiment"])
            if module is not None:
                config = registry.get(job["experiment"]).resolve(overrides[job["label"]])
                module.criteria(res, res.metrics, config)
            else:  # deterministic (fig1-synapse): its stored criteria
                for name, c in job["criteria"].items():
                    thr = c["threshold"]
                    thr = tuple(thr) if isinstance(thr, list) else thr
                    value = float("nan") if c["value"] is None else c["value"]
                    res.criteria.append(Criterion(name, value, c["op"], thr, c["gating"]))
            config = registry.get(job["experiment"]).resolve(overrides[job["label"]])
            rows.append({**job, "config": config, "result": res, "error": None})
    return add_paired(rows, PAIRED)


def rejudge(work: Path, k: int) -> tuple[bool, bool, list[str]]:
    """Set ``k`` judged by today's rules: (paper passed, extension passed, failing claims)."""
    from spikey.experiments.izh2007 import SEED_QUORUM

    lines = aggregate(rows_of(work, [k]), SEED_QUORUM)
    failing = [
        f"{x['label']}/{x['criterion']} ({sum(x['passed'])}/{len(x['passed'])})"
        for x in lines
        if x["gating"] and not x["ok"]
    ]
    paper = not [f for f in failing if not f.startswith("fig3-rpe/")]
    ext = not [f for f in failing if f.startswith("fig3-rpe/")]
    return paper, ext, failing


def claim_rates(work: Path, sets: list[int]) -> list[dict]:
    """Per gating claim over every seed of ``sets``: seeds meeting it, rate, Wilson 95 %."""
    from spikey.experiments.izh2007 import SEED_QUORUM

    lines = aggregate(rows_of(work, sets), SEED_QUORUM)
    out = []
    for line in lines:
        if not line["gating"]:
            continue
        n, k = len(line["passed"]), sum(line["passed"])
        out.append(
            {
                "label": line["label"],
                "criterion": line["criterion"],
                "passing": k,
                "seeds": n,
                "rate": k / n,
                "wilson95": wilson(k, n),
                "rule": line["rule"],
            }
        )
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="0-9", help="set indices k (seeds 3k..3k+2), e.g. 0-9")
    ap.add_argument("--work", default="/tmp/rep_sets", help="output folder")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--rates-only",
        action="store_true",
        help="run nothing: judge the stored sets again and print the claim rates",
    )
    ap.add_argument("extra", nargs="*", help="more spikey replicate options, after --")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    sets = parse_range(args.sets)
    results = []
    if not args.rates_only:
        print(f"{'set':>4} {'seeds':>6} {'paper':>6} {'ext':>5} {'wall s':>7}  failing claims")
        for k in sets:
            r = run_set(k, work, args.workers, args.extra)
            results.append(r)
            if "error" in r:
                print(f"{k:>4} {r['seeds']:>6}  ERROR {r['error'][-300:]}", flush=True)
                continue
            note = f" ({r['resumed_jobs']} jobs resumed)" if r["resumed_jobs"] else ""
            print(
                f"{k:>4} {r['seeds']:>6} {'PASS' if r['passed'] else 'FAIL':>6} "
                f"{'PASS' if r['extension_passed'] else 'FAIL':>5} {r['wall_s']:7.0f}  "
                + (", ".join(r["failing"]) or "—")
                + note,
                flush=True,
            )
        done = [r for r in results if "error" not in r]
        print(
            f"paper PASS on {sum(r['passed'] for r in done)} of {len(results)} sets; extension "
            f"PASS on {sum(bool(r['extension_passed']) for r in done)} of {len(results)}"
        )
    print("\njudged again from the stored metrics by today's rules:")
    for k in sets:
        if (work / f"set{k:02d}" / "results.json").exists():
            paper, ext, failing = rejudge(work, k)
            print(
                f"{k:>4} {3 * k}-{3 * k + 2:<4} {'PASS' if paper else 'FAIL':>6} "
                f"{'PASS' if ext else 'FAIL':>5}  " + (", ".join(failing) or "—")
            )
    rates = claim_rates(work, sets)
    print(f"\n{'claim':<44} {'seeds':>7} {'rate':>5}  95 % CI      rule")
    for c in rates:
        lo, hi = c["wilson95"]
        print(
            f"{c['label'] + ' / ' + c['criterion']:<44} {c['passing']:>3}/{c['seeds']:<3} "
            f"{c['rate']:5.2f}  {lo:.2f}–{hi:.2f}  {c['rule']}"
        )
    (work / "sets.json").write_text(json.dumps({"sets": results, "rates": rates}, indent=1))


if __name__ == "__main__":
    main()
