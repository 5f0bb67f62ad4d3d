"""``spikey sweep``: search an experiment's parameters with Ray Tune, or Optuna alone.

Two engines run the same trial (the experiment over ``--seeds`` with sampled parameters;
its value is the mean of ``--metric`` over those seeds):

- ``ray``: Ray Tune, ``OptunaSearch`` (TPE, seeded) proposing configs and, with
  ``--scheduler asha``, ASHA stopping weak trials early. Trials run in parallel, one CPU
  each, actors reused; Tune's files go under the sweep directory.
- ``process``: plain Optuna (TPE, seeded); trials run in parallel on the process pool
  (``--workers``), the study kept in ``optuna.journal`` in the sweep directory, so a
  killed sweep resumes when rerun; ``--scheduler asha`` uses Optuna's successive-halving
  pruner, fed from the workers through that journal.

Early stopping needs intermediate values: experiments call
:func:`spikey.runner.hooks.report` (e.g. once per episode) with the metric under the
name the final Result uses; reports without that metric are ignored. The default engine
is ``ray`` when Ray is installed, else ``process``.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import logging
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from spikey.experiments import registry
from spikey.experiments.registry import Result
from spikey.extras import require
from spikey.module import ConfigError
from spikey.runner.cli_run import guarded, parse_sets
from spikey.runner.core import jobs_bar, parse_seeds, travelling_func
from spikey.runner.job import Job, call
from spikey.runner.process import default_workers, run_pool
from spikey.runner.ray_backend import ensure_ray


@dataclass(frozen=True)
class Param:
    """One searched parameter: ``low``..``high``, on a log scale or not, int or float."""

    name: str
    low: float
    high: float
    log: bool = False
    integer: bool = False

    def spec(self) -> str:
        return f"{self.name}={self.low:g}:{self.high:g}{':log' if self.log else ''}"


def parse_param(text: str, exp) -> Param:
    """``"key=low:high"`` or ``"key=low:high:log"``; the type follows the parameter's default.

    Every mistake is a ConfigError naming the flag, the text and what was expected."""
    if not isinstance(text, str) or "=" not in text:
        raise ConfigError(f"--param expects key=low:high[:log], got {text!r}")
    name, rng = (s.strip() for s in text.split("=", 1))
    exp.check_keys([name])
    parts = [p.strip() for p in rng.split(":")]
    log = len(parts) == 3 and parts[2] == "log"
    if len(parts) not in (2, 3) or (len(parts) == 3 and not log):
        raise ConfigError(f"--param {text!r}: expected low:high or low:high:log after '='")
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        raise ConfigError(f"--param {text!r}: low and high must be numbers") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ConfigError(f"--param {text!r}: low and high must be finite numbers")
    default = exp.defaults[name]
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        raise ConfigError(
            f"--param {text!r}: {name!r} defaults to {default!r}; expected a numeric "
            "parameter (only those can be swept)"
        )
    integer = isinstance(default, int)
    if not low < high:
        raise ConfigError(f"--param {text!r}: expected low < high")
    if log and low <= 0:
        raise ConfigError(f"--param {text!r}: a log range needs low > 0")
    if integer and (low != int(low) or high != int(high)):
        raise ConfigError(
            f"--param {text!r}: {name!r} is an integer parameter; expected integer bounds"
        )
    return Param(name, low, high, log, integer)


def trial_metrics(exp_name, base, params, seeds, report=None, func=None) -> dict:
    """Run the experiment over ``seeds`` with ``params`` set; the mean of each numeric metric.

    Exceptions propagate (the engine records the trial as failed)."""
    config = dict(base)
    for key, value in params.items():
        config[key] = int(round(value)) if isinstance(base[key], int) else float(value)
    sums: dict = {}
    for seed in seeds:
        result = call(Job(exp_name, config, int(seed), func=func), report=report)
        for key, value in result.metrics.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sums.setdefault(key, []).append(float(value))
    return {k: sum(v) / len(v) for k, v in sums.items() if len(v) == len(seeds)}


def _need(metric, metrics):
    if metric not in metrics:
        raise KeyError(f"the experiment returned no metric {metric!r}; it has {sorted(metrics)}")
    return metrics[metric]


# -- the Optuna engine ------------------------------------------------------------
JOURNAL = "optuna.journal"
STUDY = "spikey-sweep"


def _storage(optuna, out: Path):
    """The study's journal in the sweep directory: shared by the workers, kept for resume."""
    journal = optuna.storages.journal
    return optuna.storages.JournalStorage(journal.JournalFileBackend(str(out / JOURNAL)))


