"""Shared pieces of the Izhikevich (2007) network experiments.

Every network experiment drives the compiled engine (``spikey.models.izhikevich2007``)
in chunks and decides rewards between chunks; reward delays are >= 1 s, so deciding
them after a chunk of <= 1 s is exact.
"""

from __future__ import annotations

import numpy as np

from spikey.experiments.registry import stream, stream_seed
from spikey.module import config_error

#: config keys every network experiment has (engine choice; passed to ``build``).
ENGINE_DEFAULTS = {
    "preset": "izhikevich2007",  # the author's program: 1 ms delays, uniform noise
    # "exact" (event-driven, ~3x faster; the engine's tests bound its distance to "stepped")
    # or "stepped" (the author's 10-ms cadence)
    "mode": "exact",
    "engine": "numba",  # "numba" or "reference" (slow NumPy oracle)
    "tonic_da": 0.002,  # tonic dopamine added in the weight update
    # twin synapses (same pre, post, delay): "last" = only the last delivers (the author's
    # MATLAB program); "sum" = each delivers
    "duplicates": "last",
}


def network_seed(seed: int) -> int:
    """The engine's seed (connectivity and per-neuron noise): the job's stream
    ``"izh2007/network"``, a function of the job seed only.

    So a control (a config variant) runs on the same network and noise as its
    experiment: the comparison is paired.
    """
    return stream_seed(seed, "izh2007/network")


def structure_rng(seed: int, name: str = "groups") -> np.random.Generator:
    """Generator for the experiment's structure (stimulus groups, fixed schedules): the job's
    stream ``"izh2007/<name>"``, a function of the job seed only, so a control draws the same
    groups and schedule as its experiment."""
    return stream(seed, f"izh2007/{name}")


def excitatory_groups(net, seed: int, size: int, count: int, experiment: str) -> list:
    """``count`` disjoint groups of ``size`` excitatory neurons drawn by :func:`structure_rng`.

    A too large ``size`` is an error naming ``experiment``'s key ``group_size``.
    """
    if count * size > net.n_exc:
        raise ValueError(
            f"izh2007.{experiment}: key 'group_size' got {size}; expected <= {net.n_exc // count}"
        )
    chosen = structure_rng(seed).choice(net.n_exc, count * size, replace=False)
    return [chosen[k * size : (k + 1) * size] for k in range(count)]


def protocol_rng(seed: int, experiment: str, name: str = "protocol") -> np.random.Generator:
    """Generator for the protocol's own draws (reward delays, probe order): the job's stream
    ``"izh2007/<experiment>/<name>"``.

    A function of the seed alone (the one seed policy): no config key enters it, so a
    threshold, a learning rate or a control's ``reward=False`` leaves the stream as it is.
    A protocol whose draws depend on what the network did (a reward delay only when a
    reward is due) takes those from a stream of their own, so that the rest stays paired.
    """
    return stream(seed, f"izh2007/{experiment}/{name}")


def build_network(config: dict, seed: int, **overrides):
    """Build the paper's network for ``config`` (engine keys) and ``seed``."""
    from spikey.models import izhikevich2007 as izh

    if config["mode"] not in ("stepped", "exact"):
        raise ValueError(
            f"izh2007: key 'mode' got {config['mode']!r}; expected 'stepped' or 'exact'"
        )
    if config["duplicates"] not in ("last", "sum"):
        raise ValueError(
            f"izh2007: key 'duplicates' got {config['duplicates']!r}; expected 'last' "
            "(the author's program) or 'sum'"
        )
    if config["engine"] not in ("numba", "reference"):
        raise ValueError(
            f"izh2007: key 'engine' got {config['engine']!r}; expected 'numba' or 'reference'"
        )
    return izh.build(
        config["preset"],
        seed=network_seed(seed),
        mode=config["mode"],
        engine=config["engine"],
        tonic_da=float(config["tonic_da"]),
        duplicates=config["duplicates"],
        **overrides,
    )


def window_counts(times, onsets, width, neurons=None, spike_neurons=None) -> np.ndarray:
    """Spikes in ``[onset, onset + width)`` for each onset.

    Parameters
    ----------
    times : array of int
        Sorted spike times (ms).
    onsets : array of int
        Window starts (ms).
    width : int
        Window length (ms).
    neurons : bool array, optional
        Count only spikes of these neurons (a mask over all neurons); then
        ``spike_neurons`` gives each spike's neuron.
    """
    times = np.asarray(times, np.int64)
    if neurons is not None:
        if spike_neurons is None:
            raise ValueError("window_counts: neurons= needs spike_neurons= (each spike's neuron)")
        times = times[np.asarray(neurons, bool)[np.asarray(spike_neurons)]]
    onsets = np.asarray(onsets, np.int64)
    return (
        np.searchsorted(times, onsets + width, "left") - np.searchsorted(times, onsets, "left")
    ).astype(np.int64)


