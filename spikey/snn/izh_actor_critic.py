"""IzhActorCritic: the actor-critic on Izhikevich neurons, learning by the engine's DA-STDP.

The second variant of issue 18's CartPole agent (the first, :class:`ActorCriticNetwork`,
uses escape-noise neurons and a hand-written three-factor rule). Here every neuron is an
Izhikevich neuron of :class:`spikey.engine.network.IzhNetwork`, and the only plasticity is
the engine's dopamine-modulated STDP (eligibility ``c`` from spike pairings, weight change
``(d + tonic) c``, ``tonic_da = 0``), driven through its public
``run(..., stimuli=, rewards=)`` and ``plasticity`` switch:

- **inputs**: the observation's Gaussian-field activities (``inputs`` part,
  :class:`~spikey.snn.input.GaussianFields`) become per-ms spike probabilities; each input
  neuron that draws a spike gets a kick of ``input_kick`` mV (one spike the next ms).
- **actor network**: the input neurons, then ``n_actions`` populations of
  ``n_per_action`` neurons (``neuron_type``, FS by default: RS neurons adapt so strongly
  that the population that fired most in one window fires least in the next, and the
  choice turned against the weights), each fed by every input through a plastic synapse;
  optional mutual inhibition (``inhibition``, off by default: with it the choice was a
  race barely related to the weights). The action is the population with most spikes in
  the game step, ties drawn at random: the network's own stochastic choice, its noise
  being the input's spike draws and the engine's uniform background input (``noise_amp``).
- **efference copy** (``actor_eligibility="efference"``): the game step's run is frozen;
  after the choice a short plastic run takes the pending dopamine at its first ms, then
  ``efference_gap`` ms later kicks the other populations, turns the input on, and kicks
  the chosen population (``efference_kick`` mV, ``efference_ms`` each): the losers fire
  before the input (post before pre, ``-a_minus``), the winner after it (``+a_plus``): meant
  as the active inputs times a signed action tag. Measured, the losers' kick also pairs
  with the game step's own input spikes (pre before post, within the STDP window), so a
  TD error moves the losers' weights the same way as the winner's, less far
  (``python benchmarks/bench_rl_izh.py --efference-probe``). ``"window"``: plastic in every ms,
  every population eligible by its own spikes (and the winner kicked after the choice).
- **critic network**: the same input into ``n_critic`` neurons through plastic synapses
  (no depression term: TD-LTP-like); V(s) = ``value_offset + value_scale x`` their mean
  spike count in a frozen run (the ``critic`` part, :class:`~spikey.snn.critic.SpikingCritic`,
  reads it out and forms the TD error; ``dopamine="reward"`` / ``"nodip"`` are the
  ablations). With ``critic_learning="separate"`` its eligibility comes from a plastic run
  of its own after the TD error, so the chance count that set V does not also pick the
  synapses that error credits.
- **dopamine**: the TD error delta, times ``lr_actor`` (``lr_critic``), is a reward pulse of
  each network; a negative delta is a dip. Two networks, because one dopamine signal and
  one ``a_plus`` per network cannot give actor and critic their own rates, trace lengths
  (``tau_c_actor``, ``tau_c_critic``, in ms of plastic time) and STDP shapes.

Between episodes both networks rest ``rest_ms`` without input (plastic while training), so
the last dopamine is spent and the eligibility decays; the first step of an episode is
preceded by one frozen step on its observation (the onset of input after rest made every
neuron fire at once). ``eval()`` freezes plasticity; ``learning_rate`` scales every
dopamine pulse (0: no weight ever changes, the control).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key, Module, config_error
from spikey.snn._util import (
    StepReadings,
    build_parts,
    check_number,
    child_streams,
    given_reward,
    seed_sequence,
    template_params,
)

_FLOAT_KEYS = {  # key: (lo, hi, lo_open)
    "input_kick": (0.0, 1e4, True), "noise_amp": (0.0, 100.0, False),
    "w_init": (0.0, None, False), "w_init_spread": (0.0, None, False), "w_max": (0.0, 1e3, True),
    "inhibition": (0.0, 1e3, False), "efference_kick": (0.0, 1e4, False), "a_plus": (0.0, 10.0, False), "a_minus": (0.0, 10.0, False),
    "tau_c_actor": (1.0, 1e5, False), "tau_c_critic": (1.0, 1e5, False),
    "tau_d": (1.0, 1e4, False), "lr_actor": (0.0, 1e4, False), "lr_critic": (0.0, 1e4, False),
    "learning_rate": (0.0, 1e4, False),
}  # fmt: skip


class IzhActorCritic(StepReadings, Module):
    """A spiking actor-critic of Izhikevich neurons that learns by DA-STDP from reward.

    Compose it as a Spikey network template::

        class agent(IzhActorCritic):
            parts = {"inputs": input.GaussianFields, "critic": critic.SpikingCritic}
            keys = {"n_actions": 2, "field_ranges": [...], ...}

    Keys come from the constructor's keywords over the template's ``keys`` over
    ``game.params``; every part gets them all. A key no part and no network declares is
    refused (a typo must not pass silently). The loop is the one of
    :class:`~spikey.snn.actor_critic.ActorCriticNetwork` (``tick``, ``reward``, ``reset``,
    ``train``/``eval``), so :mod:`spikey.rl.training` drives either.
    """

    NECESSARY_KEYS = [
        Key("n_actions", "Number of actions (one population each).", int),
        Key("n_per_action", "Izhikevich neurons per action population.", int, default=50),
        Key("processing_time", "Network ms per game step.", int, default=20),
        Key("rest_ms", "Network ms without input between episodes.", int, default=200),
        Key("input_kick", "mV of input current that makes an input neuron spike.", float, default=100.0),
        Key("noise_amp", "Half-width of the engine's uniform background input (mV).", float, default=6.5),
        Key("w_init", "Initial weight of the plastic synapses (mV per spike).", float, default=1.0),
        Key("w_init_spread", "Initial weights are uniform in w_init +- this.", float, default=0.5),
        Key("w_max", "Upper bound of the plastic weights.", float, default=4.0),
        Key("inhibition", "mV with which each actor spike inhibits the other populations.", float, default=0.0),
        Key("efference_kick", "mV kick to the chosen population after each choice (0: none).", float, default=20.0),
        Key("efference_ms", "ms of the efference kick (then half a game step settles, input off).", int, default=3),
        Key("efference_gap", "ms between the dopamine and the kick (actor_eligibility='efference').", int, default=5),
        Key("actor_eligibility", "'efference': the actor is plastic in its efference runs only (eligibility = input x chosen action); 'window': in every ms.", str, default="efference"),
        Key("critic_learning", "'separate': V from a frozen run, eligibility from a plastic run of its own (the TD error arrives before it); 'window': one plastic run, the TD error a step late.", str, default="separate"),
        Key("neuron_type", "Izhikevich type of the actor and critic neurons (RS, FS, ...; inputs are RS).", str, default="FS"),
        Key("a_plus", "STDP potentiation of the eligibility per pairing.", float, default=0.1),
        Key("a_minus", "STDP depression of the actor's eligibility per post-before-pre pairing (the critic's is 0: TD-LTP-like).", float, default=0.1),
        Key("tau_c_actor", "Eligibility time constant of the actor (ms of plastic time).", float, default=60.0),
        Key("tau_c_critic", "Eligibility time constant of the critic (ms).", float, default=150.0),
        Key("tau_d", "Dopamine time constant (ms).", float, default=2.0),
        Key("lr_actor", "Actor dopamine per unit of TD error.", float, default=0.3),
        Key("lr_critic", "Critic dopamine per unit of TD error.", float, default=1.0),
        Key("learning_rate", "Scales every dopamine pulse (0: learning off).", float, default=1.0),
        Key("seed", "int, list, SeedSequence or Generator; None: from np.random.", default=None),
    ]  # fmt: skip
    NECESSARY_PARTS = [
        Key("inputs", "snn.input.GaussianFields (activity, probabilities, n_clipped)"),
        Key("critic", "snn.critic.SpikingCritic (value and td_error)"),
        Key("rewarder", "snn.reward.Reward (used when reward() gets no reward)", default=None),
    ]

    def __init__(self, game: Any = None, **kwargs: Any):
        params = template_params(self, game, kwargs)
        super().__init__(**params)
        self._check_keys(params)
        # named children: weights, choice and input draws, actor noise, critic noise
        streams = child_streams(seed_sequence(self._seed, self), 4)
        self.rng = np.random.default_rng(streams[1])
        build_parts(self, params)
        self._build(np.random.default_rng(streams[0]), streams[2], streams[3])

    def _check_keys(self, params: dict) -> None:
        known = {k.name for k in self.keys_of()} | {"game"}
        for key in self.NECESSARY_PARTS:
            cls = self.parts.get(key.name)
            if isinstance(cls, type) and issubclass(cls, Module):
                known |= {k.name for k in cls.keys_of()}
            elif cls is not None:
                known |= set(params)  # a user part that is no Module: its keys are unknown
        unknown = sorted(set(params) - known)
        if unknown:
            raise config_error(self, unknown[0], params[unknown[0]],
                               f"a key of the network or its parts ({', '.join(sorted(known))})")  # fmt: skip
        for name, lo in (
            ("n_actions", 1),
            ("n_per_action", 1),
            ("processing_time", 1),
            ("rest_ms", 1),
        ):
            check_number(self, name, getattr(self, f"_{name}"), lo=lo, hi=100_000, integer=True)
        for name, (lo, hi, lo_open) in _FLOAT_KEYS.items():
            check_number(self, name, getattr(self, f"_{name}"), lo=lo, hi=hi, lo_open=lo_open)
        if (
            self._w_init - self._w_init_spread < 0
            or self._w_init + self._w_init_spread > self._w_max
        ):
            raise config_error(self, "w_init", self._w_init,
                               f"w_init +- w_init_spread ({self._w_init_spread}) within [0, w_max={self._w_max}]")  # fmt: skip

        from spikey.engine.params import NEURON_TYPES

        if self._neuron_type not in NEURON_TYPES:
            raise config_error(
                self, "neuron_type", self._neuron_type, f"one of {sorted(NEURON_TYPES)}"
            )
        if self._critic_learning not in ("separate", "window"):
            raise config_error(
                self, "critic_learning", self._critic_learning, "'separate' or 'window'"
            )
        if self._actor_eligibility not in ("efference", "window"):
            raise config_error(
                self, "actor_eligibility", self._actor_eligibility, "'efference' or 'window'"
            )
        if self._actor_eligibility == "efference" and self._efference_kick <= 0:
            raise config_error(self, "efference_kick", self._efference_kick,
                               "a kick > 0 with actor_eligibility='efference' (or 'window')")  # fmt: skip
        worst = self._inhibition * self._n_per_action * max(0, self._n_actions - 1)
        if worst > 100.0:  # every other neuron firing in one ms: v must stay finite
            raise config_error(self, "inhibition", self._inhibition,
                               f"inhibition x n_per_action x (n_actions - 1) <= 100 mV (got {worst:g}; "
                               "a larger summed inhibition makes the neurons' Euler steps diverge)")  # fmt: skip

    # -- construction -----------------------------------------------------------------
    def _net(self, n_post: int, tau_c: float, seed_seq, rng, inhibit: bool):
        """An IzhNetwork: inputs 0..n_in-1 onto ``n_post`` neurons (plastic, delay 1)."""
        from spikey.engine.network import IzhNetwork
        from spikey.engine.params import NEURON_TYPES

        n_in = self.n_inputs
        pre = np.repeat(np.arange(n_in), n_post)
        post = np.tile(np.arange(n_in, n_in + n_post), n_in)
        lo, hi = self._w_init - self._w_init_spread, self._w_init + self._w_init_spread
        w = rng.uniform(lo, hi, pre.size) if hi > lo else np.full(pre.size, lo)
        plastic = np.ones(pre.size, dtype=bool)
        if inhibit and self._inhibition > 0 and self.n_actions > 1:
            pop = np.arange(n_post) // self._n_per_action
            src, dst = np.nonzero(pop[:, None] != pop[None, :])
            pre = np.concatenate([pre, n_in + src])
            post = np.concatenate([post, n_in + dst])
            w = np.concatenate([w, np.full(src.size, -self._inhibition)])
            plastic = np.concatenate([plastic, np.zeros(src.size, dtype=bool)])
        seed = int(seed_seq.generate_state(1, np.uint64)[0] >> np.uint64(1))
        abcd = np.array([NEURON_TYPES["RS"]] * n_in + [NEURON_TYPES[self._neuron_type]] * n_post)
        net = IzhNetwork.from_arrays(
            pre, post, w, np.ones(pre.size, dtype=np.int64), n_exc=n_in + n_post, n_inh=0,
            plastic=plastic, seed=seed, mode="exact", noise_amp=self._noise_amp,
            w_max=self._w_max, a_plus=self._a_plus, a_minus=self._a_minus if inhibit else 0.0, tau_c=tau_c,
            tau_d=self._tau_d, tonic_da=0.0, neuron_abcd=abcd,
        )  # fmt: skip
        syn = np.flatnonzero(net.plastic)
        return net, syn

    def _build(self, rng, actor_seed, critic_seed) -> None:
        self.n_inputs = len(self.inputs)
        k, na = self._n_actions, self._n_per_action
        self.n_actions, self.n_per_action = k, na
        self.n_critic = self.critic.settings.n_critic
        self.actor_net, self.actor_synapses = self._net(
            k * na, self._tau_c_actor, actor_seed, rng, True
        )
        self.critic_net, self.critic_synapses = self._net(
            self.n_critic, self._tau_c_critic, critic_seed, rng, False
        )
        self.episode = 0
        self.steps = 0
        self._pending = None  # reward of the last transition, waiting for V(s')
        self._last = None  # (action index, V) of the latest tick
        self._actor_da = 0.0  # dopamine due to the actor at its next run
        self._critic_da = 0.0  # dopamine due to the critic at its next run
        self._spikes = np.zeros((self._processing_time, self.n_inputs + k * na + self.n_critic))
        self._counts = np.zeros(k + 1)

    # -- the loop ---------------------------------------------------------------------
    def train(self) -> None:
        """Plasticity on (both networks)."""
        self.training = True
        self.actor_net.plasticity = self.critic_net.plasticity = True

    def eval(self) -> None:
        """Plasticity off (both networks): weights and eligibility frozen."""
        self.training = False
        self.actor_net.plasticity = self.critic_net.plasticity = False

    def reset(self) -> None:
        """End the episode (a pending transition counts as terminal), rest, start afresh."""
        if self._pending is not None:
            self._terminal(self._pending)
        if self._last is not None:
            self.episode += 1
            if self._rest_ms > 0:
                for net, da in (
                    (self.actor_net, self._actor_da),
                    (self.critic_net, self._critic_da),
                ):
                    net.plasticity = self.training
                    net.run(self._rest_ms, rewards=self._pulse(da))
        self._actor_da = self._critic_da = 0.0
        self._pending = None
        self._last = None

    def _pulse(self, amount: float):
        if amount == 0.0 or not self.training:
            return None
        return (np.zeros(1, dtype=np.int64), np.array([amount]))

    def tick(self, state: Any) -> Any:
        """One game step: run both networks on ``state``; return the chosen action."""
        act = self.inputs.activity(state)
        t, n_in, k = self._processing_time, self.n_inputs, self.n_actions
        p = self.inputs.probabilities(act, t)
        if self._last is None:  # first step of an episode: absorb the onset burst, frozen
            self._warm_up(p)
        stim = self._stimuli(p)
        separate = self._critic_learning == "separate"
        starts = (self.actor_net.t, self.critic_net.t)  # the step runs' first ms, for _record
        if separate:  # V from a frozen run, eligibility from a run of its own (below)
            crit = self._frozen_run(self.critic_net, stim)
        else:
            crit = self.critic_net.run(t, stimuli=stim, rewards=self._pulse(self._critic_da))
            self._critic_da = 0.0
        c_idx = crit.i[crit.i >= n_in] - n_in
        v = self.critic.value(c_idx.size)
        if self.training and self._pending is not None:
            delta = self.critic.td_error(self._pending, self._last[1], v)
            self._dopamine(delta)
        if separate:
            self._critic_learn_run(p)
        tagged = self._actor_eligibility == "efference"
        if tagged:  # the actor learns in its efference runs only
            actor = self._frozen_run(self.actor_net, stim)
        else:
            actor = self.actor_net.run(t, stimuli=stim, rewards=self._pulse(self._actor_da))
            self._actor_da = 0.0
        a_idx = actor.i[actor.i >= n_in] - n_in
        counts = np.bincount(a_idx // self.n_per_action, minlength=k)
        best = np.flatnonzero(counts == counts.max())
        a = int(best[0] if best.size == 1 else self.rng.choice(best))
        self._record(actor, crit, starts, counts, c_idx.size)
        if self._efference_kick > 0:
            self._efference(p, a)
        self._pending = None
        self._last = (a, v)
        self.steps += 1
        return a

    def _stimuli(self, p: np.ndarray):
        tt, ii = np.nonzero(self.rng.random(p.shape) < p)
        return (tt, ii, np.full(tt.size, self._input_kick))

    def _warm_up(self, p: np.ndarray) -> None:
        """Run both networks frozen on the first observation for one game step: after the
        rest every neuron has recovered, and the input's onset would make them fire together
        (a critic value far above any later one)."""
        stim = self._stimuli(p)
        for net in (self.critic_net, self.actor_net):
            self._frozen_run(net, stim)

    def _frozen_run(self, net, stim):
        """One game step of ``net`` on ``stim`` with plasticity off (then back to
        ``training``); its spikes."""
        net.plasticity = False
        out = net.run(self._processing_time, stimuli=stim)
        net.plasticity = self.training
        return out

    def _critic_learn_run(self, p: np.ndarray) -> None:
        """The critic's plastic run (``critic_learning="separate"``): the pending dopamine at
        its first ms, then ``efference_gap`` ms later half a game step of the input, whose
        pairings are the eligibility the next TD error credits. Its spikes are a sample of
        their own, so a window whose count came out high by chance (a high V, a low TD
        error) does not also make the synapses that will be credited."""
        gap, t = self._efference_gap, self._processing_time // 2 or 1
        tt, ii, amount = self._stimuli(p[:t])
        self.critic_net.run(gap + t, stimuli=(tt + gap, ii, amount),
                            rewards=self._pulse(self._critic_da))  # fmt: skip
        self._critic_da = 0.0

    def _efference(self, p: np.ndarray, a: int) -> None:
        """A short actor run after the choice that makes the action's eligibility (an
        efference copy; its spikes are not counted).

        ``actor_eligibility="window"``: the input goes on again with the chosen population
        kicked (pre before post: its synapses from the active inputs become eligible).
        ``"efference"``: the pending dopamine comes at the first ms; ``efference_gap`` ms
        later the other populations are kicked for ``efference_ms``, then the input is on
        for ``efference_ms``, then the chosen population is kicked: the losers fire before
        the input (post before pre: ``-a_minus``), the winner after it (``+a_plus``). The
        losers' kick also follows the game step's input spikes within the STDP window, so
        their net eligibility is positive too: a TD error moves the winner's weights
        further than the losers', both the same way (see the module doc).
        """
        t, na, k = self._efference_ms, self.n_per_action, self.n_actions
        pop = self.n_inputs + np.arange(k * na)
        winners = pop[a * na : (a + 1) * na]
        if self._actor_eligibility == "window":
            gap, rewards, t_in, t_win, losers = 0, None, 0, 0, pop[:0]
        else:
            gap, rewards = self._efference_gap, self._pulse(self._actor_da)
            self._actor_da = 0.0
            t_in, t_win = gap + t, gap + 2 * t
            losers = np.concatenate([pop[: a * na], pop[(a + 1) * na :]])
        tt, ii, amount = self._stimuli(p[:t])
        times = [
            tt + t_in,
            np.repeat(np.arange(t) + t_win, na),
            np.repeat(np.arange(t) + gap, losers.size),
        ]
        who = [ii, np.tile(winners, t), np.tile(losers, t)]
        times, who = np.concatenate(times), np.concatenate(who)
        amounts = np.full(times.size, self._efference_kick)
        amounts[: tt.size] = amount
        order = np.argsort(times, kind="stable")
        stim = (times[order], who[order], amounts[order])
        self.actor_net.run(t_win + t + self._processing_time // 2, stimuli=stim, rewards=rewards)

    def _dopamine(self, delta: float) -> None:
        lr = self._learning_rate
        self._actor_da += lr * self._lr_actor * delta
        self._critic_da += lr * self._lr_critic * delta

    def _terminal(self, reward: float) -> None:
        """Apply the TD error of a terminal transition: both networks get their dopamine."""
        if self.training:
            self._dopamine(self.critic.td_error(reward, self._last[1], None))

    def _record(self, actor, crit, starts, counts, n_crit_spikes) -> None:
        """Keep the game step's spikes (``spike_log``) and counts; ``starts`` are the actor's
        and the critic's clocks at the start of their step runs (the critic's separate
        learning run has advanced its clock since)."""
        s = self._spikes
        s[:] = 0.0
        s[actor.t - starts[0], actor.i] = 1.0
        c = crit.i >= self.n_inputs
        s[crit.t[c] - starts[1], crit.i[c] + self.n_actions * self.n_per_action] = 1.0
        self._counts[:-1], self._counts[-1] = counts, n_crit_spikes

    def reward(self, state: Any = None, action: Any = None, state_next: Any = None,
               reward: float | None = None, terminated: bool = False,
               truncated: bool = False) -> float:  # fmt: skip
        """Hand over the reward of the last step; returns it.

        The TD error needs V(s'): it is formed at the next ``tick``; at once when
        ``terminated`` (``r - V(s)``); with V(``state_next``) from one more tick when
        ``truncated``. That tick is not frozen (unlike
        :class:`~spikey.snn.actor_critic.ActorCriticNetwork`'s): its critic learning and
        efference runs are plastic, so the truncation's TD error, spent in the rest of
        ``reset``, credits the pairings of ``state_next`` and its action besides (decayed)
        those of the last step; it also counts in ``steps``. ``reward=None`` asks the ``rewarder`` part.
        """
        r = given_reward(self, self._last, reward, state, action, state_next)
        if not self.training:
            return r
        if terminated:
            self._terminal(r)
        elif truncated and state_next is not None:
            last = self._last
            self.tick(state_next)  # V(s'); no dopamine (nothing pending), plastic runs
            self._dopamine(self.critic.td_error(r, last[1], self._last[1]))
            self._last = last
        elif truncated:
            self._terminal(r)
        else:
            self._pending = r
            return r
        self._pending = None
        return r

    # -- what users read --------------------------------------------------------------
    @property
    def spike_log(self) -> np.ndarray:
        """The last game step's spikes: rows are ms; columns the inputs, actors, critic."""
        return self._spikes.copy()

    @property
    def groups(self) -> np.ndarray:
        """The population of each neuron: actions 0..k-1, then the critic (k)."""
        k, na = self.n_actions, self.n_per_action
        return np.repeat(np.arange(k + 1), [na] * k + [self.n_critic])

    @property
    def counts(self) -> np.ndarray:
        """Spikes per population in the last game step (actors, then the critic)."""
        return self._counts.copy()

    def actor_weights(self) -> np.ndarray:
        """Plastic input-to-actor weights, (n_inputs, n_actions * n_per_action)."""
        return self._matrix(self.actor_net, self.actor_synapses)

    def critic_weights(self) -> np.ndarray:
        """Plastic input-to-critic weights, (n_inputs, n_critic)."""
        return self._matrix(self.critic_net, self.critic_synapses)

    def _matrix(self, net, syn) -> np.ndarray:
        n_in = self.n_inputs
        out = np.zeros((n_in, net.n - n_in))
        out[net.pre[syn], net.post[syn] - n_in] = net.weights()[syn]
        return out
