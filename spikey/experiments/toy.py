"""Tiny experiments for testing and benchmarking the runner (no network involved).

``toy.noise`` spends about ``duration_s`` of CPU time and returns metrics drawn from the
job's Generator, so its numbers depend on (seed, config) only. Its ``score`` peaks at
``x = 0.3``, ``lr = 0.01``: a sweep has a known optimum to find. It reports a score per
episode through :func:`spikey.runner.hooks.report`, which lets ASHA stop weak trials.

``toy.fail`` raises, or kills its own process, for the seeds listed, optionally only once
per seed (``once_dir``), to test that failures are recorded and dead workers retried.
"""

from __future__ import annotations

import math
import os
import signal
import time
from pathlib import Path

from spikey.experiments.registry import Result, job_rng, register
from spikey.runner.hooks import report


def _burn(cpu_seconds: float) -> int:
    """Spin for ``cpu_seconds`` of this thread's CPU time (not wall time: a shared core
    makes the job take longer, as real work would). Returns the loop count (not used)."""
    end = time.thread_time() + cpu_seconds
    n = 0
    while time.thread_time() < end:
        for _ in range(2000):
            n += 1
    return n


def target_score(x: float, lr: float) -> float:
    """The noiseless score ``toy.noise`` approaches: 1 at (x=0.3, lr=0.01)."""
    return 1.0 - (x - 0.3) ** 2 - 0.25 * (math.log10(lr) + 2.0) ** 2


@register(
    "toy.noise",
    defaults={"duration_s": 0.2, "n_episodes": 5, "x": 0.0, "lr": 0.1, "noise": 0.01},
    quick={"duration_s": 0.02},
    description="runner test: burns ~duration_s of CPU, seeded noisy score (best x=0.3, lr=0.01)",
    metrics=["score", "mean_score", "draw_sum"],
    hidden=True,
)
def noise(config, seed, progress) -> Result:
    n_ep = int(config["n_episodes"])
    if n_ep < 1:
        raise ValueError(f"toy.noise: key 'n_episodes' got {n_ep!r}; expected an integer >= 1")
    if config["lr"] <= 0:
        raise ValueError(f"toy.noise: key 'lr' got {config['lr']!r}; expected a number > 0")
    rng = job_rng(seed, config)
    goal = target_score(float(config["x"]), float(config["lr"]))
    draws = rng.standard_normal((n_ep, 64))
    scores = []
    bar = progress(total=n_ep, desc="episodes")
    for ep in range(n_ep):
        _burn(float(config["duration_s"]) / n_ep)
        score = goal * (ep + 1) / n_ep + float(config["noise"]) * draws[ep].mean()
        scores.append(score)
        report({"score": score}, step=ep)
        bar.update(1)
    bar.close()
    res = Result(
        metrics={
            "score": scores[-1],
            "mean_score": sum(scores) / n_ep,
            "draw_sum": float(draws.sum()),
        },
        figures={"scores": draws.mean(axis=1) * float(config["noise"])},
    )
    res.check("score", scores[-1], ">=", 0.0)
    return res


@register(
    "toy.fail",
    defaults={"mode": "raise", "fail_seeds": [1], "once_dir": "", "duration_s": 0.05},
    description="runner test: raises or kills its own worker for the listed seeds",
    metrics=["value", "pid"],
    hidden=True,
)
def fail(config, seed, progress) -> Result:
    """``mode``: ``raise`` (RuntimeError), ``kill`` (SIGKILL this process) or ``none``.

    With ``once_dir`` set, a seed fails only on its first attempt (a marker file there
    remembers it), so a retried job then succeeds.
    """
    mode = config["mode"]
    if mode not in ("raise", "kill", "none"):
        raise ValueError(f"toy.fail: key 'mode' got {mode!r}; expected 'raise', 'kill' or 'none'")
    _burn(float(config["duration_s"]))
    if mode != "none" and seed in list(config["fail_seeds"]):
        marker = Path(config["once_dir"]) / f"seed-{seed}" if config["once_dir"] else None
        if marker is None or not marker.exists():
            if marker is not None:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(str(os.getpid()))
            if mode == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise RuntimeError(f"toy.fail: seed {seed} fails on purpose")
    rng = job_rng(seed, config)
    value = float(rng.random())
    res = Result(metrics={"value": value, "pid": os.getpid()})
    res.check("value", value, ">=", 0.0)
    return res
