"""``florian2007.xor``: the original repository's rate-coded XOR (``florian2007_XOR.ipynb``).

Two input groups of 30 neurons each fire at ``high_rate`` per step while their bit is 1
and stay silent while it is 0; 60 hidden neurons and one output neuron, fully connected
layer to layer (initial weights uniform in [0, ``weight_high``]). Each game step shows one
of the four input pairs for ``processing_time`` steps. An :class:`ActiveRLNetwork` rewards
the synapses at every network step: +1 each time the output fires while the answer should
be 1 ((0, 1), (1, 0)), -1 each time it fires while it should be 0 ((0, 0), (1, 1)), 0 when
it is silent. ``synapse.RLSTDP`` with a decaying reward trace (``trace_decay`` 0.04, i.e.
τz = 25 steps) learns from that.

The notebook's own "win" test decides a run: per input pair, the mean output rate over
that pair's last ``eval_steps // 4`` presentations; the run wins when the lowest of the two
"1" pairs exceeds the highest of the two "0" pairs by more than ``win_margin`` (0.02).
A control with ``learning_rate = 0`` from the same initial weights and random streams must
not win. Configuration and loop are the notebook's; only the seeding is per job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from spikey.experiments.registry import Result, job_rng
from spikey.experiments.seed.common import captured, seeds_from
from spikey.games import Logic
from spikey.snn import ActiveRLNetwork, input, neuron, readout, reward, synapse, weight
from spikey.viz import print_rates

DEFAULTS = {
    "len_episode": 800,  # game steps (input presentations) per run
    "eval_steps": 50,  # the last steps the accuracy and the win test look at
    "processing_time": 500,  # network steps per presentation
    "n_inputs": 60,
    "n_hidden": 60,
    "high_rate": 0.08,  # the notebook's 40 / PROCESSING_TIME spikes per step
    "weight_high": 0.2,  # initial weights uniform(0, weight_high)
    "learning_rate": 0.625 / 25,  # gamma_0 = gamma / tau_z
    "control_learning_rate": 0.0,
    "trace_decay": 0.04,  # tau_z = 25 steps
    "stdp_window": 20,  # tau_+ = tau_- = 20 steps
    "firing_threshold": 16.0,
    "potential_decay": 0.05,
    "prob_rand_fire": 0.15,
    "max_weight": 5.0,
    "input_pct_inhibitory": 0.5,
    "punish_mult": 1.0,
    "win_margin": 0.02,
}
QUICK = {"len_episode": 300, "processing_time": 250, "eval_steps": 40}

#: every metric an xor Result holds (each also with the prefix ``control_``)
_RUN_METRICS = (
    "high_rate low_rate margin win accuracy w_input_hidden_before w_input_hidden_after "
    "w_hidden_output_before w_hidden_output_after rate_00 rate_01 rate_10 rate_11"
).split()
METRICS = tuple(_RUN_METRICS + [f"control_{m}" for m in _RUN_METRICS] + ["control_weight_change"])

HIGH_STATES = ((False, True), (True, False))  # XOR answer 1
LOW_STATES = ((False, False), (True, True))  # XOR answer 0


class FlorianReward(reward.template.Reward):
    """The notebook's rewarder: +reward_mult per output spike when XOR is 1, -punish_mult
    per output spike when it is 0, nothing while the output is silent."""

    def __call__(self, state, action, state_next):
        if not action:
            return 0.0
        return self._reward_mult if sum(state) % 2 == 1 else -self._punish_mult


def output_fired(network: ActiveRLNetwork, state: Any) -> float:
    """The notebook's ``continuous_rwd_action``: did the output neuron fire this step."""
    return network.spike_log[-1, -1]


class XORNetwork(ActiveRLNetwork):
    """The notebook's ``network_template``; sizes, weights and rates are given per run."""

    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "synapses": synapse.RLSTDP,
        "weights": weight.Manual,
        "readout": readout.Threshold,
        "rewarder": FlorianReward,
    }
    keys = {
        "n_outputs": 1,
        "neuron_pct_inhibitory": 0.0,
        "magnitude": 1,
        "refractory_period": 0,
        "action_threshold": 0,  # the readout always answers True; the reward judges spikes
        "continuous_rwd_action": output_fired,
    }


