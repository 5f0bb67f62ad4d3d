"""The two-stage stop rule and the disjoint environment seeds, on scripted episodes."""

import pytest

from spikey.rl import training


def _script(monkeypatch, train_return, check_return):
    calls = []

    def fake_play(agent, env, seed, learn, max_steps=None, trace=None):
        calls.append((seed, learn))
        return train_return if learn else check_return

    monkeypatch.setattr(training, "play", fake_play)
    return calls


def test_stops_when_running_mean_and_frozen_check_both_reach_the_goal(monkeypatch):
    calls = _script(monkeypatch, 500.0, 490.0)
    log = training.train(None, None, 3, 100, 475.0, 20, check_episodes=5)
    assert log.stopped_by_rule and len(log.returns) == 20 and log.checks == [(20, 490.0)]
    frozen = [s for s, learn in calls if not learn]
    assert len(frozen) == 5 and all(training.env_seed(3, "check", 0) <= s for s in frozen)


def test_a_failed_check_means_more_training_and_fresh_check_seeds(monkeypatch):
    calls = _script(monkeypatch, 500.0, 100.0)
    log = training.train(None, None, 0, 70, 475.0, 20, check_episodes=4)
    assert not log.stopped_by_rule and len(log.returns) == 70
    assert [c[0] for c in log.checks] == [20, 40, 60]  # one check per stop window
    frozen = [s for s, learn in calls if not learn]
    assert len(set(frozen)) == len(frozen) == 12


def test_without_checks_the_running_mean_decides(monkeypatch):
    _script(monkeypatch, 480.0, 0.0)
    log = training.train(None, None, 0, 100, 475.0, 10, check_episodes=0)
    assert log.stopped_by_rule and len(log.returns) == 10 and log.checks == []


def test_phases_never_share_a_seed():
    seen = {training.env_seed(s, p, k) for s in range(3) for p in ("train", "check", "eval")
            for k in (0, 999_999)}  # fmt: skip
    assert len(seen) == 3 * 3 * 2
    with pytest.raises(KeyError):
        training.env_seed(0, "test", 0)
