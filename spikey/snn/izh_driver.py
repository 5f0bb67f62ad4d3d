"""How a Network drives the compiled Izhikevich engine from its parts.

Design: :class:`~spikey.snn.neuron.izhikevich.Izhikevich`,
:class:`~spikey.snn.weight.delayed.DelayedSparse` and
:class:`~spikey.snn.synapse.da_stdp.DASTDP` hold configuration; they are used together.
When a network is built with them, :func:`attach` binds the weight table to the neurons'
polarities and returns an :class:`IzhDriver`, which

- at every ``reset`` (re)builds one :class:`spikey.engine.IzhNetwork` through its public
  ``from_arrays`` builder from the current weights (the part stores its table in the engine's
  storage order, :func:`spikey.engine.connectivity.storage_order`, so indices agree by
  construction) (v = -65, u = b v, no eligibility, no
  dopamine, nothing in flight), continuing the previous engine's random stream, and gives
  each of the three parts the live engine as ``part.engine``;
- at every ``tick`` runs all ``processing_time`` ms in one engine call: the input part's
  spikes for the tick (``tick_block``) become stimuli of ``spike * weight`` mV to the input
  synapses' targets (delivered ``delay - 1`` ms after the spike; later ones carry over to the
  next tick), the pulse queued by ``synapses.reward`` enters at the tick's first ms (a
  negative pulse is a dip below baseline: signed dopamine), and
  ``synapses.training`` switches plasticity. It returns the spike log, processing_time rows
  by n_inputs + n_neurons columns (inputs: the input part's values; body: magnitude * polarity).

``fast_path=False`` means what it means for every network (:mod:`spikey.snn.network`): no
compiled code, here the engine's NumPy reference (``engine="reference"``) instead of the
numba one (same random draws; spike for spike the same in stepped mode). Overriding the three parts' methods
in Python does not change the simulation.
"""

from __future__ import annotations

import numpy as np

from spikey.engine import IzhNetwork
from spikey.module import ConfigError
from spikey.snn.neuron.izhikevich import Izhikevich
from spikey.snn.synapse.da_stdp import DASTDP
from spikey.snn.weight.delayed import DelayedSparse

_PARTS = (("neurons", Izhikevich), ("weights", DelayedSparse), ("synapses", DASTDP))


def attach(net):
    """An :class:`IzhDriver` when ``net`` uses the engine parts, None when it uses none of them."""
    used = [isinstance(getattr(net, name, None), cls) for name, cls in _PARTS]
    if not any(used):
        return None
    if not all(used):
        got = ", ".join(f"{name}={type(getattr(net, name, None)).__name__}" for name, _ in _PARTS)
        raise ConfigError(
            f"{type(net).__name__}: neuron.Izhikevich, weight.DelayedSparse and "
            f"synapse.DASTDP configure one compiled engine and work only together; "
            f"got {got}."
        )
    if hasattr(net, "continuous_reward"):
        raise ConfigError(
            f"{type(net).__name__}: the Izhikevich parts run a whole tick in one "
            "engine call, so a reward at every network step (ActiveRLNetwork) is "
            "not possible; use RLNetwork."
        )
    for name in ("n_neurons", "n_inputs"):
        own = net.settings[name]
        for part_name, _ in _PARTS:
            part_val = getattr(net, part_name).settings.get(name, own)
            if part_val != own:
                raise ConfigError(
                    f"{type(net).__name__}: part '{part_name}' has {name}={part_val} "
                    f"but the network has {own}."
                )
    net.weights.bind(net.neurons.polarities)
    return IzhDriver()


class IzhDriver:
    """The engine of one network and the input stimuli still in flight (see the module doc).

    Holds no reference to the network (it is pickled inside it)."""

    def __init__(self):
        self.engine = None
        self._carry = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))

    def reset(self, net):
        """Build a fresh engine from the parts' configuration and the current weights."""
        neu, w, syn = net.neurons, net.weights, net.synapses
        w.sync()
        pre, post, weight, delay, plastic = w.body_arrays()
        params = {
            **neu.engine_params(),
            **syn.engine_params(),
            "max_delay": int(w.settings.max_delay),
            "w_min": 0.0,
            "w_max": float(w.settings.max_weight),
        }
        engine_kind = "numba" if net.settings.fast_path else "reference"
        # all neurons count as "excitatory" for the engine: plastic and (a, b, c, d) are given
        # explicitly, and inhibitory synapses carry negative weights
        engine = IzhNetwork.from_arrays(
            pre,
            post,
            weight,
            delay,
            n_exc=net.settings.n_neurons,
            n_inh=0,
            plastic=plastic,
            seed=neu.engine_seed,
            mode=syn.settings.plasticity_mode,
            engine=engine_kind,
            neuron_abcd=neu.abcd,
            **params,
        )
        if self.engine is not None:  # continue the random stream over episodes
            engine.noise_state = self.engine.noise_state
        engine.da_release = syn.da_release
        self.engine = engine
        for part in (neu, w, syn):
            part.engine = engine
        self._carry = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))

    def tick(self, net) -> np.ndarray:
        """Run one tick; return its spike log (processing_time x (n_inputs + n_neurons))."""
        steps, ni, n = (net.settings[k] for k in ("processing_time", "n_inputs", "n_neurons"))
        in_vals, in_cols = net.inputs.tick_block(steps)
        in_vals, in_cols = _checked_block(net, in_vals, in_cols, steps, ni)
        stimuli = self._stimuli(net.weights, in_vals, in_cols, steps)
        pulse = net.synapses.take_pulse()
        rewards = (np.zeros(1, np.int64), np.array([pulse])) if pulse != 0 else None
        engine = self.engine
        engine.plasticity = bool(net.synapses.training)
        t0 = engine.t
        spikes = engine.run(steps, stimuli=stimuli, rewards=rewards)
        log = np.zeros((steps, ni + n))
        log[:, in_cols] = in_vals
        neu = net.neurons
        log[spikes.t - t0, ni + spikes.i] = neu.settings.magnitude * neu.polarities[spikes.i]
        net.internal_time += steps
        return log

    def _stimuli(self, w, vals, cols, steps):
        """Input spikes -> (t, neuron, amount) for this tick; later ones are kept for the next."""
        s_idx, c_idx = np.nonzero(vals)
        j = cols[c_idx]
        off = w.input_offsets
        start, count = off[j], off[j + 1] - off[j]
        rep = np.repeat(np.arange(j.size), count)
        first = np.cumsum(count) - count
        syn = start[rep] + (np.arange(rep.size) - first[rep])
        t = np.concatenate([self._carry[0], s_idx[rep] + w.delay[syn] - 1])
        i = np.concatenate([self._carry[1], w.post[syn]])
        a = np.concatenate([self._carry[2], vals[s_idx, c_idx][rep] * w.input_values(syn)])
        now = t < steps
        self._carry = (t[~now] - steps, i[~now], a[~now])
        return (t[now], i[now], a[now]) if now.any() else None


def _checked_block(net, vals, cols, steps, ni):
    vals = np.asarray(vals, dtype=float)
    cols = np.asarray(cols, dtype=np.int64).ravel()
    if vals.shape != (steps, cols.size) or (cols.size and (cols.min() < 0 or cols.max() >= ni)):
        raise ConfigError(
            f"{type(net).__name__}: the inputs gave spikes of shape {vals.shape} for "
            f"columns {cols[:10]}...; expected ({steps}, k) for k columns in 0..{ni - 1}."
        )
    if not np.all(np.isfinite(vals)):
        raise ConfigError(f"{type(net).__name__}: the inputs gave non-finite spike values.")
    return vals, cols
