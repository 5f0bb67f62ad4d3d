"""Episodes of a gymnasium environment played by a network with the Spikey RL loop."""

from __future__ import annotations


def play(net, env, seed: int, learn: bool, max_steps: int | None = None, trace=None) -> float:
    """One episode from ``env.reset(seed=seed)``; returns the summed reward.

    The loop is ``tick`` / ``env.step`` / ``reward``, with gymnasium's two end flags
    passed on (termination ends the bootstrap, truncation keeps it). ``learn=False``
    freezes plasticity (``net.eval()``). ``trace`` (a list) receives one
    ``(action, value, spike_log)`` row per step.
    """
    net.train() if learn else net.eval()
    net.reset()
    obs, _ = env.reset(seed=int(seed))
    total = 0.0
    steps = 0
    while True:
        action = net.tick(obs)
        if trace is not None:
            trace.append((action, net.value, net.spike_log))
        obs_next, r, term, trunc, _ = env.step(action)
        steps += 1
        trunc = trunc or (max_steps is not None and steps >= max_steps)
        total += float(r)
        net.reward(obs, action, obs_next, float(r), terminated=bool(term), truncated=bool(trunc))
        if term or trunc:
            break
        obs = obs_next
    net.reset()
    return total
