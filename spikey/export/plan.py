"""What every export needs from an :class:`~spikey.engine.network.IzhNetwork`, simulator-free.

- :func:`check_exportable` refuses a network whose state another simulator cannot take over
  (spikes still in flight, a neuron already at threshold, pending eligibility).
- :class:`InputReplay` replays the network's external input (thalamic picks, uniform noise,
  stimuli) from a copy of its noise generators: the very numbers spikey's kernels draw, in
  spikey's per-ms order, without touching the network.
- :func:`dopamine_mapping` gives the parameters of a continuous dopamine-modulated STDP rule
  (NEST's ``stdp_dopamine_synapse``; the Brian2 export) that match the network's rule.
- :func:`delivering` marks the synapses that carry current (``duplicates="last"`` silences
  shadowed twins).

All of it is plain NumPy; the simulator modules build their networks from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from spikey.engine import noise
from spikey.module import ConfigError


def resident_mb() -> float:
    """This process's resident memory in MiB (Linux /proc; NaN elsewhere)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def export_error(target: str, key: str, given, expected: str) -> ConfigError:
    """A ConfigError "export to TARGET: KEY got GIVEN; expected EXPECTED."."""
    return ConfigError(f"export to {target}: {key} got {given}; expected {expected}.")


def check_exportable(net, target: str) -> None:
    """Raise a ConfigError naming the part unless ``net``'s present state can be handed over.

    A fresh network (``net.t == 0``) always can. Later, no spike may be in flight (the
    simulators start with empty delay lines), no neuron may sit at threshold (spikey fires it at
    the start of the next ms, the simulators test after the update) and, with plasticity on,
    no eligibility or dopamine may be pending.
    """
    from spikey.engine.network import IzhNetwork

    if not isinstance(net, IzhNetwork):
        raise export_error(target, "net", type(net).__name__, "an IzhNetwork (izh.build(...))")
    if net.t == 0:
        return
    if net.spikes_in_flight:
        raise export_error(
            target,
            f"the network at t = {net.t} ms",
            "spikes still in flight",
            "a fresh network or one with no spike in its last max_delay ms",
        )
    if np.any(net.v >= 30.0):
        raise export_error(
            target,
            f"the network at t = {net.t} ms",
            f"{int(np.sum(net.v >= 30.0))} neuron(s) at threshold",
            "no neuron at v >= 30 mV (spikey fires it before the next update)",
        )
    if net.plasticity and (np.any(net.eligibility() != 0.0) or net.d != 0.0):
        raise export_error(
            target,
            f"the plastic network at t = {net.t} ms",
            "pending eligibility or dopamine",
            "a fresh network, or net.plasticity = False to export the weights frozen",
        )


def checked_stimuli(stimuli, duration_ms: int, n: int, target: str):
    """``stimuli`` (t, neuron, amount), relative to a run's start, as int64/int64/float64
    arrays, or None; refuses what ``IzhNetwork.run`` refuses (wrong shapes, out of range)."""
    if stimuli is None:
        return None
    if not isinstance(stimuli, (tuple, list)) or len(stimuli) != 3:
        raise export_error(
            target, "run stimuli", type(stimuli).__name__, "a tuple (t, neuron, amount) of arrays"
        )
    t = np.atleast_1d(np.asarray(stimuli[0], dtype=np.int64))
    i = np.atleast_1d(np.asarray(stimuli[1], dtype=np.int64))
    a = np.broadcast_to(np.asarray(stimuli[2], dtype=float), t.shape)
    if t.shape != i.shape or t.ndim != 1:
        raise export_error(
            target, "run stimuli", f"shapes {t.shape}, {i.shape}", "1-D arrays of one length"
        )
    if t.size and (t.min() < 0 or t.max() >= duration_ms or i.min() < 0 or i.max() >= n):
        raise export_error(
            target,
            "run stimuli",
            "a time or neuron out of range",
            f"t in 0..{duration_ms - 1} (relative to now), neuron in 0..{n - 1}",
        )
    if not np.all(np.isfinite(a)):
        raise export_error(target, "run stimuli amount", "a non-finite value", "finite amounts")
    return t, i, np.array(a)


