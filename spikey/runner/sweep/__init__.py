"""``spikey sweep``: search an experiment's parameters, with Optuna or Ray Tune.

A trial runs the experiment over ``seeds`` with sampled parameters; its value is the mean
of ``metric`` over those seeds. Two words choose how (:mod:`~spikey.runner.sweep.spec`):

- ``searcher="optuna"`` (``--searcher optuna``): Optuna's TPE sampler (seeded) proposes the
  trials, which run in parallel on ``backend="process"``, a pool of ``workers`` processes
  (default one per core); ``scheduler="asha"`` is Optuna's successive-halving pruner, fed
  from the workers through the study's journal (:mod:`~spikey.runner.sweep.optuna_search`).
- ``searcher="tune"``: Ray Tune with ``OptunaSearch`` (the same seeded TPE) proposes them,
  and they run in parallel on ``backend="ray"``, one CPU per trial, locally or on the
  cluster at ``address``; ``scheduler="asha"`` is Tune's ASHA
  (:mod:`~spikey.runner.sweep.tune_search`).

Giving either word picks the other; by default (``"auto"``) Ray Tune on Ray when Ray is
installed, else Optuna on the process pool. Either way the study is kept in
``optuna.journal`` in the sweep directory, so rerunning the same sweep on the same ``out``
resumes it (finished trials kept, interrupted ones run again).

Early stopping needs intermediate values: experiments call
:func:`spikey.runner.hooks.report` (e.g. once per episode) with the metric under the name
the final Result uses; reports without that metric are ignored.

The modules: :mod:`~spikey.runner.sweep.spec` (``Param``, ``SweepSpec``: what a sweep is,
checked), :mod:`~spikey.runner.sweep.trials` (one trial), the two searchers,
:mod:`~spikey.runner.sweep.files` (the sweep directory) and :mod:`~spikey.runner.sweep.cli`
(the command line); :func:`sweep` is in :mod:`~spikey.runner.sweep.core`.
"""

from __future__ import annotations

from spikey.runner.sweep.cli import add_arguments, main
from spikey.runner.sweep.core import sweep
from spikey.runner.sweep.optuna_search import JOURNAL, STUDY, TrialTask
from spikey.runner.sweep.spec import Param, SweepSpec, parse_param
from spikey.runner.sweep.trials import trial_metrics
from spikey.runner.sweep.tune_search import RAY_TRIALS

__all__ = [
    "JOURNAL",
    "RAY_TRIALS",
    "STUDY",
    "Param",
    "SweepSpec",
    "TrialTask",
    "add_arguments",
    "main",
    "parse_param",
    "sweep",
    "trial_metrics",
]
