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


#: keys of the Gaussian-field input that the one-hot input does not take (dropped for a
#: Discrete observation, where a template that checks its keys would refuse them)
FIELD_ONLY_KEYS = tuple(
    key.name
    for key in GaussianFields.keys_of()
    if key.name not in {k.name for k in OneHotStates.keys_of()}
)


def network_for(env, keys: dict, seed, template: type = GymActorCritic, experiment: str = "rl"):
    """An actor-critic of class ``template`` sized for ``env``'s spaces; ``keys`` are the
    parts' keys.

    A ``Box`` observation gets the template's inputs (Gaussian fields: ranges from
    ``field_ranges`` where given, else from the space), a ``Discrete`` one a one-hot map
    (without the keys only the fields take, :data:`FIELD_ONLY_KEYS`); the action space must
    be ``Discrete``. Anything else is a ConfigError naming ``experiment`` and the key 'env'.
    ``template`` is any network template with ``inputs``, ``n_actions`` and ``seed`` keys,
    e.g. :class:`GymActorCritic` (the default) or the Izhikevich variant of
    :mod:`spikey.experiments.rl.izh`.
    """
    from gymnasium import spaces

    obs, act = env.observation_space, env.action_space
    name = env.spec.id if env.spec is not None else type(env).__name__
    if not isinstance(act, spaces.Discrete):
        raise ConfigError(
            f"{experiment}: key 'env' got {name!r}, whose action space is {act}; expected a "
            "Discrete action space (one actor population per action)."
        )
    keys = dict(keys, n_actions=int(act.n), seed=seed)
    if isinstance(obs, spaces.Box) and len(obs.shape) == 1:
        return template(observation_space=obs, **keys)
    if isinstance(obs, spaces.Discrete):
        keys = {k: v for k, v in keys.items() if k not in FIELD_ONLY_KEYS}
        return template(inputs=OneHotStates, n_states=int(obs.n), **keys)
    raise ConfigError(
        f"{experiment}: key 'env' got {name!r}, whose observation space is {obs}; expected a "
        "1-D Box or a Discrete space."
    )
