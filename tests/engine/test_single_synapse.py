"""Fig. 1a-c of the paper on one synapse, against closed-form values (geometric sums).

Pre fires at ms 101, post at ms 111 (or the reverse); a dopamine pulse of 0.5 follows 1 s or
5 s later. Stepped: w changes every 10 ms by (tonic + d) * c, then c *= 0.99. Exact: every ms
contributes (d + tonic) * g * c with c = c0 * exp(-(t - t0) / tau_c), g = tau_c (1 - e^(-1/tau_c)) / 10.
"""

import math

import numpy as np
import pytest
from engine_helpers import kick, pair_net

TONIC, REWARD = 0.002, 0.5
D_DECAY, C_DECAY = 0.995, 0.99


def geo(q, j0, j1):
    """sum_{j=j0}^{j1-1} q**j."""
    if j1 <= j0:
        return 0.0
    return (q**j0 - q**j1) / (1.0 - q)


def stepped_w(w0, c0, t0, t_r, T):
    """Weight after T ms when c = c0 appears at ms t0 and d += 0.5 at the end of ms t_r."""
    u0 = (t0 // 10) * 10 + 9  # first weight update at or after t0
    J = (T - 1 - u0) // 10 + 1  # updates u0, u0+10, ... <= T-1
    jr = max(0, (t_r - u0) // 10 + 1)  # first update after the pulse
    tonic_part = TONIC * geo(C_DECAY, 0, J)
    if t_r >= T:
        return w0 + c0 * tonic_part
    da_part = REWARD * D_DECAY ** (u0 - t_r) * geo(D_DECAY**10 * C_DECAY, jr, J)
    return w0 + c0 * (tonic_part + da_part)


def exact_w(w0, c0, t0, t_r, T, tau_c=1000.0):
    r = math.exp(-1.0 / tau_c)
    g = tau_c * (1.0 - r) / 10.0
    tonic_part = TONIC * g * geo(r, 0, T - t0)
    if t_r >= T:
        return w0 + c0 * tonic_part
    da_part = REWARD * g * r ** (t_r - t0) * geo(D_DECAY * r, 1, T - t_r)
    return w0 + c0 * (tonic_part + da_part)


def run_pairing(mode, first, second, delay_s, **kw):
    net = pair_net(mode=mode, **kw)
    rec = net.record(synapses=[0], every_ms=10)
    t_r = 111 + 1000 * delay_s
    T = t_r + 3000
    stim_t = np.array([100, 110])
    stim = (stim_t, np.array([first, second]), np.full(2, 100.0))
    spikes = net.run(T, stimuli=stim, rewards=(np.array([t_r]), np.array([REWARD])))
    assert list(zip(spikes.t.tolist(), spikes.i.tolist())) == [(101, first), (111, second)]
    return net, rec, t_r, T


@pytest.mark.parametrize("delay_s", [1, 5])
def test_stepped_pre_before_post_matches_closed_form(delay_s):
    net, rec, t_r, T = run_pairing("stepped", 0, 1, delay_s)
    c0 = 0.1 * 0.95**9
    assert net.weights()[0] == pytest.approx(stepped_w(1.0, c0, 111, t_r, T), rel=1e-12)
    # the recorded eligibility decays by 0.99 per update from c0
    k = np.flatnonzero(rec.t == 200)[0]
    assert rec.c[k, 0] == pytest.approx(c0 * C_DECAY**9, rel=1e-12)


def test_stepped_post_before_pre_matches_closed_form():
    net, rec, t_r, T = run_pairing("stepped", 1, 0, 1)
    c0 = -0.15 * 0.95**10
    w = net.weights()[0]
    assert w == pytest.approx(stepped_w(1.0, c0, 111, t_r, T), rel=1e-12)
    assert w < 1.0


@pytest.mark.parametrize("delay_s,rebase", [(1, 4000), (5, 4000), (1, 300)])
def test_exact_pre_before_post_matches_closed_form(delay_s, rebase):
    net, rec, t_r, T = run_pairing("exact", 0, 1, delay_s, rebase_ms=rebase)
    c0 = 0.1 * 0.95**9
    assert net.weights()[0] == pytest.approx(exact_w(1.0, c0, 111, t_r, T), rel=1e-12)
    k = np.flatnonzero(rec.t == 1200)[0]
    assert rec.c[k, 0] == pytest.approx(c0 * math.exp(-(1200 - 111) / 1000.0), rel=1e-12)


def test_exact_post_before_pre_matches_closed_form():
    net, rec, t_r, T = run_pairing("exact", 1, 0, 1)
    c0 = -0.15 * 0.95**10
    assert net.weights()[0] == pytest.approx(exact_w(1.0, c0, 111, t_r, T), rel=1e-12)


def test_fig1_shape_and_modes_agree():
    """Reward 1 s after pairing potentiates; 5 s after, the dopamine effect is < 2 % of that."""
    dw = {}
    for mode in ("stepped", "exact"):
        for delay_s in (1, 5):
            net, _, t_r, T = run_pairing(mode, 0, 1, delay_s)
            no_reward = (
                stepped_w(1.0, 0.1 * 0.95**9, 111, 10**9, T)
                if mode == "stepped"
                else exact_w(1.0, 0.1 * 0.95**9, 111, 10**9, T)
            )
            dw[mode, delay_s] = net.weights()[0] - no_reward  # dopamine-caused change
        assert dw[mode, 1] > 0.1
        assert 0 < dw[mode, 5] < 0.02 * dw[mode, 1]
    # the two formulations differ by c's decay (0.99 per 10 ms vs exp(-10/1000)) and by where
    # the 10 ms grid samples the fast-decaying d (tau_d = 200 ms): 1.3 % here, stated as 2 %
    assert dw["exact", 1] == pytest.approx(dw["stepped", 1], rel=0.02)


def test_weight_saturates_at_w_max_and_clipping_is_exact():
    for mode in ("stepped", "exact"):
        net = pair_net(mode=mode, w0=3.9)
        stim = kick([100, 110, 300, 310, 500, 510], 0)
        stim = (stim[0], np.array([0, 1, 0, 1, 0, 1]), stim[2])
        net.run(2000, stimuli=stim, rewards=(np.arange(600, 1600, 50), np.full(20, 0.5)))
        assert net.weights()[0] == 4.0
