"""Readout template: output spike train of a game step -> action."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key, Module
from spikey.snn._util import check_number, make_rng


class Readout(Module):
    """Turns the output neurons' spikes of one game step into an action.

    ``__call__(output_spike_train)`` gets an array (processing_time, n_outputs) of
    signed spike magnitudes, the last row most recent.
    """

    NECESSARY_KEYS = [
        Key("n_outputs", "Number of output neurons (the last n_outputs of the body).", int),
        Key("magnitude", "Size of a spike.", float),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.rng = make_rng(kwargs.get("rng"))
        check_number(self, "n_outputs", self._n_outputs, lo=0, integer=True)
        check_number(self, "magnitude", self._magnitude)

    def reset(self) -> None:
        """Start of an episode: a readout that keeps state between ticks clears it here."""

    def __call__(self, output_spike_train: np.ndarray):
        raise NotImplementedError(f"{type(self).__name__}.__call__ is not implemented.")