def _pruner(optuna, scheduler):
    if scheduler == "asha":
        return optuna.pruners.SuccessiveHalvingPruner()
    return optuna.pruners.NopPruner()


class TrialTask:
    """One Optuna trial as a job: the experiment over the seeds, pruned from the worker.

    Runs in a worker process. Intermediate reports go to the study through its journal
    (so the successive-halving pruner compares them with the other trials'); a pruned
    trial returns its last reported value with ``figures["pruned"] = True``.
    """

    def __init__(self, exp_name, base, values, seeds, metric, func, out, scheduler, trial_id):
        self.exp_name, self.base, self.values = exp_name, base, values
        self.seeds, self.metric, self.fn = list(seeds), metric, func
        self.out, self.scheduler, self.trial_id = str(out), scheduler, trial_id

    def __call__(self, config, seed, progress) -> Result:
        optuna = require("optuna", "a sweep", "pip install optuna")
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        study = optuna.load_study(
            study_name=STUDY,
            storage=_storage(optuna, Path(self.out)),
            pruner=_pruner(optuna, self.scheduler),
        )
        trial = optuna.trial.Trial(study, self.trial_id)
        step, last = [0], [None]

        def forward(m):
            if self.metric in m:
                last[0] = float(m[self.metric])
                trial.report(last[0], step[0])
                step[0] += 1
                if trial.should_prune():
                    raise optuna.TrialPruned()

        try:
            final = trial_metrics(
                self.exp_name, self.base, self.values, self.seeds, report=forward, func=self.fn
            )
        except optuna.TrialPruned:
            return Result(
                metrics={self.metric: last[0]}, figures={"pruned": True, "steps": step[0]}
            )
        _need(self.metric, final)
        return Result(metrics=final, figures={"pruned": False, "steps": step[0]})


def _sweep_optuna(
    exp,
    base,
    params,
    seeds,
    samples,
    metric,
    mode,
    scheduler,
    sampler_seed,
    func,
    out,
    progress,
    workers=None,
    reuse_workers=False,
):
    """Optuna with a TPE sampler; trials run in parallel on the process pool.

    The study lives in ``out/optuna.journal``. Rerun on the same directory after a crash
    or a kill: finished trials are kept, trials that were running are run again with the
    same parameters, and new ones fill up to ``samples``."""
    optuna = require("optuna", "a sweep", "pip install optuna")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = _storage(optuna, out)
    study = optuna.create_study(
        study_name=STUDY,
        storage=storage,
        load_if_exists=True,
        direction="maximize" if mode == "max" else "minimize",
        sampler=optuna.samplers.TPESampler(seed=sampler_seed),
        pruner=_pruner(optuna, scheduler),
    )
    states = optuna.trial.TrialState
    _reopen_interrupted(optuna, study, storage)
    kept = [t for t in study.get_trials(deepcopy=False) if not t.user_attrs.get("interrupted")]
    done_before = sum(t.state.is_finished() for t in kept)
    remaining = max(0, samples - done_before)
    distributions = {
        p.name: (
            optuna.distributions.IntDistribution(int(p.low), int(p.high), log=p.log)
            if p.integer
            else optuna.distributions.FloatDistribution(p.low, p.high, log=p.log)
        )
        for p in params
    }
    fresh = func is not None and not reuse_workers
    numbers = {}

    def trials():
        for _ in range(remaining):
            trial = study.ask(distributions)
            numbers[trial.number] = trial
            task = TrialTask(
                exp.name,
                base,
                trial.params,
                seeds,
                metric,
                func,
                out,
                scheduler,
                trial._trial_id,
            )
            job = Job(f"{exp.name}[trial]", {**base, **trial.params}, trial.number, func=task)
            yield trial.number, job, fresh

    bar = jobs_bar(progress, samples, samples - remaining, "trials")

    def finish(number, outcome):
        trial = numbers.pop(number)
        result = outcome.result
        trial.set_user_attr("seconds", round(outcome.seconds, 3))
        if result is None:
            trial.set_user_attr("error", outcome.error or "")
            study.tell(trial, state=states.FAIL)
        elif result.figures.get("pruned"):
            trial.set_user_attr("steps", result.figures["steps"])
            study.tell(trial, state=states.PRUNED)
        else:
            trial.set_user_attr("steps", result.figures.get("steps", 0))
            study.tell(trial, float(result.metrics[metric]))
        bar.update(1)

    try:
        if remaining:
            run_pool(trials(), finish, workers=workers or default_workers(), progress=False)
    finally:
        bar.close()
    rows = []
    for t in study.get_trials(deepcopy=False):
        if t.user_attrs.get("interrupted") or not t.state.is_finished():
            continue
        state = {"COMPLETE": "done", "PRUNED": "stopped early", "FAIL": "error"}[t.state.name]
        value = t.value
        if value is None and t.intermediate_values:
            value = t.intermediate_values[max(t.intermediate_values)]
        rows.append(
            {
                "trial": t.number,
                "state": state,
                metric: value,
                **{p.name: t.params.get(p.name) for p in params},
                "steps": t.user_attrs.get("steps", len(t.intermediate_values)),
                "seconds": t.user_attrs.get("seconds", float("nan")),
                "error": t.user_attrs.get("error", "") if state == "error" else "",
            }
        )
    return rows