def rate_map(high_rate: float) -> dict:
    """Group rates per input pair: a group fires at ``high_rate`` while its bit is 1."""
    return {
        (a, b): np.array([high_rate * a, high_rate * b], dtype=float)
        for a in (False, True)
        for b in (False, True)
    }


def initial_matrix(config: dict, rng: np.random.Generator) -> list:
    """The notebook's two feed-forward layers, uniform in [0, weight_high]."""
    n_in, n_hid, hi = config["n_inputs"], config["n_hidden"], config["weight_high"]
    return [rng.uniform(0, hi, (n_in, n_hid)), rng.uniform(0, hi, (n_hid, 1))]


def build(config: dict, layers: list, net_seed: int, learning_rate: float) -> XORNetwork:
    """One run's network: the notebook's keys from ``config``, copies of ``layers``."""
    return XORNetwork(
        n_inputs=config["n_inputs"],
        n_neurons=config["n_hidden"] + 1,
        matrix=[layer.copy() for layer in layers],
        input_pct_inhibitory=float(config["input_pct_inhibitory"]),
        firing_threshold=float(config["firing_threshold"]),
        prob_rand_fire=float(config["prob_rand_fire"]),
        potential_decay=float(config["potential_decay"]),
        trace_decay=float(config["trace_decay"]),
        punish_mult=float(config["punish_mult"]),
        processing_time=int(config["processing_time"]),
        learning_rate=float(learning_rate),
        max_weight=float(config["max_weight"]),
        stdp_window=int(config["stdp_window"]),
        state_rate_map=rate_map(config["high_rate"]),
        seed=net_seed,
    )


def play(
    model: XORNetwork,
    game: Logic,
    len_episode: int,
    progress: Callable[..., Any] | None = None,
    desc: str = "",
) -> dict:
    """The notebook's training loop (one episode); per-step rates, states and actions."""
    logs = {k: [] for k in ("inrates", "sysrates", "outrates", "states")}
    n_in, steps = model.settings.n_inputs, model.settings.processing_time
    bar = progress(total=len_episode, desc=desc) if progress else None
    model.reset()
    state = game.reset()
    for _ in range(len_episode):
        action = model.tick(state)
        state_next, _, done, _ = game.step(action)
        model.reward(state, action, state_next)
        spikes = np.abs(model.spike_log[-steps:])
        logs["inrates"].append(float(spikes[:, :n_in].mean()))
        logs["sysrates"].append(float(spikes[:, n_in:-1].mean()))
        logs["outrates"].append(float(spikes[:, -1].mean()))
        logs["states"].append(tuple(bool(x) for x in state))
        state = state_next
        if bar:
            bar.update(1)
        if done:
            break
    if bar:
        bar.close()
    return logs


