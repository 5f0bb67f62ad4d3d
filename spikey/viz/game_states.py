"""Counts of state transitions and state-action pairs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _index(values) -> tuple[np.ndarray, list]:
    """Each value's index among the sorted distinct values, and those values."""
    arr = np.asarray(values)
    axis = 0 if arr.ndim > 1 else None
    uniques, inverse = np.unique(arr, axis=axis, return_inverse=True)
    return np.asarray(inverse).ravel(), list(uniques)


def state_transition_matrix(states: Sequence[Any] | np.ndarray) -> np.ndarray:
    """``M[i, j]``: how often state i was followed by state j (states sorted, as ``np.unique``).

    Examples
    --------
    >>> state_transition_matrix([1, 2, 1, 2, 2]).tolist()
    [[0.0, 2.0], [1.0, 1.0]]
    """
    idx, uniques = _index(states)
    matrix = np.zeros((len(uniques), len(uniques)))
    np.add.at(matrix, (idx[:-1], idx[1:]), 1)
    return matrix


def state_action_counts(
    states: Sequence[Any] | np.ndarray, actions: Sequence[Any] | np.ndarray
) -> np.ndarray:
    """``M[i, j]``: how often action j was taken in state i (both sorted, as ``np.unique``)."""
    if len(states) != len(actions):
        raise ValueError(f"state_action_counts: {len(states)} states but {len(actions)} actions.")
    s_idx, s_uniques = _index(states)
    a_idx, a_uniques = _index(actions)
    matrix = np.zeros((len(s_uniques), len(a_uniques)))
    np.add.at(matrix, (s_idx, a_idx), 1)
    return matrix
