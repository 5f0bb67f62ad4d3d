"""Collaborators with only the original Spikey's protocol work, with the same numbers.

Shapes come from the original's notebooks: ``FakeWeight`` (``_matrix``, ``matrix``,
``clip()``) of florian2007_Fig_1.ipynb and sanity/stdp_viz.ipynb, readouts returning a
plain number, rewarders returning a bool.
"""

import numpy as np
import pytest
from snn_helpers import Small

from spikey.snn import synapse


class FakeWeight:
    """sanity/stdp_viz.ipynb's weight object: a zero matrix, clip() does nothing."""

    def __init__(self, **config):
        self._matrix = np.zeros((config["n_inputs"] + config["n_neurons"], config["n_neurons"]))
        self.matrix = self._matrix

    def clip(self):
        pass


def original_rlstdp(matrix, full_log, polarities, window, lr, trace, n_inputs=0):
    """The original RLSTDP._apply_stdp, written out independently (window >= 3)."""
    log = np.asarray(full_log, dtype=bool)[-window:]
    pre = np.flatnonzero(log[:-1].any(axis=0))
    post = np.flatnonzero(log[-1])
    if not pre.size or not post.size:
        return
    k = np.arange(window - log.shape[0], window - 1, dtype=float)[:, None]
    k *= lr * trace / k.max()
    dts = (k * log[:-1]).sum(axis=0) * polarities
    body_post = post[post >= n_inputs] - n_inputs
    matrix[np.ix_(pre, body_post)] += dts[pre][:, None]
    body_pre = pre[pre >= n_inputs] - n_inputs
    matrix[np.ix_(post, body_pre)] -= dts[n_inputs:][body_pre][None, :]


def onehot(i, n):
    out = np.zeros(n)
    out[i] = 1
    return out


@pytest.mark.parametrize("polarity", [1, -1])
@pytest.mark.parametrize("lr", [0.2, 1.0])
def test_stdp_viz_fake_weight_learning_rate_curve(polarity, lr):
    config = {
        "n_neurons": 2,
        "n_inputs": 0,
        "stdp_window": 5,
        "learning_rate": lr,
        "max_weight": 1,
        "trace_decay": 0,
    }
    pol = np.array([polarity, polarity])
    w = FakeWeight(**config)
    syn = synapse.RLSTDP(w, **config)
    length = config["stdp_window"] + 1
    got, want = [], []
    for i in range(length + 1):
        w.matrix[:, :] = 0
        syn.reset()
        syn.reward(1)
        a = np.zeros(length)
        a[-1] = 1
        b = onehot(length - i - 1, length) if i < length else np.zeros(length)
        log = np.array([a, b]).T
        syn._apply_stdp(log, pol)
        got.append((w.matrix[0, 1], w.matrix[1, 0]))
        ref = np.zeros((2, 2))
        original_rlstdp(ref, log, pol, 5, lr, 1.0)
        want.append((ref[0, 1], ref[1, 0]))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert any(abs(g[1]) > 0 for g in got)  # the zero-initialised fake weights do learn


def test_florian_fig1_fake_weight_deferred_rule():
    config = {
        "n_neurons": 2,
        "n_inputs": 0,
        "stdp_window": 20,
        "learning_rate": 10 * 0.2 / 25,
        "trace_decay": 1,
    }

    class Fig1Weight:
        def __init__(self):
            self._matrix = np.zeros((2, 2))
            self._matrix[0, 1] = 0.2
            self.matrix = self._matrix

        def clip(self):
            pass

    w = Fig1Weight()
    syn = synapse.RLSTDP(w, **config)
    syn.reset()
    pol = np.array([1, 1])
    f_j, f_i = np.zeros(200), np.zeros(200)
    f_j[[5, 80, 115, 135]] = 1.0
    f_i[[10, 70, 110, 140]] = 1.0
    log = np.array([f_j, f_i]).T
    ref = w._matrix.copy()
    ours = []
    for i in range(1, 200):
        syn.update(log[:i], pol)
        r = 1 if i <= 100 else -1
        syn.reward(r)
        original_rlstdp(ref, log[:i], pol, 20, config["learning_rate"], r)
        ours.append(w.matrix[0, 1])
        np.testing.assert_allclose(w._matrix, ref, rtol=1e-12, atol=1e-15)
    assert ours[-1] != 0.2  # the rewarded pairing moved the weight


@pytest.mark.parametrize("window", [1, 2])
def test_short_windows_are_accepted_and_change_nothing(window):
    # stdp_viz.ipynb sweeps the window from 2: the original wrote 0 * inf = NaN there
    config = {"n_neurons": 2, "n_inputs": 0, "stdp_window": window, "learning_rate": 1,
              "max_weight": 1, "trace_decay": 0}  # fmt: skip
    w = FakeWeight(**config)
    syn = synapse.RLSTDP(w, **config)
    syn.reward(1)
    g = np.random.default_rng(0)
    log = (g.random((1000, 2)) < 0.3).astype(float)
    for i in range(1, 1000):
        syn._apply_stdp(log[:i], np.array([1, 1]))
    assert np.all(w.matrix == 0.0)