# -- the Ray Tune engine --------------------------------------------------------------
def _sweep_ray(
    exp,
    base,
    params,
    seeds,
    samples,
    metric,
    mode,
    scheduler,
    sampler_seed,
    func,
    out,
    address,
    workers,
    reuse_workers=False,
):
    ensure_ray(address, workers)
    tune = require("ray.tune", "the 'ray' sweep engine", "use --backend process")
    OptunaSearch = require("ray.tune.search.optuna", "the 'ray' sweep engine").OptunaSearch

    space = {}
    for p in params:
        if p.integer:
            space[p.name] = (tune.lograndint if p.log else tune.randint)(
                int(p.low), int(p.high) + 1
            )
        else:
            space[p.name] = (tune.loguniform if p.log else tune.uniform)(p.low, p.high)
    exp_name, seeds = exp.name, list(seeds)

    def trainable(config):
        def forward(m):
            if metric in m:
                tune.report({k: v for k, v in m.items() if isinstance(v, (int, float))})

        final = trial_metrics(exp_name, base, config, seeds, report=forward, func=func)
        _need(metric, final)
        tune.report({**final, "spikey_final": 1})

    sched = None
    if scheduler == "asha":
        sched = tune.schedulers.ASHAScheduler(
            time_attr="training_iteration", grace_period=1, reduction_factor=2, max_t=10**6
        )
    optuna = require("optuna", "a sweep", "pip install optuna")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study_storage = _storage(optuna, out)
    study = optuna.create_study(
        study_name=STUDY,
        storage=study_storage,
        load_if_exists=True,
        direction="maximize" if mode == "max" else "minimize",
    )
    _reopen_interrupted(optuna, study, study_storage)
    log = Path(out) / RAY_TRIALS
    remaining = samples - len(_read_rows(log))
    if remaining > 0:
        tuner = tune.Tuner(
            tune.with_resources(trainable, {"cpu": 1}),
            param_space=space,
            tune_config=tune.TuneConfig(
                metric=metric,
                mode=mode,
                num_samples=remaining,
                # the study in out/optuna.journal: on a rerun the sampler knows every
                # finished trial, and an interrupted trial's parameters come first
                search_alg=OptunaSearch(seed=sampler_seed, storage=study_storage, study_name=STUDY),
                scheduler=sched,
                # a user's function gets a fresh actor (process) per trial, like a job
                reuse_actors=func is None or reuse_workers,
            ),
            run_config=tune.RunConfig(
                # Tune's own files are never read back (its restore unpickles them)
                name=f"tune-{time.strftime('%Y%m%d-%H%M%S')}",
                storage_path=str((Path(out) / "tune").resolve()),
                verbose=0,
                failure_config=tune.FailureConfig(max_failures=1),
                callbacks=[_TrialLog(log, metric, [p.name for p in params], tune.Callback)],
            ),
        )
        _fit_quietly(tuner)
    return [{**row, "trial": i} for i, row in enumerate(_read_rows(log))]


