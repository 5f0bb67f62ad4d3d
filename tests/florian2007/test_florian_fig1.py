"""florian2007.fig1: its criteria pass for Florian's rules and fail for wrong ones."""

import numpy as np
import pytest

from spikey.experiments import registry
from spikey.experiments.florian2007 import fig1
from spikey.snn.synapse import MSTDP, MSTDPET


def run(seed=0, **overrides):
    return registry.get("florian2007.fig1")(overrides, seed=seed)


def failed(result):
    return {c.name for c in result.criteria if not c.passed}


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_passes_on_several_seeds(seed):
    result = run(seed)
    assert result.passed, failed(result)
    values = {c.name: c.value for c in result.criteria}
    assert values["mstdp_vs_equations"] <= 1e-9
    assert values["mstdpet_vs_equations"] <= 1e-9
    assert values["mstdpet_quiet_share"] > 0.5
    # the notebook protocol is the same on every seed: MSTDPET's final weight by the equations
    assert result.metrics["mstdpet_w_final"] == pytest.approx(0.3241, abs=1e-4)
    assert result.metrics["random_protocol_spikes"] > 50


def test_seeds_draw_different_random_protocols():
    a, b = run(0), run(1)
    assert a.metrics["random_protocol_spikes"] != b.metrics["random_protocol_spikes"]


def test_rlstdp_is_reported_not_gated():
    result = run(0)
    rl = [c for c in result.criteria if c.name == "rlstdp_pairing_signs"]
    assert rl and not rl[0].gating
    assert len(result.figures["w_rlstdp"]) == 200


class NoDecayET(MSTDPET):
    """A wrong rule: the eligibility trace never decays."""

    def _advance(self, spike_log, polarities):
        MSTDP._advance(self, spike_log, polarities)
        self.eligibility += self.zeta / self._tau_z


class LeakyMSTDP(MSTDP):
    """A wrong rule: MSTDP modulating a slowly decaying memory of zeta (changes between spikes)."""

    def reset(self):
        super().reset()
        self.memory = np.zeros_like(self.zeta)

    def _modulated(self):
        self.memory = 0.9 * self.memory + self.zeta
        return self.memory


class AntiHebbian(MSTDP):
    """A wrong rule: the sign of the STDP window is flipped."""

    def _modulated(self):
        return -self.zeta


def test_wrong_eligibility_decay_fails(monkeypatch):
    monkeypatch.setattr(fig1, "MSTDPET", NoDecayET)
    bad = failed(run(0))
    assert {"mstdpet_vs_equations", "z_decay"} <= bad


def test_changes_between_spikes_fail_mstdp(monkeypatch):
    monkeypatch.setattr(fig1, "MSTDP", LeakyMSTDP)
    bad = failed(run(0))
    assert {"mstdp_vs_equations", "mstdp_quiet_changes"} <= bad


def test_flipped_window_fails_signs(monkeypatch):
    monkeypatch.setattr(fig1, "MSTDP", AntiHebbian)
    bad = failed(run(0))
    assert {"mstdp_sign_r_zeta", "mstdp_pairing_signs", "mstdp_vs_equations"} <= bad


def test_closed_form_zeta_of_the_first_pairings():
    spikes, _ = fig1.notebook_protocol(fig1.DEFAULTS)
    z = fig1.closed_form_zeta(fig1.DEFAULTS, spikes)
    assert z[10] == pytest.approx(np.exp(-5 / 20))
    assert z[80] == pytest.approx(-(np.exp(-10 / 20) + np.exp(-70 / 20)))
    assert np.count_nonzero(z) == 7  # every spike but the first pre spike (no post before it)


def test_plot_returns_a_figure():
    import matplotlib

    matplotlib.use("Agg")
    from spikey.experiments.florian2007.plots import plot_fig1

    result = run(0)
    fig = plot_fig1(result)
    assert len(fig.axes) == 7
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert plot_fig1(result, ax=ax) is ax.figure
    plt.close("all")


def test_declared_metrics_are_what_a_run_returns():
    exp = registry.get("florian2007.fig1")
    assert set(run(0).metrics) == set(exp.metrics)


def test_other_spike_times_keep_the_general_criteria():
    result = run(0, pre_times=[20, 60, 150], post_times=[30, 50, 160], tau_z=40.0)
    assert result.passed, failed(result)
    gating = {c.name for c in result.criteria if c.gating}
    assert "mstdp_pairing_signs" not in gating  # windows of the notebook's spike times
    assert {"mstdpet_vs_equations", "z_decay", "mstdp_quiet_changes"} <= gating