def win_test(states: list, outrates: list, eval_steps: int, margin: float) -> dict:
    """The notebook's ``print_success``: per-pair late rates, the win test and accuracy.

    ``high_rate`` is the lowest, over the two "1" pairs, of the pair's mean output rate over
    its last ``eval_steps // 4`` presentations; ``low_rate`` the highest over the "0" pairs.
    ``accuracy`` counts, over the last ``eval_steps`` steps, "1" pairs whose rate exceeds
    ``low_rate`` and "0" pairs whose rate is below ``high_rate``. (The notebook's loop read
    ``states[-0]``, the first step, instead of the last; this reads the last.)
    """
    states = np.asarray(states, dtype=bool).reshape(-1, 2)
    rates = np.asarray(outrates, dtype=float)
    late = max(eval_steps // 4, 1)

    def pair_rate(pair):
        mask = np.all(states == np.asarray(pair), axis=1)
        return float(rates[mask][-late:].mean()) if mask.any() else float("nan")

    per_pair = {pair: pair_rate(pair) for pair in HIGH_STATES + LOW_STATES}
    high = min(per_pair[p] for p in HIGH_STATES)
    low = max(per_pair[p] for p in LOW_STATES)
    tail_states, tail_rates = states[-eval_steps:], rates[-eval_steps:]
    odd = tail_states.sum(axis=1) % 2 == 1
    correct = np.where(odd, tail_rates > low, tail_rates < high)
    return {
        "high_rate": high,
        "low_rate": low,
        "margin": high - low,
        "win": float(high > low + margin),
        "accuracy": float(correct.mean()) if correct.size else float("nan"),
        "per_pair": per_pair,
    }


def _weight_sums(model, n_inputs) -> tuple[float, float]:
    m = model.synapses.weights.matrix
    return float(np.sum(m[:n_inputs])), float(np.sum(m[n_inputs:]))


def run_xor(config: dict, seed: int, progress: Callable[..., Any]) -> Result:
    """``florian2007.xor``: train the rate-coded XOR network, then a learning_rate=0 control.

    Both start from the same weights and game seed. It passes when, after training, the
    slower '1' input pair drives the output faster than the faster '0' pair by more than
    ``win_margin`` (the notebook's win test), and the control does not.
    """
    layers = initial_matrix(config, job_rng(seed, name="florian2007.xor/weights"))
    game_seed, net_seed = seeds_from(seed, "florian2007.xor")
    result, text = Result(), []
    runs = (("", config["learning_rate"]), ("control_", config["control_learning_rate"]))
    for prefix, lr in runs:
        game = Logic(preset="XOR")
        game.seed(game_seed)
        model = build(config, layers, net_seed, lr)
        before = _weight_sums(model, config["n_inputs"])
        logs = play(model, game, config["len_episode"], progress, desc=f"florian2007.xor lr={lr}")
        after = _weight_sums(model, config["n_inputs"])
        won = win_test(logs["states"], logs["outrates"], config["eval_steps"], config["win_margin"])
        result.metrics.update(
            {
                f"{prefix}high_rate": won["high_rate"],
                f"{prefix}low_rate": won["low_rate"],
                f"{prefix}margin": won["margin"],
                f"{prefix}win": won["win"],
                f"{prefix}accuracy": won["accuracy"],
                f"{prefix}w_input_hidden_before": before[0],
                f"{prefix}w_input_hidden_after": after[0],
                f"{prefix}w_hidden_output_before": before[1],
                f"{prefix}w_hidden_output_after": after[1],
            }
        )
        for pair, rate in won["per_pair"].items():
            result.metrics[f"{prefix}rate_{int(pair[0])}{int(pair[1])}"] = rate
        name = "control" if prefix else "learning"
        text.append(f"{name} (learning_rate={lr}):")
        text.append(
            captured(
                print_rates,
                step_inrates=[logs["inrates"]],
                step_outrates=[logs["outrates"]],
                step_states=[logs["states"]],
                observation_space=list(rate_map(0.0)),
            ).rstrip()
        )
        text.append(f"{before[0]:.0f} -> {after[0]:.0f}")
        text.append(f"{before[1]:.0f} -> {after[1]:.0f}")
        text.append(f"{won['high_rate']:.4g} {won['low_rate']:.4g}")
        text.append(f"Florian - Win: {bool(won['win'])}, Accuracy: {won['accuracy']}")
        result.figures[f"{prefix}outrates"] = logs["outrates"]
        result.figures[f"{prefix}states"] = [list(s) for s in logs["states"]]
    control_change = abs(
        result.metrics["control_w_input_hidden_after"]
        - result.metrics["control_w_input_hidden_before"]
    ) + abs(
        result.metrics["control_w_hidden_output_after"]
        - result.metrics["control_w_hidden_output_before"]
    )
    result.metrics["control_weight_change"] = control_change
    result.figures["win_margin"] = float(config["win_margin"])
    result.check(
        "win",
        result.metrics["win"],
        ">=",
        1.0,
        description="after training, the slower '1' pair fires faster than the faster '0' pair "
        "by more than win_margin (the notebook's win test); 1 = win",
    )
    result.check(
        "control_win",
        result.metrics["control_win"],
        "<=",
        0.0,
        description="the same test with learning_rate=0 from the same start: no win",
    )
    if config["control_learning_rate"] == 0:
        result.check(
            "control_weight_change",
            control_change,
            "<=",
            0.0,
            description="summed |change| of the control's weights (learning_rate=0 changes none)",
        )
    result.text = "\n".join(text)
    return result


__all__ = ["DEFAULTS", "METRICS", "QUICK", "FlorianReward", "XORNetwork", "run_xor", "win_test"]
