"""Control tasks learned from reward alone by the spiking actor-critic.

Protocol (every ``rl.*`` experiment): train for at most ``max_episodes`` episodes, stopping
early when the mean return of the last ``stop_window`` episodes reaches ``stop_return`` and
so does a frozen check of ``check_episodes`` episodes on seeds of their own
(:mod:`spikey.rl.training`); then freeze plasticity and evaluate the network's own (stochastic) choice for
``eval_episodes`` episodes on environment seeds disjoint from training. The same
evaluation seeds are played by a uniformly random policy (the chance level). The policy
is the spiking network's output and its only learning signal is the environment's
scalar reward, through the critic's TD error as dopamine: no gradients, no hand-coded
controller, no reward shaping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from spikey.experiments.registry import Result, stream_sequence
from spikey.module import ConfigError

#: keys of the experiment that go to the network's parts (the rest is the protocol)
AGENT_KEYS = (
    "n_fields", "field_ranges", "field_width", "conjunctive_pairs", "n_conjunctive",
    "n_bias_inputs", "max_rate_hz", "input_code", "n_per_action", "n_critic", "inhibition",
    "tau_inhibition_ms", "choice", "rho0_hz", "escape_width", "refractory_amp",
    "tau_refractory_ms", "tau_syn_ms", "tau_mem_ms", "neuron_bias", "value_scale", "value_offset", "gamma",
    "dopamine", "lr_actor", "lr_critic", "lambda_actor", "lambda_critic", "tag_slope",
    "max_weight", "init_weight_sd", "learning_rate", "lr_halflife_episodes", "processing_time",
    "carry_state", "critic_eligibility", "td_clip", "escape_cap",
)  # fmt: skip

#: what :func:`run_protocol` measures, the metrics of every ``rl.*`` experiment
METRICS = (
    "eval_mean_return eval_median_return eval_min_return train_episodes train_seconds "
    "eval_seconds train_final_mean_return random_mean_return stopped_by_rule frozen_checks "
    "clipped_per_step"
)

#: declared observation ranges of known envs, used where ``field_ranges`` is None (the
#: presets' own; CartPole's velocities are unbounded, the others' spaces far wider than
#: the states visited)
KNOWN_RANGES: dict[str, list] = {
    "CartPole-v1": [[-2.4, 2.4], [-3.0, 3.0], [-0.21, 0.21], [-3.5, 3.5]],
    "Acrobot-v1": [None, None, None, None, [-6.0, 6.0], [-12.0, 12.0]],
    "LunarLander-v3": [[-1, 1], [-0.2, 1.6], [-2, 2], [-2, 1], [-1, 1], [-2, 2], [0, 1], [0, 1]],
}

DEFAULTS: dict[str, Any] = {
    "env": "CartPole-v1",
    "max_episodes": 500,
    "stop_return": math.nan,  # NaN: the goal (goal_return)
    "stop_window": 20,
    "check_episodes": 20,  # frozen check episodes before stopping (0: the running mean alone)
    "check_return": math.nan,  # what the check must reach (NaN: stop_return)
    "eval_episodes": 100,
    "goal_return": math.nan,  # NaN: the env's reward_threshold
    "goal_gates": True,  # False: the goal is reported and beating chance decides the verdict
    "max_steps": 0,  # 0: the env's own limit
    "raster_steps": 50,
    "n_fields": 12,
    "field_ranges": None,
    "field_width": 1.0,
    "conjunctive_pairs": [],
    "n_conjunctive": 6,
    "n_bias_inputs": 1,
    "max_rate_hz": 200.0,
    "input_code": "rate",
    "n_per_action": 25,
    "n_critic": 50,
    "inhibition": 0.0,
    "tau_inhibition_ms": 5.0,
    "choice": "spikes",
    "rho0_hz": 20.0,
    "escape_width": 1.0,
    "refractory_amp": 2.0,
    "tau_refractory_ms": 5.0,
    "tau_syn_ms": 5.0,
    "tau_mem_ms": 10.0,
    "neuron_bias": 0.0,
    "value_scale": 10.0,
    "value_offset": 0.0,
    "gamma": 0.97,
    "dopamine": "td",
    "lr_actor": 2.5e-3,
    "lr_critic": 2e-3,
    "lambda_actor": 0.9,
    "lambda_critic": 0.9,
    "tag_slope": 1.7,
    "max_weight": 3.0,
    "init_weight_sd": 0.05,
    "learning_rate": 1.0,
    "lr_halflife_episodes": 0.0,
    "processing_time": 20,
    "carry_state": False,
    "critic_eligibility": "spike",
    "td_clip": 0.0,
    "escape_cap": 8.0,
}


def check_config(config: dict) -> None:
    """Refuse a protocol that cannot run, naming the key (before any episode)."""

    def bad(key, expected):
        return ConfigError(f"rl: key {key!r} got {config[key]!r}; expected {expected}")

    for key, lo in (("max_episodes", 1), ("stop_window", 1), ("eval_episodes", 1), ("max_steps", 0),
                    ("raster_steps", 0), ("check_episodes", 0)):  # fmt: skip
        if not isinstance(config[key], int) or config[key] < lo:
            raise bad(key, f"an integer >= {lo}")
    for key in ("stop_return", "goal_return", "check_return"):
        if math.isinf(config[key]):
            raise bad(key, "a finite number or NaN (the default)")
    if not isinstance(config["goal_gates"], bool):
        raise bad("goal_gates", "True or False")
    if not isinstance(config["env"], str) or not config["env"]:
        raise bad("env", "a gymnasium id such as 'CartPole-v1'")


def random_returns(env, seed: int, n: int, max_steps: int) -> np.ndarray:
    """Returns of a uniformly random policy on the evaluation seeds ``0 .. n - 1`` (the
    chance level), drawn from the run's own stream ``rl/random-policy``."""
    from spikey.rl.training import env_seed

    rng = np.random.default_rng(stream_sequence(seed, "rl/random-policy"))
    out = []
    for k in range(n):
        env.reset(seed=env_seed(seed, "eval", k))
        env.action_space.seed(int(rng.integers(2**31)))
        total, steps = 0.0, 0
        while True:
            _, r, term, trunc, _ = env.step(env.action_space.sample())
            total += float(r)
            steps += 1
            if term or trunc or (max_steps and steps >= max_steps):
                break
        out.append(total)
    return np.array(out)


