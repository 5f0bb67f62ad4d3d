"""Figures of the rl.* experiments, drawn from Results' ``figures`` arrays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from spikey.experiments.registry import Result
from spikey.viz.plots import figure_and_axes

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _as_list(results) -> list[Result]:
    return [results] if isinstance(results, Result) else list(results)


def plot_learning_curves(results: Result | Sequence[Result], ax: Axes | None = None,
                         window: int = 20) -> Figure:  # fmt: skip
    """Return per training episode (dots) and its running mean (line), one colour per seed."""
    fig, ax = figure_and_axes(ax, (7, 3.5))
    for k, res in enumerate(_as_list(results)):
        r = np.asarray(res.figures["train_returns"], dtype=float)
        color = f"C{k % 10}"
        ax.plot(np.arange(1, r.size + 1), r, ".", ms=2, color=color, alpha=0.3)
        if r.size >= window:
            mean = np.convolve(r, np.ones(window) / window, mode="valid")
            ax.plot(np.arange(window, r.size + 1), mean, color=color, lw=1.5)
    goal = _as_list(results)[0].figures.get("goal")
    if goal is not None and np.isfinite(goal):
        ax.axhline(goal, color="k", ls="--", lw=1, label=f"goal {goal:g}")
        ax.legend(fontsize="small", loc="lower right")
    ax.set_xlabel("training episode")
    ax.set_ylabel(f"return (running mean of {window})")
    ax.set_title(f"{_as_list(results)[0].figures.get('env', '')}: learning curves")
    return fig


def plot_eval_histogram(results: Result | Sequence[Result], ax: Axes | None = None) -> Figure:
    """Returns of the frozen evaluation episodes (all seeds) beside the random policy's."""
    fig, ax = figure_and_axes(ax, (5, 3.5))
    res = _as_list(results)
    agent = np.concatenate([np.asarray(r.figures["eval_returns"], float) for r in res])
    rand = np.concatenate([np.asarray(r.figures["random_returns"], float) for r in res])
    lo, hi = min(agent.min(), rand.min()), max(agent.max(), rand.max())
    bins = np.linspace(lo, hi + 1e-9, 31)
    ax.hist(
        rand, bins=bins, alpha=0.6, color="0.5", label=f"random policy (mean {rand.mean():.1f})"
    )
    ax.hist(
        agent, bins=bins, alpha=0.8, color="C0", label=f"trained network (mean {agent.mean():.1f})"
    )
    ax.set_xlabel("evaluation return")
    ax.set_ylabel("episodes")
    ax.legend(fontsize="small")
    return fig


def plot_episode(result: Result, ax: Axes | None = None) -> Figure:
    """Spikes of the first evaluation episode's first steps (inputs grey, actor
    populations coloured, critic black) with the critic's value V on a second axis."""
    fig, ax = figure_and_axes(ax, (7, 4))
    f = result.figures
    t, i = np.asarray(f["raster_t_ms"]), np.asarray(f["raster_i"])
    n_in = int(f["n_inputs"])
    groups = np.asarray(f["groups"])
    is_in = i < n_in
    ax.plot(t[is_in], i[is_in], "|", ms=2, color="0.7", rasterized=True)
    body = ~is_in
    g = groups[(i[body] - n_in).astype(int)]
    last = groups.max() if groups.size else 0
    for k in np.unique(g):
        sel = g == k
        color = "k" if k == last else f"C{k % 10}"
        label = "critic" if k == last else f"actor {k}"
        ax.plot(t[body][sel], i[body][sel], "|", ms=3, color=color, label=label, rasterized=True)
    ax.set_xlabel("time in episode (ms)")
    ax.set_ylabel("neuron (inputs, actors, critic)")
    values = np.asarray(f["values"], float)[: int(f["raster_steps"])]
    if values.size:
        ax2 = ax.twinx()
        ax2.step(np.arange(values.size) * f["step_ms"], values, where="post", color="C3", lw=1.2)
        ax2.set_ylabel("critic value V", color="C3")
    ax.legend(fontsize="small", loc="upper right", markerscale=3)
    ax.set_title("one evaluation episode: spikes and the critic's value")
    return fig


def plot_task(result: Result, ax: Axes | None = None) -> Figure:
    """The three views of one seed side by side (``ax`` is ignored: several axes)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 4), layout="constrained")
    plot_learning_curves(result, ax=axes[0])
    plot_eval_histogram(result, ax=axes[1])
    plot_episode(result, ax=axes[2])
    return fig
