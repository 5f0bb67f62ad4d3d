"""Text tables of per-state firing rates and actions, in the original Spikey's format."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from string import ascii_uppercase
from typing import Any

import numpy as np


def episodes_of(logs: Iterable[list], episode: int | Sequence[int] | None) -> list:
    """``logs[episode]`` as a flat list of steps; ``episode`` is an int, a list of ints or None (all)."""
    logs = list(logs)
    if episode is None:
        chosen = logs
    elif isinstance(episode, (int, np.integer)):
        chosen = [logs[episode]]
    else:
        chosen = [logs[e] for e in episode]
    return [step for ep in chosen for step in ep]


def state_mask(step_states: list, state: Any) -> np.ndarray:
    """Which steps showed ``state`` (compared as arrays, so list and array states match)."""
    return np.array([np.array_equal(s, state) for s in step_states], dtype=bool)


def plain_value(value: Any) -> Any:
    """Python scalars (and tuples of them) print without numpy's ``np.int64(...)`` wrappers."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return tuple(plain_value(v) for v in value)
    return value


def _letter(action) -> str:
    """A for action 0, B for 1, ...; ``?`` for anything that is not a small whole number."""
    try:
        index = int(action)
        if index == action and 0 <= index < len(ascii_uppercase):
            return ascii_uppercase[index]
    except (TypeError, ValueError):
        pass
    return "?"


def mean_or_nan(values: np.ndarray) -> float:
    """The mean as a float; NaN for no values, without numpy's empty-mean warning."""
    if len(values) == 0:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(np.mean(values))


def _as_episodes(episode, step_inrates, *logs):
    """With ``episode=None`` the original also took one episode's flat per-step lists
    (a number per step, not a list per episode): wrap such logs as that one episode."""
    inrates = list(step_inrates)
    if episode is None and inrates and np.ndim(inrates[0]) == 0:
        return [inrates], *([list(log)] for log in logs)
    return step_inrates, *logs


def _listlike(x) -> bool:
    """Whether ``x`` can be iterated as a list of items (None, a str or bytes cannot)."""
    return isinstance(x, Iterable) and not isinstance(x, (str, bytes))


def _int(x) -> bool:
    """Whether ``x`` is an int (Python or numpy), not a bool."""
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _check_print_args(logs: dict, observation_space, precision, episode) -> None:
    """Refuse arguments :func:`print_rates` cannot use, naming the argument."""
    for name, log in logs.items():
        if not _listlike(log):
            raise TypeError(
                f"print_rates: {name} got {log!r:.60}; expected a list of episodes, each a "
                "list of per-step values."
            )
    if not _listlike(observation_space):
        raise TypeError(
            f"print_rates: observation_space got {observation_space!r:.60}; expected the list "
            "of states to print (e.g. game.observation_space)."
        )
    if not _int(precision) or precision < 0:
        raise ValueError(f"print_rates: precision got {precision!r}; expected an int >= 0.")
    ints = isinstance(episode, Sequence) and not isinstance(episode, str)
    if not (episode is None or _int(episode) or (ints and all(_int(e) for e in episode))):
        raise TypeError(
            f"print_rates: episode got {episode!r:.60}; expected an int, a list of ints or None."
        )


def _check_episodes(step_states: list, episode) -> None:
    """Refuse episode numbers the logs do not have."""
    count = len(step_states)
    chosen = [] if episode is None else np.atleast_1d(episode).tolist()
    bad = [e for e in chosen if not -count <= e < count]
    if bad:
        held = f"{count} (indices {-count}..{count - 1})" if count else "none (empty logs)"
        raise ValueError(
            f"print_rates: episode got {bad[0]!r}; expected an episode of the logs, which "
            f"hold {held}."
        )


def _floats(name: str, values: list, steps: int) -> np.ndarray:
    """One float per step of ``step_states``, or an error naming ``name``."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.shape[:1] != (steps,):
        shown = "values that are not numbers" if arr is None else f"{len(arr)} steps"
        raise ValueError(
            f"print_rates: {name} got {shown}; expected one number per step of step_states "
            f"({steps} steps)."
        )
    return arr


def print_rates(
    step_inrates: list | None = None,
    step_outrates: list | None = None,
    step_states: list | None = None,
    observation_space: Iterable | None = None,
    precision: int = 2,
    episode: int | Sequence[int] | None = -1,
) -> None:
    """Print each state's mean input and output rate: ``state: in -> out``.

    Parameters
    ----------
    step_inrates, step_outrates : list of lists
        ``[episode][step]`` rates (e.g. mean spike magnitude over the tick).
    step_states : list of lists
        ``[episode][step]`` game state at each step.
    observation_space : list
        States to print, in order.
    precision : int, default 2
        Decimal places.
    episode : int, list of int or None, default -1
        Episode(s) to average over; None means all (or, as in the original, the
        logs are one episode's flat per-step lists). Episodes may differ in length.
        A state never visited prints ``nan``.
    """
    logs = {"step_inrates": step_inrates, "step_outrates": step_outrates}
    logs["step_states"] = step_states
    _check_print_args(logs, observation_space, precision, episode)
    step_inrates, step_outrates, step_states = _as_episodes(
        episode, step_inrates, step_outrates, step_states
    )
    _check_episodes(step_states, episode)
    inrates = episodes_of(step_inrates, episode)
    outrates = episodes_of(step_outrates, episode)
    states = episodes_of(step_states, episode)
    inrates = _floats("step_inrates", inrates, len(states))
    outrates = _floats("step_outrates", outrates, len(states))
    for state in observation_space:
        mask = state_mask(states, state)
        print(
            f"{plain_value(state)}: {mean_or_nan(inrates[mask]):.{precision}f} -> "
            f"{mean_or_nan(outrates[mask]):.{precision}f}"
        )


def print_common_action(
    step_inrates: list | None = None,
    step_actions: list | None = None,
    step_states: list | None = None,
    observation_space: Iterable | None = None,
    episode: int | Sequence[int] | None = -1,
) -> None:
    """Print each state's mean input rate and most common action.

    One line per state: ``2: 0.0187 -> A(0). counts=[6]``; the letter names the action
    index (A for 0, B for 1, ...) and ``counts`` lists how often each action seen in that
    state was taken, in ascending action order (ties go to the smallest action). A state
    never visited prints ``nan -> -. counts=[]``.

    Parameters
    ----------
    step_inrates, step_actions, step_states : list of lists
        ``[episode][step]`` input rate, network action and game state.
    observation_space : list
        States to print, in order.
    episode : int, list of int or None, default -1
        Episode(s) to count over; None means all (or one episode's flat lists).
    """
    step_inrates, step_actions, step_states = _as_episodes(
        episode, step_inrates, step_actions, step_states
    )
    inrates = np.asarray(episodes_of(step_inrates, episode), dtype=float)
    actions = episodes_of(step_actions, episode)
    states = episodes_of(step_states, episode)
    for state in observation_space:
        mask = state_mask(states, state)
        taken = [a for a, m in zip(actions, mask) if m]
        if not taken:
            print(f"{plain_value(state)}: {mean_or_nan(inrates[mask]):.4f} -> -. counts=[]")
            continue
        values, counts = np.unique(np.asarray(taken), return_counts=True)
        action = plain_value(values[np.argmax(counts)])
        letter = _letter(action)
        print(
            f"{plain_value(state)}: {mean_or_nan(inrates[mask]):.4f} -> {letter}({action}). counts={counts}"
        )
