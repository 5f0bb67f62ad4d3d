"""``rl.cartpole-izh``: CartPole-v1 learned by Izhikevich neurons with the engine's DA-STDP.

The second variant of issue 18's agent (:class:`spikey.snn.izh_actor_critic.IzhActorCritic`)
under the protocol of every ``rl.*`` experiment (:mod:`spikey.experiments.rl.tasks`):
train for at most ``max_episodes`` episodes with the two-stage stop rule of
:func:`spikey.rl.training.train`, then freeze plasticity and evaluate the network's own
choice for ``eval_episodes`` episodes on the evaluation seeds ``env_seed(seed, "eval", k)``;
a uniformly random policy plays the same seeds. ``tasks.run_task`` builds the escape-noise
network itself, so this module runs the same protocol with its own builder
(:func:`network_for`) and the same metric names.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from spikey.experiments.registry import Result, register, stream_sequence
from spikey.experiments.rl.plots import plot_task
from spikey.experiments.rl.tasks import AGENT_KEYS as _ESCAPE_AGENT_KEYS
from spikey.experiments.rl.tasks import DEFAULTS as _TASK_DEFAULTS
from spikey.experiments.rl.tasks import check_config
from spikey.module import ConfigError
from spikey.snn.critic import SpikingCritic
from spikey.snn.input.fields import GaussianFields, OneHotStates
from spikey.snn.izh_actor_critic import IzhActorCritic

#: the protocol's keys: every key of the rl tasks that is not the escape-noise agent's
PROTOCOL_KEYS = tuple(k for k in _TASK_DEFAULTS if k not in _ESCAPE_AGENT_KEYS)
FIELD_KEYS = ("n_fields", "field_ranges", "field_width", "conjunctive_pairs", "n_conjunctive",
              "n_bias_inputs", "max_rate_hz", "input_code")  # fmt: skip
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
    "field_ranges": [[-2.4, 2.4], [-3.0, 3.0], [-0.21, 0.21], [-3.5, 3.5]],
    "conjunctive_pairs": [[0, 1], [2, 3]],
    "goal_return": 475.0,
    "max_episodes": 1000,
}
QUICK = {"max_episodes": 100, "eval_episodes": 20, "goal_return": 0.0, "stop_return": 475.0}
METRICS = (
    "eval_mean_return eval_median_return eval_min_return train_episodes train_seconds "
    "eval_seconds train_final_mean_return random_mean_return stopped_by_rule frozen_checks "
    "clipped_per_step"
)


class GymIzhActorCritic(IzhActorCritic):
    """The Izhikevich actor-critic template for gymnasium tasks (Gaussian fields in)."""

    parts = {"inputs": GaussianFields, "critic": SpikingCritic}


def network_for(env, keys: dict, seed) -> IzhActorCritic:
    """An :class:`IzhActorCritic` sized for ``env``'s spaces (Box: Gaussian fields,
    Discrete: one-hot); a ConfigError naming 'env' for any other space."""
    from gymnasium import spaces

    obs, act = env.observation_space, env.action_space
    name = env.spec.id if env.spec is not None else type(env).__name__
    if not isinstance(act, spaces.Discrete):
        raise ConfigError(
            f"rl.cartpole-izh: key 'env' got {name!r}, whose action space is {act}; expected "
            "a Discrete action space (one actor population per action)."
        )
    keys = dict(keys, n_actions=int(act.n), seed=seed)
    if isinstance(obs, spaces.Box) and len(obs.shape) == 1:
        return GymIzhActorCritic(observation_space=obs, **keys)
    if isinstance(obs, spaces.Discrete):
        keys = {
            k: v
            for k, v in keys.items()
            if k not in FIELD_KEYS or k in ("n_bias_inputs", "max_rate_hz")
        }
        return GymIzhActorCritic(inputs=OneHotStates, n_states=int(obs.n), **keys)
    raise ConfigError(
        f"rl.cartpole-izh: key 'env' got {name!r}, whose observation space is {obs}; expected "
        "a 1-D Box or a Discrete space."
    )


def random_returns(env, seed: int, n: int, max_steps: int) -> np.ndarray:
    """Returns of a uniformly random policy on evaluation seeds ``0 .. n - 1`` (the chance
    level; its own stream, ``rl/random-policy``, as in :mod:`~spikey.experiments.rl.tasks`)."""
    from spikey.rl.training import env_seed

    rng = np.random.default_rng(stream_sequence(seed, "rl/random-policy"))
    out = np.zeros(n)
    for k in range(n):
        env.reset(seed=env_seed(seed, "eval", k))
        env.action_space.seed(int(rng.integers(2**31)))
        steps, done = 0, False
        while not done:
            _, r, term, trunc, _ = env.step(env.action_space.sample())
            out[k] += float(r)
            steps += 1
            done = term or trunc or bool(max_steps and steps >= max_steps)
    return out


def _figures(net, trace: list, n_steps: int) -> dict:
    steps = trace[:n_steps]
    raster = [np.nonzero(row[2]) for row in steps]
    cat = (lambda xs: np.concatenate(xs)) if raster else (lambda xs: np.zeros(0))
    k, na = net.n_actions, net.n_per_action
    return {
        "raster_t_ms": cat([r[0] + j * net.processing_time for j, r in enumerate(raster)]),
        "raster_i": cat([r[1] for r in raster]),
        "n_inputs": net.n_inputs,
        "step_ms": net.processing_time,
        "raster_steps": len(steps),
        "groups": np.repeat(np.arange(k + 1), [na] * k + [net.n_critic]),
        "values": np.array([row[1] for row in trace]),
    }


def run_izh_task(config: dict, seed: int, progress: Callable[..., Any]) -> Result:
    """Train the Izhikevich actor-critic on ``config["env"]``, evaluate it frozen."""
    from spikey.rl import agents, training
    from spikey.rl.episodes import play

    check_config(config)
    env = agents.make_env(config["env"])
    keys = {k: config[k] for k in FIELD_KEYS + tuple(CRITIC_KEYS) + tuple(IZH_KEYS)}
    net = network_for(env, keys, stream_sequence(seed, "rl/network"))
    goal = config["goal_return"]
    if math.isnan(goal):
        goal = float(getattr(env.spec, "reward_threshold", None) or math.nan)
    stop = config["stop_return"] if not math.isnan(config["stop_return"]) else goal
    stop = math.inf if math.isnan(stop) else stop
    max_steps = config["max_steps"] or None
    if max_steps is None and getattr(env.spec, "max_episode_steps", None) is None:
        env.close()
        raise ConfigError(
            f"rl.cartpole-izh: key 'max_steps' got 0 (the env's own limit), but "
            f"{config['env']!r} has no time limit; expected max_steps >= 1"
        )
    check = None if math.isnan(config["check_return"]) else config["check_return"]
    bar = progress(total=config["max_episodes"], desc=f"{config['env']} (izh) seed {seed}")
    log = training.train(net, env, seed, config["max_episodes"], stop, config["stop_window"],
                         progress=bar, max_steps=max_steps,
                         check_episodes=config["check_episodes"], check_return=check)  # fmt: skip
    bar.close()
    t0 = time.perf_counter()
    trace: list = []
    first = play(net, env, training.env_seed(seed, "eval", 0), False, max_steps, trace=trace)
    rest = training.evaluate(net, env, seed, config["eval_episodes"], max_steps, start=1)
    returns = np.concatenate([[first], rest])
    eval_s = time.perf_counter() - t0
    rand = random_returns(env, seed, config["eval_episodes"], config["max_steps"])
    env.close()
    res = Result(
        metrics={
            "eval_mean_return": float(returns.mean()),
            "eval_median_return": float(np.median(returns)),
            "eval_min_return": float(returns.min()),
            "train_episodes": len(log.returns),
            "train_seconds": log.seconds,
            "eval_seconds": eval_s,
            "train_final_mean_return": float(np.mean(log.returns[-config["stop_window"] :])),
            "random_mean_return": float(rand.mean()),
            "stopped_by_rule": float(log.stopped_by_rule),
            "frozen_checks": len(log.checks),
            "clipped_per_step": net.inputs.n_clipped / max(1, net.steps),
        },
        figures={
            "train_returns": np.asarray(log.returns),
            "eval_returns": returns,
            "random_returns": rand,
            "env": config["env"],
            "goal": goal,
            **_figures(net, trace, config["raster_steps"]),
        },
    )
    gates = config.get("goal_gates", True) and not math.isnan(goal)
    if not math.isnan(goal):
        res.check("eval_mean_return", returns.mean(), ">=", goal, gating=gates,
                  description=f"mean return of {len(returns)} frozen episodes reaches the goal")  # fmt: skip
    res.check("beats_random", returns.mean() - rand.mean(), ">", 0.0, gating=not gates,
              description="evaluation mean above the random policy's on the same seeds")  # fmt: skip
    return res


register(
    "rl.cartpole-izh",
    defaults=DEFAULTS,
    quick=QUICK,
    description="CartPole-v1: Izhikevich actor-critic learning by DA-STDP, evaluated frozen",
    plot=plot_task,
    metrics=METRICS,
)(run_izh_task)
