"""Threshold readout: one of two actions by the mean output rate."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from spikey.module import Key, config_error
from spikey.snn.readout.template import Readout


class Threshold(Readout):
    """``output_range[rate >= action_threshold]`` where rate is the mean of the output
    spike train divided by ``magnitude``. ``action_threshold="mean"`` compares with the
    mean of all earlier rates (0 at the first call). With no outputs returns 0."""

    NECESSARY_KEYS = Readout.extend_keys(
        [
            Key("action_threshold", "float, or 'mean' for the running mean of past rates."),
            Key("output_range", "The two actions [low, high].", default=[0, 1]),
        ]
    )

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        t = self._action_threshold
        if not (
            t == "mean"
            if isinstance(t, str)
            else isinstance(t, numbers.Real) and not isinstance(t, bool) and np.isfinite(t)
        ):
            raise config_error(self, "action_threshold", t, "a finite number or 'mean'")
        try:
            if len(self._output_range) != 2:
                raise TypeError
        except TypeError:
            raise config_error(
                self, "output_range", self._output_range, "a sequence of two actions [low, high]"
            ) from None
        self.rate_log = []

    def __call__(self, output_spike_train):
        if self._n_outputs == 0:
            return 0
        rate = np.mean(output_spike_train) / self._magnitude
        if isinstance(self._action_threshold, str):
            threshold = np.mean(self.rate_log) if self.rate_log else 0
            self.rate_log.append(rate)
        else:
            threshold = self._action_threshold
        return self._output_range[bool(rate >= threshold)]
