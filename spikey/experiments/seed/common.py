"""Pieces shared by the seed's two experiments: the training loop and table capture."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import Any

import numpy as np

from spikey.experiments.registry import stream_seed
from spikey.games import RL
from spikey.module import ConfigError
from spikey.snn import RLNetwork


def check_config(experiment: str, config: dict, states_key: str) -> None:
    """Refuse episode counts < 1 and states outside ``0 .. n_states - 1`` before any work."""
    for key in ("n_episodes", "len_episode", "n_states"):
        value = config[key]
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ConfigError(
                f"experiment {experiment!r}: key {key!r} got {value!r}; expected an integer >= 1"
            )
    states = config[states_key]
    n = config["n_states"]
    if not isinstance(states, (list, tuple)) or not all(
        isinstance(s, (int, np.integer)) and not isinstance(s, bool) and 0 <= s < n for s in states
    ):
        raise ConfigError(
            f"experiment {experiment!r}: key {states_key!r} got {states!r}; expected a list of "
            f"states in 0..{n - 1} (n_states={n})"
        )


def play(
    model: RLNetwork,
    game: RL,
    n_episodes: int,
    len_episode: int,
    progress: Callable[..., Any] | None = None,
    desc: str = "",
    on_episode: Callable[[dict, int], Any] | None = None,
) -> dict:
    """Run the seed notebook's loop; return ``[episode][step]`` logs.

    Keys: ``inrates`` and ``outrates`` (mean |spike| of inputs / outputs over the tick),
    ``states``, ``actions``, ``rewards``. ``on_episode(logs, episode)`` is called after
    each episode (the experiments use it to report intermediate metrics to sweeps).
    """
    logs = {k: [] for k in ("inrates", "outrates", "states", "actions", "rewards")}
    keys = model.settings
    n_in, n_out, steps = keys.n_inputs, keys.n_outputs, keys.processing_time
    bar = progress(total=n_episodes * len_episode, desc=desc) if progress else None
    for _ in range(n_episodes):
        model.reset()
        state = game.reset()
        for log in logs.values():
            log.append([])
        for _ in range(len_episode):
            action = model.tick(state)
            state_next, _, done, _ = game.step(action)
            rwd = model.reward(state, action, state_next)
            spikes = np.abs(model.spike_log[-steps:])
            logs["inrates"][-1].append(float(spikes[:, :n_in].mean()))
            logs["outrates"][-1].append(float(spikes[:, -n_out:].mean()) if n_out else 0.0)
            logs["states"][-1].append(state)
            logs["actions"][-1].append(action.item() if isinstance(action, np.generic) else action)
            logs["rewards"][-1].append(float(rwd))
            state = state_next
            if bar:
                bar.update(1)
            if done:
                break
        if on_episode is not None:
            on_episode(logs, len(logs["states"]) - 1)
    if bar:
        bar.close()
    return logs


def captured(func: Callable, *args: Any, **kwargs: Any) -> str:
    """What ``func`` prints, as a string (the viz tables print, as in the original)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        func(*args, **kwargs)
    return buffer.getvalue()


def seeds_from(seed: int, family: str) -> tuple[int, int]:
    """A game seed and a network seed: the job's streams ``FAMILY/game`` and
    ``FAMILY/network``, functions of the job seed alone (no config value enters them)."""
    return stream_seed(seed, f"{family}/game"), stream_seed(seed, f"{family}/network")
