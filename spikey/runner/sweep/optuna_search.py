"""The Optuna searcher: TPE proposals, trials as jobs on the process pool.

The study lives in ``optuna.journal`` in the sweep directory, shared with the workers (a
trial reports its intermediate values there, so the successive-halving pruner of
``scheduler="asha"`` compares it with the others) and kept for a resume: rerun on the same
directory after a crash or a kill, finished trials are kept, trials that were running are
run again with the same parameters, and new ones fill up to ``samples``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from spikey.experiments.registry import Result
from spikey.extras import require
from spikey.runner.core import jobs_bar
from spikey.runner.job import Job
from spikey.runner.process import default_workers, run_pool
from spikey.runner.sweep.spec import SweepSpec
from spikey.runner.sweep.trials import need_metric, trial_metrics

JOURNAL = "optuna.journal"
STUDY = "spikey-sweep"


def study_storage(optuna, out: Path):
    """The study's journal in the sweep directory: shared by the workers, kept for resume.

    Parameters
    ----------
    optuna : module
        The optuna module.
    out : Path
        The sweep directory.

    Returns
    -------
    optuna.storages.JournalStorage
        Storage on ``out / JOURNAL``.
    """
    journal = optuna.storages.journal
    return optuna.storages.JournalStorage(journal.JournalFileBackend(str(out / JOURNAL)))


def pruner(optuna, scheduler):
    """Optuna's successive-halving pruner for ``"asha"``, else none.

    Parameters
    ----------
    optuna : module
        The optuna module.
    scheduler : str or None
        ``"asha"`` or None.

    Returns
    -------
    optuna.pruners.BasePruner
        The pruner.
    """
    if scheduler == "asha":
        return optuna.pruners.SuccessiveHalvingPruner()
    return optuna.pruners.NopPruner()


def reopen_interrupted(optuna, study, storage) -> None:
    """Trials left running by a killed sweep: close them, queue their parameters again."""
    states = optuna.trial.TrialState
    for t in study.get_trials(deepcopy=False, states=(states.RUNNING,)):
        storage.set_trial_user_attr(t._trial_id, "interrupted", True)
        study.tell(t.number, state=states.FAIL)
        study.enqueue_trial(t.params, user_attrs={"rerun_of": t.number})


def open_study(spec: SweepSpec, **sampling):
    """The sweep's study in ``spec.out`` (created, or loaded on a resume) with the direction
    of ``spec.mode``, its interrupted trials queued again (:func:`reopen_interrupted`).

    Parameters
    ----------
    spec : SweepSpec
        The sweep.
    **sampling
        ``sampler=`` and ``pruner=`` for ``optuna.create_study`` (the Optuna searcher's;
        Ray Tune's ``OptunaSearch`` brings its own sampler).

    Returns
    -------
    tuple
        ``(study, storage)``: the study and its journal storage.
    """
    optuna = require("optuna", "a sweep", "pip install optuna")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = study_storage(optuna, spec.out)
    study = optuna.create_study(
        study_name=STUDY,
        storage=storage,
        load_if_exists=True,
        direction="maximize" if spec.mode == "max" else "minimize",
        **sampling,
    )
    reopen_interrupted(optuna, study, storage)
    return study, storage


class TrialTask:
    """One Optuna trial as a job: the experiment over the seeds, pruned from the worker.

    Runs in a worker process. Intermediate reports go to the study through its journal
    (so the successive-halving pruner compares them with the other trials'); a pruned
    trial returns its last reported value with ``figures["pruned"] = True``.
    """

    def __init__(
        self,
        exp_name: str,
        base: dict,
        values: dict,
        seeds: Iterable[int],
        metric: str,
        func: Callable | None,
        out: str | Path,
        scheduler: str | None,
        trial_id: int,
    ):
        self.exp_name, self.base, self.values = exp_name, base, values
        self.seeds, self.metric, self.fn = list(seeds), metric, func
        self.out, self.scheduler, self.trial_id = str(out), scheduler, trial_id

    def __call__(self, config, seed, progress) -> Result:
        optuna = require("optuna", "a sweep", "pip install optuna")
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        study = optuna.load_study(
            study_name=STUDY,
            storage=study_storage(optuna, Path(self.out)),
            pruner=pruner(optuna, self.scheduler),
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
        need_metric(self.metric, final)
        return Result(metrics=final, figures={"pruned": False, "steps": step[0]})


def search(spec: SweepSpec, func: Callable | None, progress: bool | None) -> list[dict]:
    """Run the sweep's trials with Optuna on the process pool; return one row per trial.

    Parameters
    ----------
    spec : SweepSpec
        The sweep.
    func : callable or None
        The experiment's function when it must travel to the workers.
    progress : bool or None
        Show a progress bar (None: when stderr is a terminal).

    Returns
    -------
    list of dict
        ``trial``, ``state`` ("done", "stopped early", "error"), the metric, the
        parameters, ``steps``, ``seconds``, ``error``.
    """
    optuna = require("optuna", "a sweep", "pip install optuna")
    study, _ = open_study(
        spec,
        sampler=optuna.samplers.TPESampler(seed=spec.sampler_seed),
        pruner=pruner(optuna, spec.scheduler),
    )
    states = optuna.trial.TrialState
    kept = [t for t in study.get_trials(deepcopy=False) if not t.user_attrs.get("interrupted")]
    done_before = sum(t.state.is_finished() for t in kept)
    remaining = max(0, spec.samples - done_before)
    distributions = {
        p.name: (
            optuna.distributions.IntDistribution(int(p.low), int(p.high), log=p.log)
            if p.integer
            else optuna.distributions.FloatDistribution(p.low, p.high, log=p.log)
        )
        for p in spec.params
    }
    fresh = func is not None and not spec.reuse_workers
    exp, base, metric = spec.experiment, spec.base, spec.metric
    numbers = {}

    def trials():
        for _ in range(remaining):
            trial = study.ask(distributions)
            numbers[trial.number] = trial
            task = TrialTask(
                exp.name,
                base,
                trial.params,
                spec.seeds,
                metric,
                func,
                spec.out,
                spec.scheduler,
                trial._trial_id,
            )
            job = Job(f"{exp.name}[trial]", {**base, **trial.params}, trial.number, func=task)
            yield trial.number, job, fresh

    bar = jobs_bar(progress, spec.samples, spec.samples - remaining, "trials")

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
            run_pool(trials(), finish, workers=spec.workers or default_workers(), progress=False)
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
                **{p.name: t.params.get(p.name) for p in spec.params},
                "steps": t.user_attrs.get("steps", len(t.intermediate_values)),
                "seconds": t.user_attrs.get("seconds", float("nan")),
                "error": t.user_attrs.get("error", "") if state == "error" else "",
            }
        )
    return rows