RAY_TRIALS = "ray_trials.jsonl"  # one JSON line per finished Tune trial, appended as each ends


def _reopen_interrupted(optuna, study, storage) -> None:
    """Trials left running by a killed sweep: close them, queue their parameters again."""
    states = optuna.trial.TrialState
    for t in study.get_trials(deepcopy=False, states=(states.RUNNING,)):
        storage.set_trial_user_attr(t._trial_id, "interrupted", True)
        study.tell(t.number, state=states.FAIL)
        study.enqueue_trial(t.params, user_attrs={"rerun_of": t.number})


def _read_rows(path: Path) -> list:
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


def _TrialLog(path, metric, names, base):
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


def _fit_quietly(tuner):
    quiet = [logging.getLogger(n) for n in ("ray.tune", "ray.train", "ray.air")]
    levels = [lg.level for lg in quiet]
    for lg in quiet:
        lg.setLevel(logging.WARNING)
    try:
        return tuner.fit()
    finally:
        for lg, level in zip(quiet, levels):
            lg.setLevel(level)


def sweep(
    experiment,
    params,
    samples=8,
    metric=None,
    mode="max",
    scheduler=None,
    backend="auto",
    seeds=(0,),
    config=None,
    quick=False,
    out=None,
    sampler_seed=0,
    address=None,
    workers=None,
    progress=False,
    reuse_workers=False,
) -> dict:
    """Search ``params`` of ``experiment``; write ``trials.csv`` and ``best.json`` to ``out``.

    Parameters
    ----------
    params : list of str or Param
        ``"key=low:high"`` or ``"key=low:high:log"``.
    metric, mode : str
        The Result metric to optimise and ``"max"`` or ``"min"``.
    scheduler : {None, "asha"}
        Stop weak trials early from the experiment's intermediate reports.
    backend : {"auto", "ray", "process"}
        ``ray``: Ray Tune; ``process``: Optuna, trials on a process pool of ``workers``
        (default one per core); ``auto``: ray when installed. Both run trials in parallel.
        Rerunning the same sweep on the same ``out`` resumes it (Optuna engine: finished
        trials kept, interrupted ones run again).
    reuse_workers : bool
        Let trials of a user's function share worker processes (by default each gets a
        fresh one, as jobs do; built-in experiments always share).

    Returns
    -------
    dict
        ``best_params``, ``best_value``, ``best_trial``, ``trials`` (rows), ``engine``, ``out``.
    """
    exp = registry.get(experiment) if isinstance(experiment, str) else experiment
    if not metric:
        raise ConfigError("sweep needs the metric to optimise (--metric NAME)")
    exp.check_metric(metric)
    if mode not in ("max", "min"):
        raise ConfigError(f"--mode got {mode!r}; expected 'max' or 'min'")
    if scheduler not in (None, "none", "asha"):
        raise ConfigError(f"--scheduler got {scheduler!r}; expected 'asha' or none")
    scheduler = None if scheduler == "none" else scheduler
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ConfigError(f"--samples got {samples!r}; expected an integer >= 1")
    if isinstance(params, str):
        params = [params]
    params = [p if isinstance(p, Param) else parse_param(p, exp) for p in params]
    if not params:
        raise ConfigError("sweep needs at least one --param key=low:high[:log]")
    if len({p.name for p in params}) != len(params):
        raise ConfigError("each parameter may be given to --param once")
    seeds = parse_seeds(seeds)
    base = exp.resolve(config, quick=quick)
    func = travelling_func(exp)
    engine = backend
    if backend == "auto":
        engine = "ray" if importlib.util.find_spec("ray") is not None else "process"
    if engine not in ("ray", "process"):
        raise ConfigError(f"--backend got {backend!r}; expected 'ray', 'process' or 'auto'")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ConfigError(f"--workers got {workers!r}; expected an integer >= 1")
    if isinstance(sampler_seed, bool) or not isinstance(sampler_seed, int):
        raise ConfigError(f"--sampler-seed got {sampler_seed!r}; expected an integer")
    spec = {
        "experiment": exp.name,
        "config_hash": registry.config_hash(base),
        "params": [p.spec() for p in params],
        "samples": int(samples),
        "metric": metric,
        "mode": mode,
        "scheduler": scheduler,
        "seeds": seeds,
        "sampler_seed": sampler_seed,
    }
    if out is None:
        tag = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
        out = Path("runs") / f"sweep-{exp.name}-{tag}"
    out = Path(out)
    _check_or_start(out, {**spec, "engine": engine}, base)
    args = (exp, base, params, seeds, int(samples), metric, mode, scheduler, sampler_seed, func)
    if engine == "ray":
        rows = _sweep_ray(
            *args, out=out, address=address, workers=workers, reuse_workers=reuse_workers
        )
    else:
        rows = _sweep_optuna(
            *args, out=out, progress=progress, workers=workers, reuse_workers=reuse_workers
        )
    done = [r for r in rows if r["state"] == "done" and _finite(r[metric])]
    best = (max if mode == "max" else min)(done, key=lambda r: r[metric]) if done else None
    summary = {
        "experiment": exp.name,
        "engine": engine,
        "metric": metric,
        "mode": mode,
        "best_value": best[metric] if best else None,
        "best_params": {p.name: best[p.name] for p in params} if best else None,
        "best_trial": best["trial"] if best else None,
        "trials": rows,
        "out": str(out),
    }
    _writing(out / "trials.csv", lambda path: _write_table(path, rows))
    _writing(
        out / "best.json",
        lambda path: path.write_text(
            json.dumps(
                {
                    k: summary[k]
                    for k in (
                        "experiment",
                        "engine",
                        "metric",
                        "mode",
                        "best_value",
                        "best_params",
                        "best_trial",
                    )
                },
                indent=2,
                default=repr,
            )
        ),
    )
    return summary