def checked_rewards(rewards, duration_ms: int, unit: float, target: str):
    """``rewards`` = (t, amount) or t (amount ``unit``, the network's reward_amount) as
    (int64 t, float64 amount), or None; times relative to a run's start."""
    if rewards is None:
        return None
    if isinstance(rewards, (tuple, list)) and len(rewards) == 2 and np.ndim(rewards[0]) == 1:
        t = np.asarray(rewards[0], dtype=np.int64)
        a = np.array(np.broadcast_to(np.asarray(rewards[1], dtype=float), t.shape))
    else:
        t = np.atleast_1d(np.asarray(rewards, dtype=np.int64))
        a = np.full(t.shape, float(unit))
    if t.size and (t.min() < 0 or t.max() >= duration_ms):
        raise export_error(
            target,
            "run rewards t",
            f"{t[(t < 0) | (t >= duration_ms)][0]} ms",
            f"times in 0..{duration_ms - 1} (relative to now)",
        )
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise export_error(target, "run rewards amount", "a non-finite or negative value", ">= 0")
    return t, a


def delivering(net) -> np.ndarray:
    """Per synapse (storage order): whether it delivers current. Under ``duplicates="last"``
    only the last twin of a (pre, delay, post) group does; its twins learn the same."""
    if net.params["duplicates"] == "last":
        return ~net.syn.shadowed
    return np.ones(net.syn.pre.size, dtype=bool)


@dataclass
class InputBlock:
    """External input of ``n_ms`` ms from absolute ms ``t0``: triplets (relative ms ``k``,
    neuron ``i``, amount ``a``), one per (neuron, ms) that gets any, sorted by neuron then ms.
    ``first`` is the dense input of the first ms (one value per neuron, zeros included)."""

    t0: int
    n_ms: int
    k: np.ndarray
    i: np.ndarray
    a: np.ndarray
    first: np.ndarray


class InputReplay:
    """The external input a network will receive, replayed from a copy of its generators.

    Per ms, as spikey's kernels: the thalamic generator picks one neuron that gets
    ``thalamic_amp``; stimuli are added; each neuron's uniform noise is drawn from its own
    generator (``engine/noise.py``). Inputs of one (neuron, ms) are summed in that order.

    Parameters
    ----------
    net : IzhNetwork
        The network; only its parameters and a copy of ``noise_state`` are kept.
    """

    def __init__(self, net):
        self.n = net.n
        self.t = net.t
        self.mode = net.params["noise"]
        self.scale = 2.0 * float(net.params["noise_amp"])
        self.thal_amp = float(net.params["thalamic_amp"])
        self._state = net.noise_state

    def block(self, n_ms: int, stimuli=None) -> InputBlock:
        """The next ``n_ms`` ms of input (advancing the copy); ``stimuli`` = (t, neuron, amount)
        relative to the block's start, as ``IzhNetwork.run`` takes them (checked there)."""
        n = self.n
        parts_k, parts_i, parts_a = [], [], []
        ks = np.arange(n_ms, dtype=np.int64)
        if self.mode == "thalamic" and n_ms:
            words = np.empty(n_ms, dtype=np.uint64)
            for k in range(n_ms):
                words[k] = noise.next_words(self._state, slice(n, n + 1))[0]
            picks = (n * noise.unit(words)).astype(np.int64)
            parts_k.append(ks)
            parts_i.append(picks)
            parts_a.append(np.full(n_ms, self.thal_amp))
        if stimuli is not None and len(stimuli[0]):
            st_t = np.asarray(stimuli[0], dtype=np.int64)
            st_i = np.asarray(stimuli[1], dtype=np.int64)
            st_a = np.broadcast_to(np.asarray(stimuli[2], dtype=np.float64), st_t.shape)
            order = np.argsort(st_t, kind="stable")
            parts_k.append(st_t[order])
            parts_i.append(st_i[order])
            parts_a.append(np.array(st_a[order]))
        self.t += n_ms
        if self.mode == "uniform" and n_ms:
            return self._dense(n_ms, parts_k, parts_i, parts_a)
        return _merge(self.t - n_ms, n_ms, n, parts_k, parts_i, parts_a)

    def _dense(self, n_ms, parts_k, parts_i, parts_a) -> InputBlock:
        """Uniform noise: every neuron gets input every ms; the sparse parts first, then the
        noise added (spikey adds it last), laid out neuron by neuron."""
        n = self.n
        dense = np.zeros((n_ms, n))
        for k, i, a in zip(parts_k, parts_i, parts_a):
            np.add.at(dense, (k, i), a)  # in order, as the kernels add them
        for k in range(n_ms):
            words = noise.next_words(self._state, slice(0, n))
            dense[k] = dense[k] + self.scale * (noise.unit(words) - 0.5)
        first = dense[0].copy()
        return InputBlock(
            self.t - n_ms,
            n_ms,
            np.tile(np.arange(n_ms, dtype=np.int64), n),
            np.repeat(np.arange(n, dtype=np.int64), n_ms),
            dense.T.ravel(),
            first,
        )