def run_task(config: dict, seed: int, progress: Callable[..., Any]) -> Result:
    """Train the actor-critic on ``config["env"]``, evaluate it frozen, judge the goal."""
    return run_protocol(config, seed, progress, escape_network)


def escape_network(env, config: dict, seed_seq):
    """The escape-noise actor-critic of :mod:`spikey.rl.agents` for ``env`` (its parts' keys
    from ``config``; declared ranges for known envs where ``field_ranges`` is None)."""
    from spikey.rl import agents

    return agents.network_for(env, agent_keys(config), seed_seq)


def agent_keys(config: dict) -> dict:
    """The escape-noise network's keys in a resolved ``rl.*`` config (its
    :data:`AGENT_KEYS`), with ``field_ranges`` from :data:`KNOWN_RANGES` where it is None
    and the env is known. ``n_actions`` and ``seed`` are not among them."""
    keys = {k: config[k] for k in AGENT_KEYS}
    if keys["field_ranges"] is None:
        keys["field_ranges"] = KNOWN_RANGES.get(config["env"])
    return keys


def run_protocol(config: dict, seed: int, progress: Callable[..., Any],
                 build: Callable[..., Any], label: str = "") -> Result:  # fmt: skip
    """The protocol of every ``rl.*`` experiment (the module doc) for the agent that
    ``build(env, config, seed_sequence)`` makes. The agent plays the Spikey RL loop
    (:func:`spikey.rl.episodes.play`) and exposes ``groups`` (the population of each
    neuron), ``processing_time``, ``n_inputs``, ``steps`` and ``inputs.n_clipped``."""
    from spikey.rl import agents, training
    from spikey.rl.episodes import play

    check_config(config)
    env = agents.make_env(config["env"])
    net = build(env, config, stream_sequence(seed, "rl/network"))
    goal = config["goal_return"]
    if math.isnan(goal):
        threshold = getattr(env.spec, "reward_threshold", None)
        goal = float(threshold) if threshold is not None else math.nan
    stop = config["stop_return"] if not math.isnan(config["stop_return"]) else goal
    stop = math.inf if math.isnan(stop) else stop
    max_steps = config["max_steps"] or None
    if max_steps is None and getattr(env.spec, "max_episode_steps", None) is None:
        env.close()
        raise ConfigError(
            f"rl: key 'max_steps' got 0 (the env's own limit), but {config['env']!r} has no time "
            "limit, so a policy that never ends an episode would run forever; expected "
            "max_steps >= 1 (e.g. --set max_steps=500)"
        )

    bar = progress(total=config["max_episodes"], desc=f"{config['env']}{label} seed {seed}")
    log = training.train(net, env, seed, config["max_episodes"], stop, config["stop_window"],
                         progress=bar, max_steps=max_steps,
                         check_episodes=config["check_episodes"],
                         check_return=None if math.isnan(config["check_return"]) else config["check_return"])  # fmt: skip
    bar.close()
    t0 = time.perf_counter()
    trace: list = []
    first = play(net, env, training.env_seed(seed, "eval", 0), False, max_steps, trace=trace)
    rest = training.evaluate(net, env, seed, config["eval_episodes"], max_steps, start=1)
    returns = np.concatenate([[first], rest])
    eval_s = time.perf_counter() - t0
    rand = random_returns(env, seed, config["eval_episodes"], config["max_steps"])
    env.close()

    steps = trace[: config["raster_steps"]]
    raster = [np.nonzero(row[2]) for row in steps]
    t_ms = (
        np.concatenate([r[0] + k * net.processing_time for k, r in enumerate(raster)])
        if raster
        else np.zeros(0)
    )
    idx = np.concatenate([r[1] for r in raster]) if raster else np.zeros(0)
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
            "raster_t_ms": t_ms,
            "raster_i": idx,
            "n_inputs": net.n_inputs,
            "step_ms": net.processing_time,
            "raster_steps": len(steps),
            "groups": np.asarray(net.groups),
            "values": np.array([row[1] for row in trace]),
            "env": config["env"],
            "goal": goal,
        },
    )
    gates = config["goal_gates"] and not math.isnan(goal)
    if not math.isnan(goal):
        res.check("eval_mean_return", returns.mean(), ">=", goal, gating=gates,
                  description=f"mean return of {len(returns)} frozen episodes reaches the goal")  # fmt: skip
    # without a gating goal (an env with no reward_threshold, or goal_gates=False) the run
    # must at least beat chance
    res.check("beats_random", returns.mean() - rand.mean(), ">", 0.0, gating=not gates,
              description="evaluation mean above the random policy's on the same seeds")  # fmt: skip
    return res
