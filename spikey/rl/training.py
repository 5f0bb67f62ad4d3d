"""Train an agent until it meets a stop rule, then evaluate it frozen on fresh seeds.

Environment seeds: training episode ``k`` of training seed ``s`` uses
``env_seed(s, "train", k)``, a frozen check episode ``env_seed(s, "check", k)`` and an
evaluation episode ``env_seed(s, "eval", k)``; the three ranges never meet, and none
depends on the configuration.

The stop rule has two stages. When the mean return of the last ``stop_window`` training
episodes reaches ``stop_return``, plasticity is frozen for ``check_episodes`` episodes on
check seeds (a validation set, never the evaluation seeds); training stops only if their
mean reaches ``check_return`` (default: ``stop_return``) too, and otherwise goes on (the next check comes
``stop_window`` episodes later). The running mean alone selects lucky streaks: a noisy
policy whose true mean is below the goal passes 20 episodes often enough.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from spikey.rl.episodes import play

_BASE = {"train": 0, "check": 1 << 39, "eval": 1 << 40}


def env_seed(seed: int, phase: str, episode: int) -> int:
    """The environment seed of one episode of ``phase`` ("train", "check" or "eval")."""
    return _BASE[phase] + int(seed) * 1_000_000 + int(episode)


@dataclass
class TrainLog:
    """Returns per training episode, the frozen checks and what the stop rule saw."""

    returns: list = field(default_factory=list)
    checks: list = field(default_factory=list)  # (training episodes so far, check mean)
    seconds: float = 0.0
    stopped_by_rule: bool = False


def train(agent, env, seed: int, max_episodes: int, stop_return: float, stop_window: int,
          progress=None, max_steps=None, check_episodes: int = 0,
          check_return: float | None = None) -> TrainLog:  # fmt: skip
    """Train until the stop rule holds (see the module doc) or ``max_episodes`` have run.

    Each episode's return and the running mean are handed to
    :func:`spikey.runner.hooks.report` (``train_return``, ``train_final_mean_return``), so
    a sweep's ASHA scheduler can stop weak trials early.
    """
    from spikey.runner.hooks import report

    check_return = stop_return if check_return is None else check_return
    log = TrainLog()
    t0 = time.perf_counter()
    next_check = 0
    n_checked = 0
    for ep in range(max_episodes):
        log.returns.append(play(agent, env, env_seed(seed, "train", ep), True, max_steps))
        if progress is not None:
            progress.update(1)
        recent = log.returns[-stop_window:]
        running = float(np.mean(recent))
        report({"train_return": log.returns[-1], "train_final_mean_return": running}, step=ep)
        if len(recent) < stop_window or running < stop_return or ep < next_check:
            continue
        if check_episodes > 0:
            seeds = range(n_checked, n_checked + check_episodes)
            n_checked += check_episodes
            check = float(np.mean([play(agent, env, env_seed(seed, "check", k), False, max_steps)
                                   for k in seeds]))  # fmt: skip
            log.checks.append((ep + 1, check))
            if check < check_return:
                next_check = ep + stop_window
                continue
        log.stopped_by_rule = True
        break
    log.seconds = time.perf_counter() - t0
    return log


def evaluate(agent, env, seed: int, n_episodes: int, max_steps=None, start: int = 0) -> np.ndarray:
    """Returns of frozen episodes ``start .. n_episodes - 1`` on the evaluation seeds."""
    return np.array(
        [
            play(agent, env, env_seed(seed, "eval", k), False, max_steps)
            for k in range(start, n_episodes)
        ]
    )
