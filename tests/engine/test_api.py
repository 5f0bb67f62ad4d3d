"""The network object's interface: structure of the presets, weights, checkpoints, chunking."""

import pickle

import numpy as np
import pytest

from spikey.engine import IzhNetwork
from spikey.models import izhikevich2007 as izh


def test_paper_preset_structure():
    net = izh.build("izhikevich2007", seed=4)
    assert (net.n, net.n_exc) == (1000, 800)
    assert net.pre.size == 100_000
    assert np.all(np.bincount(net.pre, minlength=1000) == 100)
    inh = net.pre >= 800
    assert net.post[inh].max() < 800 and net.post[~inh].max() >= 800  # inh -> exc only
    assert np.all(net.plastic == ~inh)
    assert np.all(net.delay == 1)
    w = net.weights()
    assert np.all(w[~inh] == 1.0) and np.all(w[inh] == -1.0)
    with pytest.raises(ValueError):
        net.pre[0] = 3  # read-only view


def test_delays_preset_structure_and_seed_determinism():
    a = izh.build("izhikevich2007-delays", seed=4)
    b = izh.build("izhikevich2007-delays", seed=4)
    c = izh.build("izhikevich2007-delays", seed=5)
    assert np.array_equal(a.post, b.post) and not np.array_equal(a.post, c.post)
    exc = a.pre < 800
    assert np.array_equal(
        np.bincount(a.delay[exc])[1:], np.full(20, 800 * 5)
    )  # 5 per delay per neuron
    assert np.all(a.delay[~exc] == 1)
    assert np.array_equal(a.run(500).i, b.run(500).i)


def test_synapse_index_and_set_weights():
    net = IzhNetwork.from_arrays(
        [2, 0, 0, 1], [1, 1, 2, 0], [1.0, 2.0, 3.0, 0.5], [1, 2, 1, 1], n_exc=3
    )
    # stored sorted by (pre, delay, post): (0->2, d1), (0->1, d2), (1->0), (2->1)
    assert net.pre.tolist() == [0, 0, 1, 2] and net.post.tolist() == [2, 1, 0, 1]
    assert (
        net.synapse_index(0, 1) == 1
        and net.synapse_index(2, 1) == 3
        and net.synapse_index(1, 2) == -1
    )
    net.set_weights([1, 3], [0.0, 4.0])
    assert net.weights().tolist() == [3.0, 0.0, 0.5, 4.0]


@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_checkpoint_resume_is_bit_exact_and_chunking_does_not_matter(mode):
    rng = np.random.default_rng(0)
    stim = (np.sort(rng.integers(0, 3000, 50)), rng.integers(0, 1000, 50), np.full(50, 25.0))
    rew = (np.array([500, 1700, 2900]), np.full(3, 0.5))
    a = izh.build("izhikevich2007", seed=9, mode=mode)
    a.run(700)
    ck = pickle.loads(pickle.dumps(a.checkpoint()))
    whole = a.run(3000, stimuli=stim, rewards=rew)
    b = izh.restore(ck)
    parts = []
    for lo, hi in [(0, 10), (10, 1234), (1234, 1250), (1250, 3000)]:
        sel = (stim[0] >= lo) & (stim[0] < hi)
        rsel = (rew[0] >= lo) & (rew[0] < hi)
        parts.append(
            b.run(
                hi - lo,
                stimuli=(stim[0][sel] - lo, stim[1][sel], stim[2][sel]),
                rewards=(rew[0][rsel] - lo, rew[1][rsel]),
            )
        )
    assert np.array_equal(whole.t, np.concatenate([p.t for p in parts]))
    assert np.array_equal(whole.i, np.concatenate([p.i for p in parts]))
    assert np.array_equal(a.weights(), b.weights()) and a.d == b.d and a.t == b.t == 3700
    assert np.array_equal(a.noise_state, b.noise_state)


def test_spike_buffer_overflow_is_handled():
    # strong drive: most neurons fire every few ms, far above the initial buffer estimate
    net = izh.build("izhikevich2007", seed=1, n_exc=80, n_inh=20, noise_amp=40.0, w_exc_init=4.0)
    ref = izh.build(
        "izhikevich2007",
        seed=1,
        n_exc=80,
        n_inh=20,
        noise_amp=40.0,
        w_exc_init=4.0,
        engine="reference",
    )
    s, r = net.run(400), ref.run(400)
    assert len(s) > 100 * 400 * 0.05
    assert np.array_equal(s.t, r.t) and np.array_equal(s.i, r.i)
    assert np.all(np.diff(s.t) >= 0)


def test_recording_times_and_progress_bar():
    net = izh.build("izhikevich2007", seed=2, n_exc=40, n_inh=10, syn_per_neuron=10)
    net.run(5)
    rec = net.record(synapses=[0, 3], every_ms=10)

    class Bar:
        total = 0

        def update(self, n):
            Bar.total += n

    net.run(2500, rewards=[100], progress=Bar())
    assert Bar.total == 2500
    assert rec.t.tolist() == list(range(10, 2501, 10))
    assert rec.w.shape == (250, 2) and rec.c.shape == (250, 2) and rec.d.shape == (250,)
    assert rec.d[np.flatnonzero(rec.t == 110)[0]] == pytest.approx(0.5 * 0.995**4, rel=1e-12)
    assert np.array_equal(rec.w[-1], net.weights()[[0, 3]])


def test_da_release_adds_dopamine_per_spike():
    net = IzhNetwork.from_arrays([], [], [], [], n_exc=3, noise="none", max_delay=1)
    net.da_release = [0.0, 0.25, 0.0]
    net.run(20, stimuli=([4], [1], [100.0]))  # neuron 1 fires at ms 5
    assert net.d == pytest.approx(0.25 * 0.995**14, rel=1e-12)


