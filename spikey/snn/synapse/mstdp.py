"""Florian's (2007) reward-modulated STDP rules, MSTDP and MSTDPET, as Spikey synapse parts.

Florian R.V. (2007), *Reinforcement learning through modulation of spike-timing-dependent
synaptic plasticity*, Neural Computation 19:1468-1502. In discrete time (step δt = one
network step) each synapse j -> i keeps two STDP traces, an STDP term ζ and, for MSTDPET,
an eligibility trace z; with f(t) = 1 where the neuron spiked at step t:

    P+_j(t) = P+_j(t-1) e^(-1/τ+) + A+ f_j(t)        presynaptic trace
    P-_i(t) = P-_i(t-1) e^(-1/τ-) + A- f_i(t)        postsynaptic trace (A- < 0)
    ζ_ij(t) = P+_j(t) f_i(t) + P-_i(t) f_j(t)
    MSTDP:    w_ij(t+1) = w_ij(t) + γ r(t+1) ζ_ij(t)
    MSTDPET:  z_ij(t+1) = z_ij(t) e^(-1/τz) + ζ_ij(t) / τz
              w_ij(t+1) = w_ij(t) + γ r(t+1) z_ij(t+1)

Order of operations, as the Spikey network drives a synapse: ``update(spike_log, pol)``
takes the last row of ``spike_log`` as the spikes f(t) and advances P+, P-, ζ (and z);
``reward(r)`` then applies the weight change with r = r(t+1). So a reward given once per
network step (``ActiveRLNetwork``) is Florian's reward signal; one given once per game step
(``RLNetwork``) modulates only the last step's ζ (MSTDP) or the current z (MSTDPET).

Spikey conventions kept: weights are ``weights._matrix[pre, post]`` with rows the inputs
then the body and columns the body; a presynaptic column's polarity (-1 inhibitory) turns
the change of its non-negative stored weight around, so the *signed* efficacy follows the
equations; absent synapses (``weights.live`` False, when the weight object has ``live``)
never change; ``weights.clip()`` runs after every change. Any object with ``_matrix``,
``matrix`` and ``clip()`` works as the weights. :mod:`spikey.snn.synapse.mstdp_reference`
holds the equations as plain per-synapse loops; a test holds these parts to them.
"""

from __future__ import annotations

import numpy as np

from spikey.module import Key
from spikey.snn._util import check_number
from spikey.snn.synapse.template import RLSynapse


