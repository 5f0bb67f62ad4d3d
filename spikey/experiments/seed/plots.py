"""Figures of the seed experiments, drawn from a Result's ``figures`` arrays."""

from __future__ import annotations

import numpy as np

from spikey.viz import plot_state_rates
from spikey.viz.plots import figure_and_axes


def plot_classical(result, ax=None):
    """Mean output rate per state in the last episode; rewarded states highlighted."""
    states = result.figures["states"]
    space = sorted({s for episode in states for s in episode})
    fig = plot_state_rates(
        result.figures["outrates"], states, space, ax=ax, highlight=result.figures["fire_states"]
    )
    (ax or fig.axes[0]).set_title("seed.classical: output rate per state (rewarded in orange)")
    return fig


def plot_ordinal(result, ax=None):
    """Share of answer A (0) per state in the first and last episodes."""
    fig, ax = figure_and_axes(ax, (7, 3.5))
    states, actions = result.figures["states"], result.figures["actions"]
    space = sorted({s for episode in states for s in episode})
    x = np.arange(len(space))
    for offset, episode, label in ((-0.2, 0, "first episode"), (0.2, -1, "last episode")):
        st, ac = np.asarray(states[episode]), np.asarray(actions[episode])
        share = [np.mean(ac[st == s] == 0) if np.any(st == s) else np.nan for s in space]
        ax.bar(x + offset, share, 0.4, label=label)
    target = [1.0 if s in result.figures["a_states"] else 0.0 for s in space]
    ax.plot(x, target, "k_", markersize=18, label="expected")
    ax.set_xticks(x, [str(s) for s in space])
    ax.set_xlabel("state")
    ax.set_ylabel("share of answer A")
    ax.legend(fontsize="small")
    return fig
