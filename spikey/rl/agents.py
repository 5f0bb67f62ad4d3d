"""Build the actor-critic network for a gymnasium environment from a flat config."""

from __future__ import annotations

from typing import Any

from spikey.module import ConfigError
from spikey.snn.actor_critic import ActorCriticNetwork
from spikey.snn.critic import SpikingCritic
from spikey.snn.input.fields import GaussianFields, OneHotStates
from spikey.snn.neuron.escape import EscapeNoise
from spikey.snn.readout.population_choice import PopulationChoice
from spikey.snn.synapse.td import ThreeFactorTD


class GymActorCritic(ActorCriticNetwork):
    """The actor-critic template the ``rl.*`` experiments train (Gaussian fields in)."""

    parts = {
        "inputs": GaussianFields,
        "neurons": EscapeNoise,
        "synapses": ThreeFactorTD,
        "readout": PopulationChoice,
        "critic": SpikingCritic,
    }


def make_env(env_id: str, **kwargs: Any):
    """``gymnasium.make(env_id)`` with a clear error for a missing package or unknown id."""
    try:
        import gymnasium
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            "The rl experiments need gymnasium: pip install 'spikey-snn[gym]'"
        ) from err
    try:
        return gymnasium.make(env_id, **kwargs)
    except gymnasium.error.DependencyNotInstalled as err:
        raise ConfigError(
            f"rl: key 'env' got {env_id!r}; its dependencies are missing ({err})"
        ) from None
    except gymnasium.error.Error as err:
        raise ConfigError(
            f"rl: key 'env' got {env_id!r}; expected a registered gymnasium id ({err})"
        ) from None


def network_for(env, keys: dict, seed) -> ActorCriticNetwork:
    """An actor-critic sized for ``env``'s spaces; ``keys`` are the parts' keys.

    A ``Box`` observation gets Gaussian fields (ranges from ``field_ranges`` where given,
    else from the space), a ``Discrete`` one a one-hot map; the action space must be
    ``Discrete``. Anything else is a ConfigError naming the key 'env'.
    """
    from gymnasium import spaces

    obs, act = env.observation_space, env.action_space
    name = env.spec.id if env.spec is not None else type(env).__name__
    if not isinstance(act, spaces.Discrete):
        raise ConfigError(
            f"rl: key 'env' got {name!r}, whose action space is {act}; expected a Discrete "
            "action space (one actor population per action)."
        )
    keys = dict(keys, n_actions=int(act.n), seed=seed)
    if isinstance(obs, spaces.Box) and len(obs.shape) == 1:
        return GymActorCritic(observation_space=obs, **keys)
    if isinstance(obs, spaces.Discrete):
        return GymActorCritic(inputs=OneHotStates, n_states=int(obs.n), **keys)
    raise ConfigError(
        f"rl: key 'env' got {name!r}, whose observation space is {obs}; expected a 1-D Box "
        "or a Discrete space."
    )
