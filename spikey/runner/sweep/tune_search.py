"""The Ray Tune searcher: ``OptunaSearch`` proposals (seeded TPE), trials on Ray actors.

Trials run in parallel, one CPU each, actors reused (a user's function gets a fresh actor
per trial, like a job); ``scheduler="asha"`` is Tune's ASHA scheduler. The proposals come
from the same Optuna study in ``optuna.journal`` as the Optuna searcher's, so a rerun's
sampler knows every finished trial; each finished trial is appended to
``ray_trials.jsonl`` as it ends (Tune's own files, under ``tune/``, are never read back).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

from spikey.extras import require
from spikey.runner.ray_backend import ensure_ray
from spikey.runner.sweep.optuna_search import STUDY, open_study
from spikey.runner.sweep.spec import SweepSpec
from spikey.runner.sweep.trials import need_metric, trial_metrics

RAY_TRIALS = "ray_trials.jsonl"  # one JSON line per finished Tune trial, appended as each ends


def read_rows(path: Path) -> list:
    """The JSON lines of ``path`` that are whole rows (a torn last line is skipped)."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return rows
    for line in lines:
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and "state" in row:
            rows.append(row)
    return rows


def _tune_row(result: dict, config: dict, error, metric, names) -> dict:
    m = result or {}
    state = "error" if error else ("done" if m.get("spikey_final") else "stopped early")
    return {
        "trial": None,
        "state": state,
        metric: m.get(metric),
        **{name: (config or {}).get(name) for name in names},
        "steps": m.get("training_iteration", 0) - (1 if m.get("spikey_final") else 0),
        "seconds": round(m.get("time_total_s", float("nan")), 3),
        "error": str(error).strip().split("\n")[-1] if error else "",
        "trial_id": m.get("trial_id", ""),
    }


def trial_log(path, metric, names, base):
    """A Tune callback (built on ``ray.tune.Callback``) appending each finished trial's row."""

    class TrialLog(base):
        def _write(self, trial, error):
            row = _tune_row(trial.last_result, trial.config, error, metric, names)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(row, default=repr) + "\n")

        def on_trial_complete(self, iteration, trials, trial, **info):
            self._write(trial, None)

        def on_trial_error(self, iteration, trials, trial, **info):
            self._write(trial, trial.get_error() or "error")

    return TrialLog()


def fit_quietly(tuner):
    """``tuner.fit()`` with Ray's own loggers at WARNING."""
    quiet = [logging.getLogger(n) for n in ("ray.tune", "ray.train", "ray.air")]
    levels = [lg.level for lg in quiet]
    for lg in quiet:
        lg.setLevel(logging.WARNING)
    try:
        return tuner.fit()
    finally:
        for lg, level in zip(quiet, levels):
            lg.setLevel(level)


def search(spec: SweepSpec, func: Callable | None) -> list[dict]:
    """Run the sweep's trials with Ray Tune on Ray; return one row per trial.

    Parameters
    ----------
    spec : SweepSpec
        The sweep.
    func : callable or None
        The experiment's function when it must travel to the workers.

    Returns
    -------
    list of dict
        ``trial``, ``state`` ("done", "stopped early", "error"), the metric, the
        parameters, ``steps``, ``seconds``, ``error``, ``trial_id``.
    """
    ensure_ray(spec.address, spec.workers)
    tune = require("ray.tune", "the 'tune' searcher", "use --searcher optuna")
    OptunaSearch = require("ray.tune.search.optuna", "the 'tune' searcher").OptunaSearch

    space = {}
    for p in spec.params:
        if p.integer:
            space[p.name] = (tune.lograndint if p.log else tune.randint)(
                int(p.low), int(p.high) + 1
            )
        else:
            space[p.name] = (tune.loguniform if p.log else tune.uniform)(p.low, p.high)
    exp_name, seeds, base, metric = spec.experiment.name, list(spec.seeds), spec.base, spec.metric

    def trainable(config):
        def forward(m):
            if metric in m:
                tune.report({k: v for k, v in m.items() if isinstance(v, (int, float))})

        final = trial_metrics(exp_name, base, config, seeds, report=forward, func=func)
        need_metric(metric, final)
        tune.report({**final, "spikey_final": 1})

    sched = None
    if spec.scheduler == "asha":
        sched = tune.schedulers.ASHAScheduler(
            time_attr="training_iteration", grace_period=1, reduction_factor=2, max_t=10**6
        )
    _, storage = open_study(spec)
    log = spec.out / RAY_TRIALS
    remaining = spec.samples - len(read_rows(log))
    if remaining > 0:
        tuner = tune.Tuner(
            tune.with_resources(trainable, {"cpu": 1}),
            param_space=space,
            tune_config=tune.TuneConfig(
                metric=metric,
                mode=spec.mode,
                num_samples=remaining,
                # the study in out/optuna.journal: on a rerun the sampler knows every
                # finished trial, and an interrupted trial's parameters come first
                search_alg=OptunaSearch(seed=spec.sampler_seed, storage=storage, study_name=STUDY),
                scheduler=sched,
                # a user's function gets a fresh actor (process) per trial, like a job
                reuse_actors=func is None or spec.reuse_workers,
            ),
            run_config=tune.RunConfig(
                # Tune's own files are never read back (its restore unpickles them)
                name=f"tune-{time.strftime('%Y%m%d-%H%M%S')}",
                storage_path=str((spec.out / "tune").resolve()),
                verbose=0,
                failure_config=tune.FailureConfig(max_failures=1),
                callbacks=[trial_log(log, metric, [p.name for p in spec.params], tune.Callback)],
            ),
        )
        fit_quietly(tuner)
    return [{**row, "trial": i} for i, row in enumerate(read_rows(log))]