@pytest.mark.parametrize("window", [1, 2, 3])
def test_short_windows_in_a_network_fast_equals_slow(window):
    runs = []
    for fast in (True, False):
        net = Small(seed=3, synapses=synapse.RLSTDP, stdp_window=window, trace_decay=0.3,
                    fast_path=fast)  # fmt: skip
        net.reset()
        for s in range(6):
            net.tick(s % 3)
            net.reward(s % 3, 0, None, reward=1.0)
        runs.append((net.weights.matrix.copy(), net.spike_log.copy()))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert np.all(np.isfinite(runs[0][0]))


class ClippingDuckWeight:
    """Only the original's protocol, clipping like the built-in weights."""

    def __init__(self, **keys):
        self._max = keys["max_weight"]
        self._matrix = np.array(keys["matrix"], dtype=float)
        self.matrix = self._matrix

    def clip(self):
        np.clip(self._matrix, 0.0, self._max, out=self._matrix)


def _run(net, steps=8):
    net.reset()
    actions = []
    for s in range(steps):
        action = net.tick(s % 3)
        actions.append(action)
        net.reward(s % 3, action, None)
    return actions, net.weights.matrix.copy(), net.spike_log.copy()


def test_duck_weight_in_a_network_gives_the_builtin_numbers():
    dense = np.random.default_rng(1).uniform(0.1, 1.5, (22, 10))  # no absent synapse
    ref = _run(Small(seed=5, matrix=dense, synapses=synapse.RLSTDP, trace_decay=0.2))
    duck = _run(Small(seed=5, matrix=dense, synapses=synapse.RLSTDP, trace_decay=0.2,
                      weights=ClippingDuckWeight))  # fmt: skip
    assert ref[0] == duck[0]
    np.testing.assert_array_equal(ref[1], duck[1])
    np.testing.assert_array_equal(ref[2], duck[2])


class NumberReadout:
    """A readout returning a plain Python number (the original's readouts did)."""

    def __init__(self, **keys):
        pass

    def __call__(self, outputs):
        return float(np.abs(outputs).sum())


class BoolRewarder:
    """A rewarder returning a bool."""

    def __init__(self, **keys):
        pass

    def __call__(self, state, action, state_next):
        return state == 1


def test_number_readout_and_bool_rewarder():
    runs = []
    for fast in (True, False):
        net = Small(seed=2, readout=NumberReadout, rewarder=BoolRewarder, fast_path=fast)
        runs.append(_run(net))
    assert all(isinstance(a, float) for a in runs[0][0])
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    # True rewards learning: the weights moved
    assert not np.array_equal(runs[0][1], Small(seed=2).weights.matrix)


def test_weight_subclass_that_sets_matrix_itself():
    """tutorial.ipynb's CustomWeight assigns a masked ``_matrix`` and never sets ``live``."""
    from spikey.module import Key
    from spikey.snn.weight.template import Weight

    class CustomWeight(Weight):
        NECESSARY_KEYS = Weight.extend_keys([Key("matrix", "weights", type=np.ndarray)])

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._matrix = np.ma.copy(kwargs["matrix"])
            self.clip()

    w = CustomWeight(n_inputs=2, n_neurons=4, max_weight=1, matrix=np.ones((6, 4)) * 2)
    assert np.all(w.matrix == 1)
    w += 0.5
    assert np.all(w.matrix == 1)  # clipped, every synapse live
    acts = _run(Small(seed=1, weights=CustomWeight))[0]
    assert len(acts) == 8


def test_a_part_answering_every_attribute_gives_its_underscore_key():
    """The original's unit-test fakes return a function for any unknown attribute (also
    ``settings``); only spikey Modules are asked for ``settings``."""
    from spikey.snn._util import setting

    class AnswersAll:
        _stdp_window = 7

        def __getattr__(self, key):
            return lambda *a, **kw: None

    assert setting(AnswersAll(), "stdp_window") == 7


def test_ratemap_1d_array_is_one_rate_per_state():
    """The original indexes a 1-D ``state_rate_map`` by the state: one rate for all inputs
    (its own unit tests use ``np.arange(N_STATES) / N_STATES`` with 2 inputs)."""
    import numpy as np

    from spikey.snn import input

    rates = np.arange(10) / 10
    inputs = input.RateMap(
        n_inputs=2,
        magnitude=1,
        input_firing_steps=-1,
        input_pct_inhibitory=0,
        state_rate_map=rates,
    )
    inputs.update(5)
    assert np.all(inputs.values == 0.5)
    inputs.update(0)
    assert not np.any(inputs())  # rate 0 never fires
