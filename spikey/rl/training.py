"""Train an agent until it meets a stop rule, then evaluate it frozen on fresh seeds.

Environment seeds: training episode ``k`` of training seed ``s`` uses
``env_seed(s, "train", k)``, evaluation episode ``k`` ``env_seed(s, "eval", k)``; the two
ranges never meet, and neither depends on the configuration.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from spikey.rl.episodes import play

_EVAL_BASE = 1 << 40


def env_seed(seed: int, phase: str, episode: int) -> int:
    """The environment seed of one episode (training and evaluation seeds are disjoint)."""
    base = _EVAL_BASE if phase == "eval" else 0
    return base + int(seed) * 1_000_000 + int(episode)


@dataclass
class TrainLog:
    """Returns per training episode and what the stop rule saw."""

    returns: list = field(default_factory=list)
    seconds: float = 0.0
    stopped_by_rule: bool = False


def train(agent, env, seed: int, max_episodes: int, stop_return: float, stop_window: int,
          progress=None, max_steps=None) -> TrainLog:  # fmt: skip
    """Train until the mean return of the last ``stop_window`` episodes reaches
    ``stop_return`` or ``max_episodes`` have run.

    Each episode's return and the running mean are handed to
    :func:`spikey.runner.hooks.report` (``train_return``, ``train_final_mean_return``), so
    a sweep's ASHA scheduler can stop weak trials early.
    """
    from spikey.runner.hooks import report

    log = TrainLog()
    t0 = time.perf_counter()
    for ep in range(max_episodes):
        log.returns.append(play(agent, env, env_seed(seed, "train", ep), True, max_steps))
        if progress is not None:
            progress.update(1)
        recent = log.returns[-stop_window:]
        report(
            {"train_return": log.returns[-1], "train_final_mean_return": float(np.mean(recent))},
            step=ep,
        )
        if len(recent) == stop_window and np.mean(recent) >= stop_return:
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
