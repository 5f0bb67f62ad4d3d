"""The rl.* experiments: a learning test that can fail, the control, seeds, bad input."""

import json
import math

import numpy as np
import pytest

gym = pytest.importorskip("gymnasium")

from spikey.experiments import registry  # noqa: E402
from spikey.module import ConfigError  # noqa: E402


def _quick(name, **overrides):
    exp = registry.get(name)
    return exp.func(exp.resolve(overrides, quick=True), 0, lambda **k: _Bar())


class _Bar:
    def update(self, n=1):
        pass

    def close(self):
        pass


def test_cartpole_quick_learns_and_its_control_does_not():
    learned = _quick("rl.cartpole")
    control = _quick("rl.cartpole", learning_rate=0.0)
    assert learned.passed and not control.passed
    m, c = learned.metrics, control.metrics
    assert m["eval_mean_return"] >= 60 > c["eval_mean_return"]
    assert c["eval_mean_return"] < 2 * c["random_mean_return"]  # the control stays at chance
    assert m["train_episodes"] == 100 and len(learned.figures["eval_returns"]) == 20
    assert learned.figures["raster_t_ms"].size > 0 and learned.figures["values"].size > 0


def test_same_seed_same_metrics():
    a = _quick("rl.cartpole", max_episodes=5, eval_episodes=3)
    b = _quick("rl.cartpole", max_episodes=5, eval_episodes=3)
    for key in ("eval_mean_return", "train_final_mean_return", "random_mean_return"):
        assert a.metrics[key] == b.metrics[key]
    np.testing.assert_array_equal(a.figures["train_returns"], b.figures["train_returns"])


def test_a_learning_rate_change_keeps_the_environment_seeds():
    a = _quick("rl.cartpole", max_episodes=3, eval_episodes=3, learning_rate=0.0)
    b = _quick("rl.cartpole", max_episodes=3, eval_episodes=3, lr_actor=0.5, learning_rate=0.0)
    assert a.metrics["random_mean_return"] == b.metrics["random_mean_return"]
    np.testing.assert_array_equal(a.figures["train_returns"], b.figures["train_returns"])


def test_gym_plays_a_discrete_observation_env():
    res = _quick("rl.gym", env="FrozenLake-v1", max_episodes=5, eval_episodes=3)
    assert res.figures["n_inputs"] == 16 + 1
    assert 0.0 <= res.metrics["eval_mean_return"] <= 1.0


def test_without_a_goal_the_run_must_beat_chance():
    res = _quick("rl.gym", env="CliffWalking-v1", max_steps=30, max_episodes=2, eval_episodes=3)
    assert [c.name for c in res.criteria] == ["beats_random"]  # no reward_threshold: no goal
    (crit,) = res.criteria
    assert crit.gating and res.passed == (crit.value > 0)


def test_gym_quick_judges_against_chance_and_reports_the_goal():
    res = _quick("rl.gym", max_episodes=2, eval_episodes=3)  # CartPole: goal 475
    crit = {c.name: c for c in res.criteria}
    assert not crit["eval_mean_return"].gating and crit["beats_random"].gating
    assert res.passed == (crit["beats_random"].value > 0)
    full = _quick("rl.cartpole", max_episodes=2, eval_episodes=3)
    assert {c.name: c.gating for c in full.criteria} == {
        "eval_mean_return": True,
        "beats_random": False,
    }


def test_an_env_without_a_time_limit_needs_max_steps():
    with pytest.raises(ConfigError, match="max_steps"):
        _quick("rl.gym", env="CliffWalking-v1", max_episodes=2, eval_episodes=2)


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"env": "Pendulum-v1"}, "action space"),  # a Box action space
        ({"env": "NoSuchEnv-v0"}, "env"),
        ({"env": "CartPole-v0", "field_ranges": None}, "field_ranges"),  # unbounded, not known
        ({"n_fields": -1}, "n_fields"),
        ({"field_ranges": [[1, -1], [-3, 3], [-0.2, 0.2], [-3, 3]]}, "field_ranges"),
        ({"max_episodes": 0}, "max_episodes"),
        ({"goal_gates": 3}, "goal_gates"),
        ({"goal_return": math.inf}, "goal_return"),
        ({"dopamine": "maybe"}, "dopamine"),
    ],
)
def test_bad_input_is_refused_before_any_episode(overrides, key, monkeypatch):
    from spikey.rl import training

    def no_episode(*a, **k):
        raise AssertionError("an episode ran")

    monkeypatch.setattr(training, "play", no_episode)
    with pytest.raises(ConfigError, match=key):
        _quick("rl.cartpole" if "env" not in overrides else "rl.gym", **overrides)


class _NaNEnv(gym.Env):
    observation_space = gym.spaces.Box(-1.0, 1.0, (2,), np.float32)
    action_space = gym.spaces.Discrete(2)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        return np.zeros(2, np.float32), {}

    def step(self, action):
        return np.array([np.nan, 0.0], np.float32), 1.0, False, False, {}


def test_a_nan_observation_is_a_clear_error():
    gym.register("SpikeyNaN-v0", entry_point=_NaNEnv, max_episode_steps=10)
    with pytest.raises(ValueError, match="NaN"):
        _quick("rl.gym", env="SpikeyNaN-v0", max_episodes=1, eval_episodes=1)


def test_plot_task_draws_three_panels():
    pytest.importorskip("matplotlib")
    from spikey.experiments.rl.plots import plot_task

    res = _quick("rl.cartpole", max_episodes=25, eval_episodes=3)
    fig = plot_task(res)
    assert len(fig.axes) >= 3


def test_preset_keys_are_the_presets_network_keys():
    from pathlib import Path

    from spikey.experiments.rl import preset_keys, tasks

    keys = preset_keys("rl.cartpole")
    config = registry.get("rl.cartpole").resolve()
    assert keys == {k: config[k] for k in tasks.AGENT_KEYS}
    assert keys["n_conjunctive"] == 8 and keys["n_per_action"] == 50
    assert preset_keys("rl.cartpole", n_per_action=7)["n_per_action"] == 7
    # a preset without ranges of its own gets the declared ones, as the experiment does
    assert (
        preset_keys("rl.gym", env="Acrobot-v1")["field_ranges"] == tasks.KNOWN_RANGES["Acrobot-v1"]
    )
    with pytest.raises(ConfigError, match="rl.cartpole-izh"):
        preset_keys("rl.cartpole-izh")
    with pytest.raises(ConfigError, match="n_conjunctive"):
        preset_keys(n_conjunctive="eight")
    # the example and its notebook build their template from the preset, not from a copy
    examples = Path(__file__).parents[2] / "examples"
    source = (examples / "cartpole_actor_critic.py").read_text(encoding="utf-8")
    cells = json.loads((examples / "cartpole_actor_critic.ipynb").read_text(encoding="utf-8"))
    notebook = "".join(line for cell in cells["cells"] for line in cell["source"])
    for text in (source, notebook):
        assert 'preset_keys("rl.cartpole")' in text and '"n_per_action":' not in text
