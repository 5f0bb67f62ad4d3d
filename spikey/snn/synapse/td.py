"""ThreeFactorTD: eligibility traces turned into weight change by the TD error."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from spikey.module import Key, Module
from spikey.snn._util import check_number


class ThreeFactorTD(Module):
    """The actor-critic's plasticity: ``dW = lr * delta * z`` with traces
    ``z <- gamma lambda z + e`` per game step (delta: the critic's TD error).

    Critic synapses: ``e_ij`` sums post spike x presynaptic PSP over the step (TD-LTP).
    Actor synapses: ``e_ij = tag_k sum_t rho_i dt y_j`` for neuron i of population k, with
    ``tag_k = (1[a = k] - pi_k) tag_slope / sd``, ``pi = softmax(tag_slope m / sd)`` of the
    populations' expected counts m and ``sd = sqrt(sum m)``: the chosen population is
    credited above its expected share and the others below. Using the intensity rho,
    not the sampled spike, removes the bias that a neuron's own spikes make its
    population more likely to win.

    ``learning_rate`` scales every change (0: no learning, the control). With
    ``lr_halflife_episodes`` > 0 the rates fall as ``h / (h + episode)``.
    """

    NECESSARY_KEYS = [
        Key("lr_actor", "Actor learning rate.", float, default=2.5e-3),
        Key("lr_critic", "Critic learning rate.", float, default=2e-3),
        Key("lambda_actor", "Actor trace decay lambda (per game step, times gamma).", float, default=0.9),
        Key("lambda_critic", "Critic trace decay lambda.", float, default=0.9),
        Key("tag_slope", "Slope of the population policy (beta).", float, default=1.7),
        Key("max_weight", "Weights stay in [-max_weight, max_weight].", float, default=3.0),
        Key("init_weight_sd", "SD of the actor's initial weights (the critic starts at 0).", float, default=0.05),
        Key("learning_rate", "Scales every plastic change (0 switches learning off).", float, default=1.0),
        Key("lr_halflife_episodes", "Episodes until the rates halve (0: constant).", float, default=0.0),
    ]  # fmt: skip

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        for key in (
            "lr_actor",
            "lr_critic",
            "learning_rate",
            "init_weight_sd",
            "lr_halflife_episodes",
        ):
            check_number(self, key, getattr(self, f"_{key}"), lo=0)
        for key in ("lambda_actor", "lambda_critic"):
            check_number(self, key, getattr(self, f"_{key}"), lo=0, hi=1)
        check_number(self, "tag_slope", self._tag_slope, lo=0, lo_open=True)
        check_number(self, "max_weight", self._max_weight, lo=0, lo_open=True)

    def scale(self, episode: int) -> float:
        """The schedule's factor at ``episode`` (times ``learning_rate``)."""
        h = self._lr_halflife_episodes
        return self._learning_rate * (h / (h + episode) if h > 0 else 1.0)

    def tags(
        self, action: int, expected: np.ndarray, n_per_action: int, n_critic: int
    ) -> np.ndarray:
        """Per-neuron eligibility factors: the actor tags, then 1 for the critic."""
        m = np.asarray(expected, dtype=float)
        sd = math.sqrt(m.sum() + 1e-6)
        q = (self._tag_slope / sd) * m
        pi = np.exp(q - q.max())
        pi /= pi.sum()
        pi[action] -= 1.0  # pi - 1[a = k]
        out = np.ones(m.size * n_per_action + n_critic)
        out[: m.size * n_per_action].reshape(m.size, n_per_action)[:] = (
            -self._tag_slope / sd
        ) * pi[:, None]
        return out

    def rates(self, n_actor: int, n_critic: int, value_scale: float, escape_width: float,
              episode: int) -> np.ndarray:  # fmt: skip
        """Per-neuron learning rates (the critic's in units of V per spike)."""
        critic = self._lr_critic * value_scale / n_critic
        r = np.concatenate([np.full(n_actor, self._lr_actor), np.full(n_critic, critic)])
        return r * (self.scale(episode) / escape_width)

    def decays(self, gamma: float, n_actor: int, n_critic: int) -> np.ndarray:
        """Per-neuron trace decay per game step (gamma lambda)."""
        return np.concatenate(
            [
                np.full(n_actor, gamma * self._lambda_actor),
                np.full(n_critic, gamma * self._lambda_critic),
            ]
        )

    def initial_weights(self, n_in: int, n_actor: int, n_critic: int, rng) -> np.ndarray:
        """(n_in, n_actor + n_critic): small random actor weights, a silent-start critic."""
        w = np.zeros((n_in, n_actor + n_critic))
        w[:, :n_actor] = rng.normal(0.0, self._init_weight_sd, (n_in, n_actor))
        return w
