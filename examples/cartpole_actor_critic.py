"""A spiking actor-critic learns CartPole-v1 from reward alone.

Frémaux, Sprekeler & Gerstner (2013), "Reinforcement learning using a continuous time
actor-critic framework with spiking neurons", PLoS Comput Biol 9:e1003024, showed a
spiking critic whose TD error is the third factor of the plasticity. This script builds
such a network from spikey's parts, in the Spikey template style, and trains it on
gymnasium's CartPole-v1 with the original loop ``tick`` / ``step`` / ``reward``:

* Gaussian receptive fields per observation dimension plus 8x8 grids on (x, x_dot) and
  (theta, theta_dot) turn the state into spikes (``input.GaussianFields``);
* escape-noise neurons (``neuron.EscapeNoise``) form two actor populations and a critic;
* the busiest actor population in a 20 ms game step is the action (``readout``);
* the critic's TD error, dips below zero included, is the dopamine that turns the
  eligibility traces into weight change (``critic.SpikingCritic``,
  ``synapse.ThreeFactorTD``).

The network's keys are those of the tuned ``rl.cartpole`` preset
(``spikey.experiments.rl.preset_keys``); the script prints the ones that shape it. Then
plasticity is frozen and 100 episodes on unseen seeds are played with the network's own
stochastic choice. ``SPIKEY_EXAMPLE_SHORT=1`` trains for 100 episodes only.

    python examples/cartpole_actor_critic.py
"""

import os

import gymnasium as gym
import matplotlib
import numpy as np

from spikey.experiments.rl import preset_keys
from spikey.snn import ActorCriticNetwork, critic, input, neuron, readout, synapse

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

short = os.environ.get("SPIKEY_EXAMPLE_SHORT") == "1"


class network_template(ActorCriticNetwork):
    parts = {
        "inputs": input.GaussianFields,
        "neurons": neuron.EscapeNoise,
        "synapses": synapse.ThreeFactorTD,
        "readout": readout.PopulationChoice,
        "critic": critic.SpikingCritic,
    }
    # the keys of the tuned rl.cartpole preset, from the library, so that this script trains
    # the network the benchmark measures (Gaussian fields on CartPole's ranges, conjunctive
    # grids, population sizes, learning rates, 20 ms of network time per game step)
    keys = dict(preset_keys("rl.cartpole"), n_actions=2)


def play(model, env, seed, learn=True):
    """One episode of the Spikey loop; returns its length."""
    model.train() if learn else model.eval()
    model.reset()
    state, _ = env.reset(seed=seed)
    for step in range(1, 501):
        action = model.tick(state)
        state_next, reward, terminated, truncated, _ = env.step(action)
        model.reward(state, action, state_next, reward, terminated=terminated, truncated=truncated)
        if terminated or truncated:
            break
        state = state_next
    model.reset()
    return step


shape = (
    "n_fields",
    "field_ranges",
    "conjunctive_pairs",
    "n_conjunctive",
    "n_per_action",
    "n_critic",
)
print("network:", ", ".join(f"{k}={network_template.keys[k]}" for k in shape))
env = gym.make("CartPole-v1")
model = network_template(seed=0)
lengths = []
for episode in range(100 if short else 1000):
    lengths.append(play(model, env, seed=episode))
    if len(lengths) >= 20 and np.mean(lengths[-20:]) >= 475:
        break
evaluation = [play(model, env, seed=10**6 + k, learn=False) for k in range(20 if short else 100)]
print(f"trained for {len(lengths)} episodes; mean of the last 20: {np.mean(lengths[-20:]):.1f}")
print(f"frozen evaluation on unseen seeds: mean {np.mean(evaluation):.1f}, min {min(evaluation)}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained")
ax1.plot(lengths, ".", ms=3, alpha=0.4)
ax1.plot(np.arange(19, len(lengths)), np.convolve(lengths, np.ones(20) / 20, "valid"))
ax1.set(xlabel="training episode", ylabel="steps balanced", title="learning curve")
ax2.hist(evaluation, bins=20)
ax2.set(xlabel="steps balanced (frozen)", ylabel="episodes", title="evaluation")
fig.savefig("cartpole_actor_critic.png", dpi=110)
