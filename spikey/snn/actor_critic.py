"""ActorCriticNetwork: a spiking actor-critic assembled from parts, played game step by step.

Per game step (``tick``) the network runs ``processing_time`` ms of escape-noise neurons
(:mod:`spikey.engine.escape`, one compiled call): encoder spikes drive the actor
populations (one per action, mutually inhibiting) and the critic. The readout picks the
busiest actor population; the critic's count gives V(s). ``reward`` hands over the
environment's reward; the critic's TD error, computed once V(s') is known (at the next
``tick``, or at once when the episode terminates), is the dopamine that turns the
eligibility traces into weight change. Only the environment runs in Python between two
compiled calls.

The loop is the original Spikey's::

    state = game.reset(); net.reset()
    for _ in range(max_steps):
        action = net.tick(state)
        state_next, reward, done, info = game.step(action)
        net.reward(state, action, state_next, reward, terminated=done)
        if done: break
        state = state_next

``reset()`` ends an episode; a transition still pending then is taken as terminal
(what an original-style loop that stops on ``done`` means), unless ``reward`` was told
``truncated=True``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key, Module
from spikey.snn._util import (
    StepReadings,
    build_parts,
    check_number,
    child_streams,
    given_reward,
    seed_sequence,
    template_params,
)


class ActorCriticNetwork(StepReadings, Module):
    """A spiking actor-critic that learns from reward through its dopamine signal.

    Compose it as any Spikey network template::

        class agent(ActorCriticNetwork):
            parts = {"inputs": input.GaussianFields, "neurons": neuron.EscapeNoise,
                     "synapses": synapse.ThreeFactorTD, "readout": readout.PopulationChoice,
                     "critic": critic.SpikingCritic}
            keys = {"n_actions": 2, "field_ranges": [...], ...}

    Keys are gathered from the constructor's keywords, then the template's ``keys``,
    then ``game.params`` (the higher wins) and handed to every part. A part given as a
    keyword (``inputs=MyEncoder``) replaces the template's.
    """

    NECESSARY_KEYS = [
        Key("processing_time", "Network steps (ms) per game step.", int, default=20),
        Key(
            "carry_state",
            "Keep traces, refractoriness and inhibition from one game step to the next "
            "(False: each step starts at rest).",
            bool,
            default=False,
        ),
        Key("seed", "int, list, SeedSequence or Generator seeding weights and spikes; None: from np.random.", default=None),
    ]  # fmt: skip
    NECESSARY_PARTS = [
        Key("inputs", "snn.input.GaussianFields or OneHotStates"),
        Key("neurons", "snn.neuron.EscapeNoise"),
        Key("synapses", "snn.synapse.ThreeFactorTD"),
        Key("readout", "snn.readout.PopulationChoice"),
        Key("critic", "snn.critic.SpikingCritic"),
        Key("rewarder", "snn.reward.Reward (used when reward() gets no reward)", default=None),
    ]

    def __init__(self, game: Any = None, **kwargs: Any):
        params = template_params(self, game, kwargs)
        self._params = params
        super().__init__(**params)
        check_number(self, "processing_time", self._processing_time, lo=1, hi=10_000, integer=True)
        # named children: the weights' stream and the spikes' stream
        structure, spikes = child_streams(seed_sequence(self._seed, self), 2)
        self.rng = np.random.default_rng(spikes)
        build_parts(self, params)
        self._build(np.random.default_rng(structure))

    def _build(self, rng) -> None:
        from spikey.engine import escape

        ro, cr, syn = self.readout.settings, self.critic.settings, self.synapses.settings
        k, na, nc = ro.n_actions, ro.n_per_action, cr.n_critic
        self.n_actions, self.n_per_action, self.n_critic = k, na, nc
        self.n_actor = k * na
        self.n_neurons = self.n_actor + nc
        self.n_inputs = len(self.inputs)
        # what the learning step reads (the parts' keys are fixed once built)
        self._learn_keys = (cr.value_scale, self.neurons.settings.escape_width, cr.gamma,
                            syn.max_weight)  # fmt: skip
        self.weights = self.synapses.initial_weights(self.n_inputs, self.n_actor, nc, rng)
        self.traces = np.zeros_like(self.weights)
        self.layout = escape.EscapeLayout(
            np.repeat(np.arange(k + 1), [na] * k + [nc]).astype(np.int64),
            np.array([na] * k + [nc], dtype=np.float64),
            np.array([True] * k + [False]),
            np.array([True] * self.n_actor + [cr.critic_eligibility == "rate"] * nc),
        )
        self.params_escape = self.neurons.params(ro.inhibition, ro.tau_inhibition_ms)
        t, n_all = self._processing_time, self.n_inputs + self.n_neurons
        self._out = (np.zeros_like(self.weights), np.zeros(k + 1), np.zeros(k + 1),
                     np.zeros((t, n_all), dtype=bool))  # fmt: skip
        self.episode = 0
        self.steps = 0
        self._state = escape.initial_state(self.n_inputs, self.n_neurons, k + 1)
        self._pending = None
        self._last = None  # (action index, V) of the latest tick
        self._rates = None  # (episode, per-neuron rates, trace decays): the schedule's cache

    # -- the loop ---------------------------------------------------------------------
    def reset(self) -> None:
        """End the episode (a pending transition counts as terminal) and start afresh."""
        if self._pending is not None:
            self._learn(self.critic.td_error(self._pending, self._last[1], None), None)
        if self._last is not None:
            self.episode += 1
        for arr in self._state:
            arr[:] = 0.0
        self.traces[:] = 0.0
        self._pending = None
        self._last = None

    def tick(self, state: Any) -> Any:
        """One game step: run the network on ``state``; return the readout's action."""
        from spikey.engine import escape

        act = self.inputs.activity(state)
        t = self._processing_time
        p = self.inputs.probabilities(act, t)
        rand_in = self.rng.random((t, self.n_inputs))
        expo = self.rng.standard_exponential((t, self.n_neurons))
        if not self._carry_state:  # each game step a fresh presentation
            for arr in self._state:
                arr[:] = 0.0
        escape.window(p, rand_in, expo, self.weights, self.params_escape, self._state,
                      self.layout, self._out)  # fmt: skip
        _, counts, expected, _ = self._out
        k = self.n_actions
        a = self.readout.choose(counts[:k], expected[:k], self.rng)
        v = self.critic.value(counts[k])
        if self.training:
            delta = 0.0
            if self._pending is not None:
                delta = self.critic.td_error(self._pending, self._last[1], v)
            self._learn(delta, (a, expected[:k]))
        self._pending = None
        self._last = (a, v)
        self.steps += 1
        return self.readout.action(a)

    def reward(self, state: Any = None, action: Any = None, state_next: Any = None,
               reward: float | None = None, terminated: bool = False,
               truncated: bool = False) -> float:  # fmt: skip
        """Hand over the reward of the last step; returns it.

        ``reward=None`` asks the ``rewarder`` part (``rewarder(state, action, state_next)``,
        the original's Reward protocol). The TD
        error is applied at the next ``tick`` (it needs V(s')), at once when
        ``terminated``, or with V(``state_next``) when ``truncated``.
        """
        r = given_reward(self, self._last, reward, state, action, state_next)
        if not self.training:
            return r
        if terminated:
            self._learn(self.critic.td_error(r, self._last[1], None), None)
        elif truncated:
            v_next = None
            if state_next is not None:
                last = self._last
                training, self.training = self.training, False
                self.tick(state_next)
                self.training = training
                v_next = self._last[1]
                self._last = last
            delta = self.critic.td_error(r, self._last[1], v_next)
            self._learn(delta, None)
        else:
            self._pending = r
            return r
        self._pending = None
        return r

    def _learn(self, delta: float, choice) -> None:
        from spikey.engine import escape

        if not self.training:
            return
        syn, nc = self.synapses, self.n_critic
        value_scale, escape_width, gamma, w_max = self._learn_keys
        if choice is None:
            tag = np.zeros(self.n_neurons)
        else:
            tag = syn.tags(choice[0], choice[1], self.n_per_action, nc)
        if self._rates is None or self._rates[0] != self.episode:
            rates = syn.rates(self.n_actor, nc, value_scale, escape_width, self.episode)
            self._rates = (self.episode, rates, syn.decays(gamma, self.n_actor, nc))
        _, rates, decay = self._rates
        escape.td_learn(self.weights, self.traces, self._out[0], tag, decay, rates, delta, w_max)

    # -- what users read --------------------------------------------------------------
    @property
    def spike_log(self) -> np.ndarray:
        """The last game step's spikes: rows are ms, columns inputs then neurons (0/1)."""
        return self._out[3].astype(float)

    @property
    def groups(self) -> np.ndarray:
        """The population of each neuron: actions 0..k-1, then the critic (k)."""
        return self.layout.group.copy()

    @property
    def counts(self) -> np.ndarray:
        """Spikes per population in the last game step (actors, then the critic)."""
        return self._out[1].copy()
