"""Shared helpers for the engine tests."""

import numpy as np

from spikey.engine import IzhNetwork


def pair_net(mode="stepped", engine="numba", w0=1.0, **overrides):
    """Two excitatory neurons, one plastic synapse 0 -> 1 (delay 1), no background noise."""
    kw = dict(noise="none", tonic_da=0.002)
    kw.update(overrides)
    return IzhNetwork.from_arrays(
        [0], [1], [w0], [1], n_exc=2, n_inh=0, mode=mode, engine=engine, **kw
    )


def kick(times, neuron):
    """Stimuli that make ``neuron`` spike at each of ``times + 1`` (100 mV for one ms)."""
    times = np.asarray(times)
    return times, np.full(times.size, neuron), np.full(times.size, 100.0)
