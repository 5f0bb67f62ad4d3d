"""The ``spikey sweep`` command line: flags to :func:`spikey.runner.sweep.sweep`, the best
trial to stdout."""

from __future__ import annotations

import argparse
import json
import os
import sys

from spikey.runner.cli_run import guarded, parse_sets
from spikey.runner.sweep.core import sweep
from spikey.runner.sweep.spec import BACKEND_SEARCHER, SEARCHER_BACKEND


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``spikey sweep``'s arguments to ``parser``."""
    parser.add_argument("experiment")
    parser.add_argument(
        "--param",
        action="append",
        required=True,
        metavar="KEY=LOW:HIGH[:log]",
        help="a parameter range to search (repeat for more)",
    )
    parser.add_argument("--samples", type=int, default=8, help="trials to run (default 8)")
    parser.add_argument("--metric", required=True, help="the Result metric to optimise")
    parser.add_argument("--mode", default="max", choices=("max", "min"))
    parser.add_argument(
        "--scheduler",
        default="none",
        choices=("none", "asha"),
        help="asha: stop weak trials early from per-episode reports",
    )
    # the two words of spec.py, each "auto" or one of its values there
    for flag, words, text in (
        ("--searcher", SEARCHER_BACKEND, "what proposes the trials: optuna (trials on the "
         "process pool) or tune (Ray Tune, trials on Ray); auto (default): follows "
         "--backend, else tune when Ray is installed"),
        ("--backend", BACKEND_SEARCHER, "where the trials run, as in spikey run: process (a "
         "pool of --workers processes, searcher optuna) or ray (Ray actors, searcher tune); "
         "auto (default): follows --searcher"),
    ):  # fmt: skip
        parser.add_argument(flag, default="auto", choices=("auto", *words), help=text)
    parser.add_argument("--seeds", default="0", help="seeds per trial; the metric is their mean")
    parser.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="fix a parameter for every trial"
    )
    parser.add_argument("--quick", action="store_true", help="short durations")
    parser.add_argument("--sampler-seed", type=int, default=0, help="seed of the TPE sampler")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="trials in parallel: process pool size / local Ray CPUs (default: all cores)",
    )
    parser.add_argument("--address", default=None, help="Ray cluster address")
    parser.add_argument("--out", default=None, help="sweep directory (default ./runs/sweep-...)")
    parser.add_argument("--json", action="store_true", help="last stdout line: one JSON object")


def main(args: argparse.Namespace) -> int:
    """Run the sweep and print the best trial; 1 when no trial finished with a finite metric."""
    return guarded("spikey sweep", _main, args)


def _main(args: argparse.Namespace) -> int:
    summary = sweep(
        args.experiment,
        args.param,
        samples=args.samples,
        metric=args.metric,
        mode=args.mode,
        scheduler=args.scheduler,
        backend=args.backend,
        searcher=args.searcher,
        seeds=args.seeds,
        config=parse_sets(args.set),
        quick=args.quick,
        out=args.out,
        sampler_seed=args.sampler_seed,
        address=args.address,
        workers=args.workers,
        progress=False if args.json else None,
    )
    rows = summary["trials"]
    counts = {s: sum(r["state"] == s for r in rows) for s in ("done", "stopped early", "error")}
    print(
        f"{summary['experiment']}: {len(rows)} trials, {summary['searcher']} on "
        f"{summary['backend']} "
        f"({', '.join(f'{n} {s}' for s, n in counts.items() if n)})"
    )
    if summary["best_params"] is None:
        print(
            f"no trial finished with a finite {args.metric!r}; expected at least one "
            "(each trial's value or error is in trials.csv)",
            file=sys.stderr,
        )
    else:
        shown = ", ".join(
            f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in summary["best_params"].items()
        )
        print(
            f"best {summary['metric']} = {summary['best_value']:.6g} (trial "
            f"{summary['best_trial']}): {shown}"
        )
    print(f"trial table: {os.path.join(summary['out'], 'trials.csv')}")
    if args.json:
        print(
            json.dumps(
                {k: v for k, v in summary.items() if k != "trials"}
                | {"n_trials": len(rows), "counts": counts},
                default=repr,
            )
        )
    return 0 if summary["best_params"] is not None else 1