class MSTDP(RLSynapse):
    """Modulated STDP (Florian 2007): ``w += learning_rate * r * ζ`` at every reward.

    ``learning_rate`` is γ; ``tau_plus``/``tau_minus`` default to ``stdp_window`` (the
    original notebooks' "stdp_window: 20  # Tau_+ = Tau_- = 20ms"). ``trace_decay`` is
    accepted for compatibility with the other synapse parts and not used: Florian's reward
    is not integrated. State after each ``update``: ``pre_trace`` (P+, one per presynaptic
    column), ``post_trace`` (P-, one per body neuron) and ``zeta`` (ζ, the weight matrix's
    shape). ``eval()`` freezes traces and weights.
    """

    NECESSARY_KEYS = RLSynapse.extend_keys(
        [
            Key(
                "trace_decay",
                "Not used by this rule (Florian's reward is not integrated); accepted for "
                "compatibility with the other synapse parts.",
                float,
                1,
            ),
            Key("a_plus", "STDP amplitude A+ added to P+ at a presynaptic spike.", float, 1.0),
            Key("a_minus", "STDP amplitude A- added to P- at a postsynaptic spike.", float, -1.0),
            Key(
                "tau_plus",
                "Decay time of P+ in steps (> 0); None: stdp_window.",
                (float, type(None)),
                None,
            ),
            Key(
                "tau_minus",
                "Decay time of P- in steps (> 0); None: stdp_window.",
                (float, type(None)),
                None,
            ),
        ]
    )

    def __init__(self, w, **kwargs):
        super().__init__(w, **kwargs)
        check_number(self, "a_plus", self._a_plus)
        check_number(self, "a_minus", self._a_minus)
        for key in ("tau_plus", "tau_minus"):
            value = getattr(self, f"_{key}")
            check_number(
                self, key, self._stdp_window if value is None else value, lo=0, lo_open=True
            )
        self.reset()

    @property
    def tau_plus(self) -> float:
        """τ+ in steps (``tau_plus``, or ``stdp_window`` when that is None)."""
        return float(self._stdp_window if self._tau_plus is None else self._tau_plus)

    @property
    def tau_minus(self) -> float:
        """τ- in steps (``tau_minus``, or ``stdp_window`` when that is None)."""
        return float(self._stdp_window if self._tau_minus is None else self._tau_minus)

    def reset(self):
        """Clear the traces (start of an episode)."""
        super().reset()
        n_pre, n_post = self._n_inputs + self._n_neurons, self._n_neurons
        self.pre_trace = np.zeros(n_pre)
        self.post_trace = np.zeros(n_post)
        self.zeta = np.zeros((n_pre, n_post))
        self._polarities = np.ones(n_pre)

    def _advance(self, spike_log, polarities):
        """P+, P- and ζ for the spikes in the last row of ``spike_log``."""
        log = np.asarray(spike_log)
        n_pre = self._n_inputs + self._n_neurons
        if log.ndim != 2 or log.shape[1] != n_pre:
            raise ValueError(
                f"{type(self).__name__}.update: spike_log has shape {log.shape}; expected "
                f"(steps, n_inputs + n_neurons = {n_pre})"
            )
        self._polarities = np.broadcast_to(np.asarray(polarities, dtype=float), (n_pre,))
        self.pre_trace *= np.exp(-1.0 / self.tau_plus)
        self.post_trace *= np.exp(-1.0 / self.tau_minus)
        if log.shape[0] == 0:
            self.zeta[:] = 0.0
            return
        fired = log[-1] != 0
        post_fired = fired[self._n_inputs :]
        self.pre_trace[fired] += self._a_plus
        self.post_trace[post_fired] += self._a_minus
        self.zeta[:] = 0.0
        if post_fired.any():
            self.zeta[:, post_fired] += self.pre_trace[:, None]
        if fired.any():
            self.zeta[fired, :] += self.post_trace[None, :]

    def update(self, spike_log, polarities):
        """One network step: advance the traces with the spikes of ``spike_log[-1]``."""
        if self.training:
            self._advance(spike_log, polarities)

    def _modulated(self) -> np.ndarray:
        """What the reward multiplies: ζ for MSTDP."""
        return self.zeta

    def reward(self, rwd: float):
        """Apply ``w += learning_rate * rwd * (ζ or z)``; ``rwd`` is r(t + 1)."""
        if not self.training or rwd == 0 or self._learning_rate == 0:
            return
        change = self._modulated()
        rows = np.flatnonzero(np.any(change != 0, axis=1))
        if rows.size == 0:
            return
        delta = (self._learning_rate * float(rwd)) * change[rows] * self._polarities[rows, None]
        live = getattr(self.weights, "live", None)
        if live is not None:
            delta = np.where(np.asarray(live)[rows], delta, 0.0)
        self.weights._matrix[rows] += delta
        self.weights.clip()


class MSTDPET(MSTDP):
    """Modulated STDP with an eligibility trace (Florian 2007).

    ζ feeds ``eligibility`` z (``z = z e^(-1/tau_z) + ζ / tau_z`` at every ``update``), and
    every reward applies ``w += learning_rate * r * z``: a reward still acts on pairings up
    to a few ``tau_z`` steps old. See :class:`MSTDP` for the other keys and the state.
    """

    NECESSARY_KEYS = MSTDP.extend_keys(
        [Key("tau_z", "Decay time of the eligibility trace z in steps (> 0).", float, 25.0)]
    )

    def __init__(self, w, **kwargs):
        super().__init__(w, **kwargs)
        check_number(self, "tau_z", self._tau_z, lo=0, lo_open=True)

    def reset(self):
        super().reset()
        self.eligibility = np.zeros_like(self.zeta)

    def _advance(self, spike_log, polarities):
        super()._advance(spike_log, polarities)
        self.eligibility *= np.exp(-1.0 / self._tau_z)
        self.eligibility += self.zeta / self._tau_z

    def _modulated(self) -> np.ndarray:
        return self.eligibility