def check_range(experiment: str, config: dict, key: str, lo: float, hi: float, what: str) -> None:
    """Refuse ``config[key]`` unless it is a finite number in [lo, hi] (``what`` says why)."""
    value = config[key]
    ok = not isinstance(value, bool) and isinstance(value, (int, float, np.number))
    if not (ok and np.isfinite(value) and lo <= value <= hi):
        raise config_error(experiment, key, value, what)


def mask(n, members) -> np.ndarray:
    """A bool array of length ``n``, True at ``members``."""
    out = np.zeros(int(n), bool)
    out[np.asarray(members, np.int64)] = True
    return out


def mean_outgoing(weights, pre, members_mask, plastic):
    """Mean weight of the plastic synapses whose presynaptic neuron is in ``members_mask``."""
    sel = members_mask[pre] & plastic
    return float(weights[sel].mean()) if sel.any() else float("nan")


class Progress:
    """Model-time progress for one job: ``tick(ms)`` after each chunk."""

    def __init__(self, progress, total_ms, desc):
        self.bar = progress(total=round(total_ms / 1000), desc=desc)
        self.done = 0.0

    def tick(self, ms):
        """Advance by ``ms`` of model time."""
        before = int(self.done)
        self.done += ms / 1000
        if int(self.done) > before:
            self.bar.update(int(self.done) - before)

    def close(self):
        """Close the bar."""
        self.bar.close()


def stimulus_arrays(events, duration):
    """Turn ``[(t, neurons, amount), ...]`` (t relative) into the engine's (t, neuron, amount)."""
    if not events:
        return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    ts, ns, am = [], [], []
    for t, neurons, amount in events:
        neurons = np.asarray(neurons, np.int64)
        if not 0 <= t < duration:
            raise ValueError(f"stimulus at t={t} outside the chunk [0, {duration})")
        ts.append(np.full(neurons.size, int(t), np.int64))
        ns.append(neurons)
        am.append(np.full(neurons.size, float(amount)))
    t = np.concatenate(ts)
    order = np.argsort(t, kind="stable")
    return t[order], np.concatenate(ns)[order], np.concatenate(am)[order]


def reward_arrays(times, amount, duration):
    """Reward pulses (times relative to the chunk, sorted) of ``amount`` each, for ``net.run``."""
    times = np.asarray(sorted(times), np.int64)
    if times.size and (times.min() < 0 or times.max() >= duration):
        raise ValueError(f"reward times {times.tolist()} outside the chunk [0, {duration})")
    return times, np.full(times.size, float(amount))


def with_fixed_synapses(net, config, seed, idx, weight):
    """A copy of ``net`` (same synapses, same seed) where synapses ``idx`` hold ``weight`` and
    are not plastic. Call before running: the copy starts at t = 0.

    The engine's ``build`` has no per-synapse plasticity switch, so this rebuilds the
    network through ``IzhNetwork.from_arrays`` (its arrays are already in the stored
    order, so synapse indices stay the same).
    """
    from spikey.engine.network import IzhNetwork

    if net.t != 0:
        raise ValueError("with_fixed_synapses: expected a network that has not run yet")
    idx = np.asarray(idx, np.int64)
    w = net.weights()
    w[idx] = float(weight)
    plastic = np.array(net.plastic, bool)
    plastic[idx] = False
    p = dict(net.params)
    n_exc, n_inh = p.pop("n_exc"), p.pop("n_inh")
    new = IzhNetwork.from_arrays(
        np.array(net.pre),
        np.array(net.post),
        w,
        np.array(net.delay),
        n_exc=n_exc,
        n_inh=n_inh,
        plastic=plastic,
        seed=network_seed(seed),
        mode=config["mode"],
        engine=config["engine"],
        **p,
    )
    if not (np.array_equal(new.pre, net.pre) and np.array_equal(new.post, net.post)):
        raise RuntimeError(
            "with_fixed_synapses: the rebuilt network stores synapses in another order"
        )
    return new
