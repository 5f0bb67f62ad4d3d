"""``rl.cartpole-izh``: CartPole-v1 learned by Izhikevich neurons with the engine's DA-STDP.

The second variant of issue 18's agent (:class:`spikey.snn.izh_actor_critic.IzhActorCritic`)
under the protocol of every ``rl.*`` experiment (:mod:`spikey.experiments.rl.tasks`):
train for at most ``max_episodes`` episodes with the two-stage stop rule of
:func:`spikey.rl.training.train`, then freeze plasticity and evaluate the network's own
choice for ``eval_episodes`` episodes on the evaluation seeds ``env_seed(seed, "eval", k)``;
a uniformly random policy plays the same seeds. It is ``tasks.run_protocol`` with the
shared builder :func:`spikey.rl.agents.network_for` given this module's template
(:class:`GymIzhActorCritic`), so the metrics and criteria are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spikey.experiments.registry import Result, register
from spikey.experiments.rl.plots import plot_task
from spikey.experiments.rl.tasks import AGENT_KEYS as _ESCAPE_AGENT_KEYS
from spikey.experiments.rl.tasks import DEFAULTS as _TASK_DEFAULTS
from spikey.experiments.rl.tasks import KNOWN_RANGES, METRICS, run_protocol
from spikey.rl import agents
from spikey.snn.critic import SpikingCritic
from spikey.snn.input.fields import GaussianFields
from spikey.snn.izh_actor_critic import IzhActorCritic

#: the protocol's keys: every key of the rl tasks that is not the escape-noise agent's
PROTOCOL_KEYS = tuple(k for k in _TASK_DEFAULTS if k not in _ESCAPE_AGENT_KEYS)
#: the Gaussian fields' keys that the rl tasks set (from the part, so a new one is carried)
FIELD_KEYS = tuple(k.name for k in GaussianFields.keys_of() if k.name in _TASK_DEFAULTS)
CRITIC_KEYS = {"n_critic": 50, "value_scale": 15.0, "value_offset": 0.0, "gamma": 0.97,
               "dopamine": "td"}  # fmt: skip
#: the network's own keys with their defaults (IzhActorCritic's, restated for the CLI)
IZH_KEYS = {key.name: key.default for key in IzhActorCritic.keys_of()
            if key.name not in ("n_actions", "seed")}  # fmt: skip

DEFAULTS: dict[str, Any] = {
    **{k: _TASK_DEFAULTS[k] for k in PROTOCOL_KEYS + FIELD_KEYS},
    **CRITIC_KEYS,
    **IZH_KEYS,
    "env": "CartPole-v1",
    "field_ranges": KNOWN_RANGES["CartPole-v1"],
    "conjunctive_pairs": [[0, 1], [2, 3]],
    "goal_return": 475.0,
    "max_episodes": 1000,
}
# the quick run judges the escape-noise agent's quick bar (60 after 100 episodes): this
# variant does not reach it (its untrained choice already scores ~36, the learning-rate-0
# control 35-39), so its quick run says FAIL rather than pass a bar learning cannot miss
QUICK = {"max_episodes": 100, "eval_episodes": 20, "goal_return": 60.0, "stop_return": 475.0}


class GymIzhActorCritic(IzhActorCritic):
    """The Izhikevich actor-critic template for gymnasium tasks (Gaussian fields in)."""

    parts = {"inputs": GaussianFields, "critic": SpikingCritic}


def _build(env, config: dict, seed_seq) -> IzhActorCritic:
    keys = {k: config[k] for k in FIELD_KEYS + tuple(CRITIC_KEYS) + tuple(IZH_KEYS)}
    return agents.network_for(env, keys, seed_seq, GymIzhActorCritic, "rl.cartpole-izh")


def run_izh_task(config: dict, seed: int, progress: Callable[..., Any]) -> Result:
    """Train the Izhikevich actor-critic on ``config["env"]``, evaluate it frozen."""
    return run_protocol(config, seed, progress, _build, label=" (izh)")


register(
    "rl.cartpole-izh",
    defaults=DEFAULTS,
    quick=QUICK,
    description="CartPole-v1: Izhikevich actor-critic learning by DA-STDP, evaluated frozen",
    plot=plot_task,
    metrics=METRICS,
)(run_izh_task)
