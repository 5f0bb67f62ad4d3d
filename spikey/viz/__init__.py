"""Visualisation: the original Spikey's text tables and matplotlib figures (returned, never shown)."""

from spikey.viz.game_states import state_action_counts, state_transition_matrix
from spikey.viz.plots import delay_embedding, plot_state_rates, spike_raster
from spikey.viz.rates import print_common_action, print_rates

__all__ = [
    "print_rates",
    "print_common_action",
    "spike_raster",
    "plot_state_rates",
    "state_transition_matrix",
    "state_action_counts",
    "delay_embedding",
]
