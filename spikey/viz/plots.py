"""matplotlib figures: spike rasters and per-state firing rates.

Every function draws into ``ax`` when given (else a new figure) and returns the Figure;
none calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from spikey.viz.rates import episodes_of, mean_or_nan, plain_value, state_mask

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def figure_and_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """The Figure and Axes to draw into: ``ax`` and its figure, or a new figure of ``figsize``.

    Parameters
    ----------
    ax : matplotlib Axes or None
        Where the caller wants the plot; None makes a new figure.
    figsize : (float, float)
        Size in inches of a new figure.

    Returns
    -------
    (Figure, Axes)
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


def spike_raster(
    spike_log: np.ndarray,
    ax: Axes | None = None,
    rewards: np.ndarray | None = None,
    polarities: np.ndarray | None = None,
    n_inputs: int | None = None,
    title: str = "Spike raster",
) -> Figure:
    """Raster of a spike log: one row per neuron, one column per network step.

    Parameters
    ----------
    spike_log : array (steps, neurons)
        Spike magnitudes, e.g. ``network.spike_log`` (inputs then body neurons); any
        nonzero value is a spike.
    ax : matplotlib Axes, optional
    rewards : array (steps,), optional
        Drawn as a strip under the raster: green > 0, red < 0.
    polarities : array, optional
        -1 marks an inhibitory neuron, drawn red. Either one per column of ``spike_log``,
        or one per body neuron (then ``n_inputs`` says how many input columns come first).
    n_inputs : int, optional
        Number of input columns; draws a line between inputs and body neurons.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is not None and not hasattr(ax, "imshow"):
        raise TypeError(
            f"spike_raster: ax got a {type(ax).__name__}, not matplotlib Axes; the "
            "original's positional (spike_log, rewards, polarities) order changed, "
            "so pass rewards= and polarities= by keyword."
        )
    log = np.asarray(spike_log)
    if log.ndim != 2:
        raise ValueError(
            f"spike_raster: spike_log must be 2-D (steps, neurons), got shape {log.shape}."
        )
    steps, n_cols = log.shape
    fired = (log != 0).T  # neurons x steps
    image = np.zeros((n_cols, steps, 3))
    image[fired] = 1.0
    if polarities is not None:
        pol = np.asarray(polarities).ravel()
        if pol.size == n_cols:
            inhibitory = pol < 0
        elif n_inputs is not None and pol.size == n_cols - n_inputs:
            inhibitory = np.concatenate([np.zeros(n_inputs, bool), pol < 0])
        else:
            raise ValueError(
                f"spike_raster: {pol.size} polarities for {n_cols} columns; give one "
                "per column, or one per body neuron together with n_inputs."
            )
        image[inhibitory[:, None] & fired, 1:] = 0.0  # inhibitory spikes red
    if rewards is not None:
        rw = np.asarray(rewards, dtype=float).ravel()
        if rw.size != steps:
            raise ValueError(f"spike_raster: {rw.size} rewards for {steps} steps.")
        strip = np.zeros((max(1, n_cols // 20), steps, 3))
        strip[:, rw > 0, 1] = 1.0
        strip[:, rw < 0, 0] = 1.0
        image = np.concatenate([image, np.full((1, steps, 3), 0.5), strip])
    fig, ax = figure_and_axes(ax, (8, 4))
    ax.imshow(image, aspect="auto", interpolation="nearest")
    if n_inputs:
        ax.axhline(n_inputs - 0.5, color="tab:blue", lw=0.8)
    ax.set_xlabel("network step")
    ax.set_ylabel("neuron")
    ax.set_title(title + (" with rewards" if rewards is not None else ""))
    return fig


def plot_state_rates(
    step_outrates: Sequence[Sequence[Any]],
    step_states: Sequence[Sequence[Any]],
    observation_space: Sequence[Any],
    step_inrates: Sequence[Sequence[Any]] | None = None,
    episode: int | slice = -1,
    ax: Axes | None = None,
    highlight: Sequence[Any] | None = None,
) -> Figure:
    """Bar chart of the mean output (and input) rate in each state.

    Takes the same ``[episode][step]`` lists as :func:`spikey.viz.print_rates`;
    ``highlight`` lists states to mark (e.g. the rewarded ones).

    Returns
    -------
    matplotlib.figure.Figure
    """
    states = episodes_of(step_states, episode)
    out = np.asarray(episodes_of(step_outrates, episode), dtype=float)
    inp = None if step_inrates is None else np.asarray(episodes_of(step_inrates, episode), float)
    masks = [state_mask(states, s) for s in observation_space]
    x = np.arange(len(masks))
    width = 0.4 if inp is not None else 0.8
    fig, ax = figure_and_axes(ax, (7, 3.5))
    out_means = [mean_or_nan(out[m]) for m in masks]
    colors = [
        "tab:orange"
        if highlight is not None and any(np.array_equal(s, h) for h in highlight)
        else "tab:blue"
        for s in observation_space
    ]
    ax.bar(
        x + (width / 2 if inp is not None else 0),
        out_means,
        width,
        color=colors,
        label="output rate",
    )
    if inp is not None:
        ax.bar(
            x - width / 2,
            [mean_or_nan(inp[m]) for m in masks],
            width,
            color="0.6",
            label="input rate",
        )
        ax.legend()
    ax.set_xticks(x, [str(plain_value(s)) for s in observation_space])
    ax.set_xlabel("state")
    ax.set_ylabel("mean rate")
    return fig


def delay_embedding(
    x: Sequence[float] | np.ndarray, lag: int, dimensions: int = 2, ax: Axes | None = None
) -> Figure:
    """Delay-coordinate embedding of a 1-D series: points ``(x[t - lag], x[t])`` (2-D)
    or ``(x[t - 2 lag], x[t - lag], x[t])`` (3-D).

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=float).ravel()
    if dimensions not in (2, 3):
        raise ValueError(f"delay_embedding: dimensions must be 2 or 3, got {dimensions!r}.")
    if not isinstance(lag, (int, np.integer)) or lag < 1 or (dimensions - 1) * lag >= x.size:
        raise ValueError(
            f"delay_embedding: lag must be an integer in [1, {(x.size - 1) // (dimensions - 1)}]"
            f" for a series of {x.size} values, got {lag!r}."
        )
    n = x.size - (dimensions - 1) * lag
    coords = [x[k * lag : k * lag + n] for k in range(dimensions)]  # oldest first
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(4.5, 4.5))
        ax = fig.add_subplot(111, projection="3d" if dimensions == 3 else None)
    fig = ax.figure
    ax.scatter(*coords, s=6)
    labels = [
        f"x(t-{(dimensions - 1 - k) * lag})" if k < dimensions - 1 else "x(t)"
        for k in range(dimensions)
    ]
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    if dimensions == 3:
        ax.set_zlabel(labels[2])
    ax.set_title(f"Delay embedding, lag={lag}")
    return fig