def _merge(t0, n_ms, n, parts_k, parts_i, parts_a) -> InputBlock:
    """One triplet per (neuron, ms), amounts summed in the order of the parts."""
    if not parts_k:
        empty = np.zeros(0, dtype=np.int64)
        return InputBlock(t0, n_ms, empty, empty, np.zeros(0), np.zeros(n))
    k = np.concatenate(parts_k)
    i = np.concatenate(parts_i)
    a = np.concatenate(parts_a)
    order = np.lexsort((k, i))  # stable: within one (neuron, ms) the parts keep their order
    k, i, a = k[order], i[order], a[order]
    key = i * max(n_ms, 1) + k
    start = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    if start.size != key.size:  # a neuron with two inputs in one ms: add them left to right
        total = a[start].copy()
        count = np.diff(np.append(start, key.size))
        for extra in range(1, int(count.max())):
            more = count > extra
            total[more] = total[more] + a[start[more] + extra]
        k, i, a = k[start], i[start], total
    first = np.zeros(n)
    at0 = k == 0
    first[i[at0]] = a[at0]
    return InputBlock(t0, n_ms, k, i, a, first)


@dataclass
class DopamineMapping:
    """Parameters of the continuous rule dw/dt = c (n - b), n the dopamine trace.

    ``n`` = ``scale`` * spikey's dopamine d; one dopamine event of multiplicity m raises n by
    m / ``tau_n`` (a reward of ``m * unit``). Times in ms.
    """

    tau_n: float
    tau_c: float
    tau_plus: float
    tau_minus: float
    a_plus: float
    a_minus: float
    b: float
    w_min: float
    w_max: float
    unit: float
    scale: float


def dopamine_mapping(net) -> DopamineMapping:
    """The continuous rule closest to ``net``'s: per-ms decays turned into time constants
    (``tau = -1 / ln(1 - 1/tau_spikey)``: d's 0.995 per ms is tau_n = 199.5 ms, the STDP
    trace's 0.95 is 19.5 ms), weight change per ms ``(d + tonic) c / w_every`` (exact mode)
    rewritten as ``c' (n - b)`` with ``n = d / (tau_n * unit)``: ``A = a / (w_every * scale)``,
    ``b = -tonic * scale``. Stepped mode's c decay ``1 - w_every/tau_c`` per ``w_every`` ms
    becomes its time constant."""
    p = net.params
    unit = float(p["reward_amount"]) if p["reward_amount"] > 0 else 1.0

    def tau(per_ms_tau, step=1.0):
        return -step / math.log1p(-step / per_ms_tau)

    tau_n = tau(p["tau_d"])
    scale = 1.0 / (tau_n * unit)
    gain = 1.0 / (p["w_every"] * scale)
    tau_c = p["tau_c"] if net.mode == "exact" else tau(p["tau_c"], p["w_every"])
    return DopamineMapping(
        tau_n=tau_n,
        tau_c=float(tau_c),
        tau_plus=tau(p["tau_stdp"]),
        tau_minus=tau(p["tau_stdp"]),
        a_plus=p["a_plus"] * gain,
        a_minus=p["a_minus"] * gain,
        b=-p["tonic_da"] * scale,
        w_min=float(p["w_min"]),
        w_max=float(p["w_max"]),
        unit=unit,
        scale=scale,
    )


def multiplicities(amounts, unit: float, target: str) -> np.ndarray:
    """Reward amounts as whole dopamine events of ``unit`` (the network's reward_amount)."""
    m = np.asarray(amounts, dtype=np.float64) / unit
    whole = np.round(m)
    if np.any(np.abs(m - whole) > 1e-9 * np.maximum(1.0, np.abs(m))):
        bad = float(np.asarray(amounts)[np.abs(m - whole) > 1e-9 * np.maximum(1.0, np.abs(m))][0])
        raise export_error(
            target,
            "run rewards amount",
            bad,
            f"whole multiples of reward_amount = {unit} (one dopamine event each)",
        )
    return whole.astype(np.int64)


def release_events(net, target: str) -> np.ndarray:
    """Neurons whose spikes release dopamine (each spike one event of ``unit``); refuses any
    other ``da_release`` value, which a dopamine event cannot carry."""
    rel = net.da_release
    unit = dopamine_mapping(net).unit
    bad = (rel != 0.0) & ~np.isclose(rel, unit, rtol=1e-12, atol=0.0)
    if bad.any():
        raise export_error(
            target,
            "da_release",
            f"{rel[bad][0]} for neuron {int(np.flatnonzero(bad)[0])}",
            f"0 or reward_amount = {unit} per spike (one dopamine event)",
        )
    return np.flatnonzero(rel != 0.0)
