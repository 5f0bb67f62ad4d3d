"""Bad input raises a ValueError that names the argument, before any compiled code runs."""

import math

import numpy as np
import pytest

from spikey.engine import IzhNetwork
from spikey.models import izhikevich2007 as izh

SMALL = dict(n_exc=8, n_inh=2, syn_per_neuron=4)


@pytest.mark.parametrize(
    "override,needle",
    [
        (dict(tau_stdp=-20.0), "tau_stdp"),
        (dict(tau_c=0.0), "tau_c"),
        (dict(tau_d=math.nan), "tau_d"),
        (dict(a_plus=math.nan), "a_plus"),
        (dict(a_minus=math.inf), "a_minus"),
        (dict(tonic_da=-0.1), "tonic_da"),
        (dict(max_delay=0), "max_delay"),
        (dict(max_delay=65), "max_delay"),
        (dict(inh_delay=3), "inh_delay"),
        (dict(w_exc_init=5.0), "w_exc_init"),
        (dict(w_min=2.0, w_max=1.0), "w_min"),
        (dict(n_exc=2.5), "n_exc"),
        (dict(noise="pink"), "noise"),
        (dict(exc_type="XX"), "exc_type"),
        (dict(no_such_key=1), "no_such_key"),
    ],
)
def test_bad_parameters(override, needle):
    with pytest.raises(ValueError, match=needle):
        izh.build("izhikevich2007", seed=0, **{**SMALL, **override})


def test_bad_preset_mode_engine_seed():
    with pytest.raises(ValueError, match="preset"):
        izh.build("izhikevich2099")
    with pytest.raises(ValueError, match="mode"):
        izh.build("izhikevich2007", mode="fast", **SMALL)
    with pytest.raises(ValueError, match="engine"):
        izh.build("izhikevich2007", engine="cuda", **SMALL)
    with pytest.raises(ValueError, match="duplicates"):
        izh.build("izhikevich2007", duplicates="first", **SMALL)
    with pytest.raises(ValueError, match="seed"):
        izh.build("izhikevich2007", seed=-1, **SMALL)


@pytest.mark.parametrize(
    "kw,needle",
    [
        (dict(delay=[0, 1]), "delay"),
        (dict(delay=[1, 7], max_delay=5), "delay"),
        (dict(post=[1, 9]), "post"),
        (dict(pre=[-1, 0]), "pre"),
        (dict(weight=[1.0, 4.5]), "weight"),
        (dict(weight=[np.nan, 1.0]), "weight"),
        (dict(weight=[1.0, -0.5]), "weight"),
        (dict(post=[1]), "post"),
        (dict(delay=[1.5, 1]), "delay"),
    ],
)
def test_bad_synapse_arrays(kw, needle):
    args = dict(pre=[0, 1], post=[1, 0], weight=[1.0, 1.0], delay=[1, 1])
    args.update({k: v for k, v in kw.items() if k in args})
    extra = {k: v for k, v in kw.items() if k not in args}
    with pytest.raises(ValueError, match=needle):
        IzhNetwork.from_arrays(
            args["pre"], args["post"], args["weight"], args["delay"], n_exc=3, **extra
        )


def test_fixed_synapses_may_be_negative():
    net = IzhNetwork.from_arrays([0, 2], [1, 0], [1.0, -3.0], [1, 1], n_exc=2, n_inh=1)
    assert net.plastic.tolist() == [True, False]


def test_bad_run_arguments():
    net = izh.build("izhikevich2007", seed=0, **SMALL)
    with pytest.raises(ValueError, match="duration"):
        net.run(-5)
    with pytest.raises(ValueError, match="duration"):
        net.run(10.5)
    with pytest.raises(ValueError, match="stimuli t"):
        net.run(10, stimuli=([10], [0], [5.0]))
    with pytest.raises(ValueError, match="stimuli neuron"):
        net.run(10, stimuli=([1], [10], [5.0]))
    with pytest.raises(ValueError, match="stimuli amount"):
        net.run(10, stimuli=([1], [0], [np.nan]))
    with pytest.raises(ValueError, match="stimuli"):
        net.run(10, stimuli=([1, 2], [0], [1.0]))
    with pytest.raises(ValueError, match="rewards t"):
        net.run(10, rewards=([-1], [0.5]))
    with pytest.raises(ValueError, match="rewards amount"):
        net.run(10, rewards=([1], [np.inf]))
    assert net.t == 0  # nothing ran


def test_bad_weights_recording_and_release():
    net = izh.build("izhikevich2007", seed=0, **SMALL)
    with pytest.raises(ValueError, match="set_weights idx"):
        net.set_weights([1000], [1.0])
    with pytest.raises(ValueError, match="set_weights values"):
        net.set_weights([0], [4.5])
    with pytest.raises(ValueError, match="set_weights values"):
        net.set_weights([0], [np.nan])
    with pytest.raises(ValueError, match="record synapses"):
        net.record(synapses=[-1])
    with pytest.raises(ValueError, match="every_ms"):
        net.record(synapses=[0], every_ms=0)
    with pytest.raises(ValueError, match="da_release"):
        net.da_release = np.ones(3)
    with pytest.raises(ValueError, match="da_release"):
        net.da_release = np.full(net.n, np.nan)
    with pytest.raises(ValueError, match="plasticity"):
        net.plasticity = "off"
    with pytest.raises(ValueError, match="synapse_index"):
        net.synapse_index(0, 99)


def test_backend_is_the_deprecated_name_of_engine():
    with pytest.warns(DeprecationWarning, match="engine="):
        net = izh.build("izhikevich2007", backend="reference", **SMALL)
    assert net.engine == "reference"
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="only one"):
        izh.build("izhikevich2007", engine="numba", backend="reference", **SMALL)


def test_a_run_whose_state_diverges_raises_instead_of_returning_nan():
    net = izh.build("izhikevich2007", seed=0, n_exc=80, n_inh=20, syn_per_neuron=10, noise=1000.0)
    with pytest.raises(ValueError, match=r"noise_amp=1000.*diverged"):
        net.run(2000)
    calm = izh.build("izhikevich2007", seed=0, n_exc=80, n_inh=20, syn_per_neuron=10, noise=150.0)
    calm.run(2000)  # large but followable inputs run on
    assert np.isfinite(calm.v).all()
