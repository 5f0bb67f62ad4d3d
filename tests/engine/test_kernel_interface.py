"""The kernels take named tuples; a wrong field name, dtype, rank or tuple fails loudly."""

import numpy as np
import pytest
from numba.core.errors import TypingError

from spikey.engine import kernels
from spikey.models import izhikevich2007 as izh


def _fields(named_tuple):
    return dict(named_tuple._asdict())


@pytest.fixture
def parts():
    net = izh.build("izhikevich2007", seed=1, n_exc=16, n_inh=4, syn_per_neuron=5)
    structure, state = net._model.structure, net._state  # built by kernels.make
    io = kernels.make(
        kernels.IO,
        st_t=np.zeros(0, np.int64),
        st_n=np.zeros(0, np.int32),
        st_a=np.zeros(0),
        rw_t=np.zeros(0, np.int64),
        rw_a=np.zeros(0),
        rec_syn=np.zeros(0, np.int64),
        rec_every=0,
        rec_w=np.zeros((0, 0)),
        rec_c=np.zeros((0, 0)),
        rec_d=np.zeros(0),
        sp_t=np.zeros(1000, np.int64),
        sp_i=np.zeros(1000, np.int32),
        I=np.zeros(net.n + 1),
        **kernels.scratch(net.n, net.syn.in_off),
    )
    return structure, net._model.par, state, io


def test_named_inputs_run(parts):
    structure, params, state, io = parts
    ms, n_sp, n_rec = kernels.izh_run_lazy(0, 20, True, structure, params, state, io)
    assert ms == 20 and n_rec == 0 and n_sp >= 0


@pytest.mark.parametrize("field", ["hits", "cand_s", "cand_h", "counts", "I"])
def test_too_small_scratch_is_refused_before_any_ms(parts, field):
    structure, params, state, io = parts
    fields = _fields(io)
    short = fields[field]
    fields[field] = short[:-1] if short.ndim == 1 else np.ascontiguousarray(short[:, :-1])
    v0 = state.v.copy()
    with pytest.raises(ValueError, match="scratch|IO.I"):
        kernels.izh_run_lazy(
            0, 20, True, structure, params, state, kernels.make(kernels.IO, **fields)
        )
    assert np.array_equal(state.v, v0)


@pytest.mark.parametrize("field", ["u", "noise0", "noise1"])
def test_state_that_does_not_match_v_is_refused_before_any_ms(parts, field):
    structure, params, state, io = parts
    fields = _fields(state)
    fields[field] = fields[field][:-1].copy()
    v0 = state.v.copy()
    with pytest.raises(ValueError, match="do not match v"):
        kernels.izh_run_lazy(
            0, 20, True, structure, params, kernels.make(kernels.LazyState, **fields), io
        )
    assert np.array_equal(state.v, v0)


def test_unknown_or_missing_field_names_are_refused(parts):
    params = _fields(parts[1])
    params["a_plsu"] = params.pop("a_plus")
    with pytest.raises(TypeError, match="unknown field\\(s\\) \\['a_plsu'\\].*missing.*'a_plus'"):
        kernels.make(kernels.Params, **params)


@pytest.mark.parametrize(
    "kind,field,value,needle",
    [
        (kernels.LazyState, "v", np.zeros(20, np.float32), "LazyState.v: got a 1-D float32"),
        (kernels.LazyState, "wc", np.zeros(20), "LazyState.wc: got a 1-D float64"),
        (kernels.Structure, "post", np.zeros(5, np.int64), "Structure.post: got a 1-D int64"),
        (kernels.Params, "period", 10.0, "Params.period: got 10.0; expected an integer"),
        (kernels.Params, "gain", np.ones(1), "Params.gain: got ndarray; expected a scalar"),
        (kernels.IO, "sp_t", [0, 1], "IO.sp_t: got list; expected a numpy array"),
        (kernels.LazyState, "u", np.zeros((20, 2))[:, 0], "C-contiguous"),
    ],
)
def test_wrong_types_are_refused(parts, kind, field, value, needle):
    named = {kernels.Structure: parts[0], kernels.Params: parts[1], kernels.LazyState: parts[2]}
    fields = _fields(named[kind]) if kind in named else _fields(parts[3])
    fields[field] = value
    with pytest.raises(TypeError, match=needle):
        kernels.make(kind, **fields)


def test_a_tuple_in_the_wrong_place_fails_to_compile(parts):
    structure, params, state, io = parts
    dense_state = kernels.DenseState(*(np.zeros(1),) * len(kernels.DenseState._fields))
    with pytest.raises(TypingError):
        kernels.izh_run_lazy(0, 5, True, structure, params, dense_state, io)
    with pytest.raises(TypingError):  # parameters and state swapped
        kernels.izh_run_lazy(0, 5, True, structure, state, params, io)


def test_lanes_start_at_their_page_offsets_and_hold_the_network():
    for n in (1, 63, 1000, 4097):
        lanes = kernels.lanes(n)
        names = ["lane_v", "lane_u", "lane_I", "lane_s0", "lane_s1"]
        for name, offset in zip(names, kernels.LANE_OFFSETS):
            assert lanes[name].ctypes.data % 4096 == offset, (n, name)
        assert lanes["lane_v"].size == lanes["lane_u"].size == n
        assert lanes["lane_I"].size == lanes["lane_s0"].size == lanes["lane_s1"].size == n + 1
        ends = sorted((a.ctypes.data, a.ctypes.data + a.nbytes) for a in lanes.values())
        assert all(e0 <= s1 for (_, e0), (s1, _) in zip(ends, ends[1:]))  # no overlap
    gaps = np.diff(sorted(kernels.LANE_OFFSETS) + [4096 + min(kernels.LANE_OFFSETS)])
    assert gaps.min() >= 512 and all(o % 64 == 0 for o in kernels.LANE_OFFSETS)


def test_the_network_keeps_its_update_streams_in_lanes():
    from spikey.engine import IzhNetwork

    net = izh.build("izhikevich2007", seed=2, n_exc=80, n_inh=20, syn_per_neuron=10)
    v = net.v  # a view taken before any run stays live
    before = net.noise_state
    net.run(50)
    assert np.array_equal(v, net.v) and not np.array_equal(before, net.noise_state)
    lanes = net._lanes
    assert net._state.v is lanes["lane_v"] and net._state.u is lanes["lane_u"]
    assert net._state.noise0 is lanes["lane_s0"] and net._state.noise1 is lanes["lane_s1"]
    twin = IzhNetwork.restore(net.checkpoint())  # restored in place: the lanes stay
    assert twin._state.v is twin._lanes["lane_v"] and twin._state.u is twin._lanes["lane_u"]
    assert np.array_equal(twin.v, net.v) and np.array_equal(twin.noise_state, net.noise_state)
    a, b = net.run(200), twin.run(200)
    assert np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i)