def _writing(path: Path, write) -> None:
    """``write(path)``; an OSError (read-only, disk full) becomes one clear ConfigError."""
    try:
        write(path)
    except OSError as err:
        raise ConfigError(
            f"cannot write {path}: {err.strerror or type(err).__name__}; pass another --out"
        ) from None


def _check_or_start(out: Path, spec: dict, base: dict) -> None:
    """Start ``out/sweep.json``, or check that the sweep found there is this one (a resume;
    only ``samples`` may differ)."""
    target = out / "sweep.json"
    if target.exists():
        try:
            old = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise ConfigError(
                f"sweep directory {out}: sweep.json is unreadable; pass another --out"
            ) from None
        same = isinstance(old, dict) and all(
            old.get(k) == v for k, v in json.loads(json.dumps(spec)).items() if k != "samples"
        )
        if not same:
            raise ConfigError(
                f"sweep directory {out} holds another sweep ({target}); pass another --out "
                "to start a new one (a rerun resumes only the same sweep)"
            )
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ConfigError(
            f"cannot create the sweep directory {out}: {err.strerror}; pass another --out"
        ) from None
    doc = {**spec, "config": registry.plain(base)}
    _writing(target, lambda path: path.write_text(json.dumps(doc, indent=2, default=repr)))


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v)


def _write_table(path, rows):
    names = []
    for r in rows:
        names.extend(k for k in r if k not in names)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=names)
        w.writeheader()
        w.writerows(rows)


# -- CLI ---------------------------------------------------------------------------------
def add_arguments(parser):
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
    parser.add_argument(
        "--backend",
        default="auto",
        choices=("auto", "ray", "process"),
        help="ray: Ray Tune (parallel); process: Optuna in this process; "
        "auto (default): ray when installed",
    )
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


def main(args) -> int:
    return guarded("spikey sweep", _main, args)


def _main(args) -> int:
    summary = sweep(
        args.experiment,
        args.param,
        samples=args.samples,
        metric=args.metric,
        mode=args.mode,
        scheduler=args.scheduler,
        backend=args.backend,
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
        f"{summary['experiment']}: {len(rows)} trials on {summary['engine']} "
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