def test_plasticity_off_freezes_weights_and_eligibility():
    for mode in ("stepped", "exact"):
        net = izh.build("izhikevich2007", seed=3, mode=mode)
        net.run(500, rewards=[100])
        w, c = net.weights(), net.eligibility()
        net.plasticity = False
        net.run(1000, rewards=[200])
        assert np.array_equal(net.weights(), w) and np.array_equal(net.eligibility(), c)


@pytest.mark.parametrize(
    "allow_self,allow_duplicates", [(False, True), (True, False), (False, False)]
)
def test_connectivity_without_self_or_duplicates(allow_self, allow_duplicates):
    net = izh.build(
        "izhikevich2007",
        seed=6,
        n_exc=40,
        n_inh=10,
        syn_per_neuron=30,
        allow_self=allow_self,
        allow_duplicates=allow_duplicates,
    )
    pre, post = np.asarray(net.pre), np.asarray(net.post)
    assert np.all(np.bincount(pre, minlength=50) == 30)
    if not allow_self:
        assert not np.any(pre == post)
    pairs = pre.astype(np.int64) * 50 + post
    if not allow_duplicates:
        assert np.unique(pairs).size == pairs.size
    assert post[pre >= 40].max() < 40


def test_connectivity_impossible_without_duplicates():
    with pytest.raises(ValueError, match="connectivity"):
        izh.build("izhikevich2007", n_exc=10, n_inh=2, syn_per_neuron=20, allow_duplicates=False)


def test_record_without_dopamine_keeps_no_dopamine_samples():
    net = izh.build("izhikevich2007", seed=2, n_exc=40, n_inh=10, syn_per_neuron=10)
    rec = net.record(synapses=[0, 3], dopamine=False, every_ms=10)
    net.run(100, rewards=[5])
    assert rec.dopamine is False and rec.d.shape == (0,)
    assert rec.t.tolist() == list(range(10, 101, 10)) and rec.w.shape == (10, 2)
    with_d = net.record(synapses=[0], every_ms=10)
    net.run(50, rewards=[5])
    assert with_d.d.shape == (5,) and with_d.d[0] > 0
    with pytest.raises(ValueError, match="dopamine"):
        net.record(synapses=[0], dopamine="no")


class _Boom:
    """Unpickling this would create a marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_checkpoint_file_resumes_bit_exactly(tmp_path, mode):
    a = izh.build("izhikevich2007", seed=5, mode=mode, n_exc=160, n_inh=40)
    a.da_release = np.where(np.arange(a.n) < 7, 0.01, 0.0)
    a.run(500, rewards=[100, 400])
    path = a.save_checkpoint(tmp_path / "ck")
    assert path.endswith(".npz")
    b = izh.restore(path)
    sa, sb = a.run(800, rewards=[10]), b.run(800, rewards=[10])
    assert len(sa) > 50 and np.array_equal(sa.t, sb.t) and np.array_equal(sa.i, sb.i)
    assert np.array_equal(a.weights(), b.weights()) and a.d == b.d
    assert np.array_equal(a.da_release, b.da_release) and b.mode == mode


def test_checkpoint_file_refuses_a_pickle_without_running_it(tmp_path):
    marker = tmp_path / "pwned"
    bad = tmp_path / "ck.npz"
    bad.write_bytes(pickle.dumps(_Boom(str(marker))))
    with pytest.raises(ValueError, match="not an .npz archive.*pickles are never loaded"):
        izh.restore(bad)
    assert not marker.exists()
    # a pickle hidden inside an .npz is refused too (allow_pickle=False)
    net = izh.build("izhikevich2007", seed=5, n_exc=8, n_inh=2, syn_per_neuron=3)
    good = net.save_checkpoint(tmp_path / "good.npz")
    with np.load(good) as z:
        arrays = dict(z)
    arrays["abcd"] = np.array([_Boom(str(marker))], dtype=object)
    np.savez(tmp_path / "evil.npz", **arrays)
    with pytest.raises(ValueError, match="cannot be read"):
        izh.restore(tmp_path / "evil.npz")
    assert not marker.exists()
    (tmp_path / "cut.npz").write_bytes(open(good, "rb").read()[:200])
    with pytest.raises(ValueError, match="checkpoint file"):
        izh.restore(tmp_path / "cut.npz")


def test_a_checkpoint_of_the_old_state_layout_is_refused_clearly():
    # before the event-driven stepped kernel, the numba state held a trace array, not spike times
    net = izh.build("izhikevich2007", seed=5, n_exc=8, n_inh=2, syn_per_neuron=3)
    ck = net.checkpoint()
    state = {k: v for k, v in ck["state"].items() if k not in ("last", "spk", "spk_n")}
    state["trace_hist"] = np.zeros((2, net.n))
    with pytest.raises(ValueError, match="checkpoint state.*the keys"):
        izh.restore(dict(ck, state=state))


def test_a_new_da_release_reaches_the_kernel_between_runs():
    net = izh.build("izhikevich2007", seed=2, n_exc=80, n_inh=20)
    net.run(200)  # the kernel's named tuples are built here, with no release
    assert net.d == 0.0
    net.da_release = np.full(net.n, 0.01)
    spikes = net.run(200)
    assert spikes.t.size > 0 and net.d > 0.0
    net.da_release = np.zeros(net.n)
    net.run(2000)
    assert net.d < 1e-4  # decays with tau_d = 200 ms once nothing is released
